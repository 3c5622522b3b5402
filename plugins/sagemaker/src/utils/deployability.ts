import {
  DeploymentTargetInfo,
  ModelEndpoint,
  ModelVersionSummary,
} from '@internal/backstage-plugin-sagemaker-common';
import { approvalStatusPhrase } from './labels';

/**
 * Where one variant of an endpoint serves a version.
 */
export interface VersionPlacement {
  endpoint: ModelEndpoint;
  variantName: string;
  instanceType?: string;
  instanceCount?: number;
}

/** The endpoints (and their variants) that serve a version. */
export function placementsOf(
  versionArn: string,
  endpoints: ModelEndpoint[],
): VersionPlacement[] {
  return endpoints.flatMap(endpoint =>
    endpoint.variants
      .filter(variant => variant.versionArn === versionArn)
      .map(variant => ({
        endpoint,
        variantName: variant.variantName,
        instanceType: variant.instanceType,
        instanceCount: variant.instanceCount,
      })),
  );
}

/**
 * Whether a version can be deployed to a target, and if not, why.
 */
export type TargetAvailability =
  | { available: true }
  | { available: false; reason: string };

/**
 * A version can go to a target only when it is Approved and is already
 * InService on every target the target `requires` (e.g. production requires
 * staging). The backend enforces the same rules; this tells the user before
 * they ask.
 */
export function targetAvailability(
  version: Pick<ModelVersionSummary, 'arn' | 'version' | 'approvalStatus'>,
  target: DeploymentTargetInfo,
  targets: DeploymentTargetInfo[],
  endpoints: ModelEndpoint[],
): TargetAvailability {
  if (version.approvalStatus !== 'Approved') {
    return {
      available: false,
      reason: `Only approved versions can be deployed: version ${
        version.version
      } is ${approvalStatusPhrase(version.approvalStatus)}`,
    };
  }
  const missing = target.requires.filter(
    required =>
      !placementsOf(version.arn, endpoints).some(
        placement =>
          placement.endpoint.target === required &&
          placement.endpoint.status === 'InService',
      ),
  );
  if (missing.length > 0) {
    const titles = missing.map(
      name => targets.find(t => t.name === name)?.title ?? name,
    );
    return {
      available: false,
      reason: `Version ${version.version} must be InService on ${titles.join(
        ' and ',
      )} first`,
    };
  }
  return { available: true };
}
