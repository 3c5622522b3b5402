import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION } from '@internal/backstage-plugin-sagemaker-common';

/** `spec.type` of a discovered model package group (kind Resource). @public */
export const MODEL_PACKAGE_GROUP_TYPE = 'sagemaker-model-package-group';
/** `spec.type` of a discovered endpoint (kind Resource). @public */
export const ENDPOINT_TYPE = 'sagemaker-endpoint';
/** The ARN of the endpoint a discovered entity stands for. @public */
export const SAGEMAKER_ENDPOINT_ARN_ANNOTATION =
  'aws.amazon.com/sagemaker-endpoint-arn';

/** A model package group found in an account, its own or shared with it. */
export interface DiscoveredGroup {
  arn: string;
  name: string;
  /** The account that owns the group (from its ARN). */
  accountId: string;
  region: string;
  description?: string;
  /** The group's tags; undefined when they could not be read (shared group). */
  tags?: Record<string, string>;
  /** The account it was found in, when shared with it through AWS RAM. */
  sharedWith?: string;
}

/** An endpoint serving at least one version of a discovered group. */
export interface DiscoveredEndpoint {
  arn: string;
  name: string;
  accountId: string;
  region: string;
  status?: string;
  /** The model package (version) ARNs its production variants run. */
  modelPackageArns: string[];
}

const MAX_NAME = 63;
const TAG = /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/;

/**
 * SageMaker names are letters, digits and hyphens, which Backstage accepts,
 * except runs of hyphens; those are collapsed.
 */
function baseName(name: string): string {
  return name.replace(/-+/g, '-').replace(/^-|-$/g, '') || 'unnamed';
}

function qualified(base: string, accountId: string, region: string): string {
  const suffix = `${accountId}-${region}`;
  const room = MAX_NAME - suffix.length - 1;
  return `${base.slice(0, room).replace(/-+$/, '')}-${suffix}`;
}

/**
 * Entity names for resources keyed by ARN: the resource's own name, unless
 * two discovered resources share it (same name in two accounts or regions);
 * then each of those carries `-<account>-<region>`.
 */
export function entityNames(
  resources: Array<{
    arn: string;
    name: string;
    accountId: string;
    region: string;
  }>,
): Map<string, string> {
  const byBase = new Map<string, typeof resources>();
  for (const resource of resources) {
    const base = baseName(resource.name);
    byBase.set(base, [...(byBase.get(base) ?? []), resource]);
  }
  const names = new Map<string, string>();
  for (const [base, group] of byBase) {
    for (const resource of group) {
      names.set(
        resource.arn,
        group.length === 1
          ? base
          : qualified(base, resource.accountId, resource.region),
      );
    }
  }
  return names;
}

/**
 * Backstage tags from AWS tags: `<key>-<value>` lowercased, with every
 * character Backstage does not allow turned into a hyphen. The owner tag and
 * AWS's own (`aws:*`) tags are left out.
 */
export function backstageTags(
  tags: Record<string, string> | undefined,
  ownerTag: string,
): string[] {
  const result = new Set<string>();
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (key === ownerTag || key.startsWith('aws:')) {
      continue;
    }
    const tag = `${key}${value ? `-${value}` : ''}`
      .toLowerCase()
      .replace(/[^a-z0-9:+#]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, MAX_NAME)
      .replace(/-+$/, '');
    if (TAG.test(tag)) {
      result.add(tag);
    }
  }
  return [...result].sort();
}

/**
 * The owner named by the group's owner tag (a group name or any entity ref),
 * else the default owner.
 */
export function ownerOf(
  tags: Record<string, string> | undefined,
  ownerTag: string,
  defaultOwner: string,
): string {
  const value = tags?.[ownerTag]?.trim();
  if (!value) {
    return defaultOwner;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return defaultOwner;
  }
}

/** The group ARN of a model package (version) ARN, if it is one. */
export function groupArnOfVersion(packageArn: string): string | undefined {
  const match =
    /^(arn:[a-z-]+:sagemaker:[a-z0-9-]+:\d{12}:)model-package\/([A-Za-z0-9-]+)\/\d+$/.exec(
      packageArn,
    );
  return match ? `${match[1]}model-package-group/${match[2]}` : undefined;
}

function consoleUrl(region: string, fragment: string): string {
  return `https://${region}.console.aws.amazon.com/sagemaker/home?region=${region}#/${fragment}`;
}

/** The location a discovered entity is managed by: the account and region read. */
export function locationOf(accountId: string, region: string): string {
  return `sagemaker-model-registry:${accountId}/${region}`;
}

/** The Resource entity of a model package group. */
export function groupEntity(
  group: DiscoveredGroup,
  options: { name: string; ownerTag: string; defaultOwner: string },
): Entity {
  const location = locationOf(
    group.sharedWith ?? group.accountId,
    group.region,
  );
  const where = `account ${group.accountId}, ${group.region}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: options.name,
      title: group.name,
      description:
        group.description ||
        `SageMaker model package group ${group.name} (${where}${
          group.sharedWith ? `, shared with ${group.sharedWith}` : ''
        })`,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION]: group.arn,
      },
      tags: backstageTags(group.tags, options.ownerTag),
      links: [
        {
          url: consoleUrl(
            group.region,
            `model-registry/model-package-groups/${group.name}`,
          ),
          title: 'SageMaker console',
          icon: 'cloud',
        },
      ],
    },
    spec: {
      type: MODEL_PACKAGE_GROUP_TYPE,
      owner: ownerOf(group.tags, options.ownerTag, options.defaultOwner),
    },
  };
}

/** The Resource entity of an endpoint, depending on the groups it serves. */
export function endpointEntity(
  endpoint: DiscoveredEndpoint,
  options: {
    name: string;
    owner: string;
    /** Entity refs of the groups whose versions it serves. */
    dependsOn: string[];
  },
): Entity {
  const location = locationOf(endpoint.accountId, endpoint.region);
  const versions = endpoint.modelPackageArns
    .map(arn =>
      arn
        .split(':')
        .pop()!
        .replace(/^model-package\//, ''),
    )
    .join(', ');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: options.name,
      title: endpoint.name,
      description: `SageMaker endpoint in account ${endpoint.accountId}, ${
        endpoint.region
      }, serving ${versions}${endpoint.status ? ` (${endpoint.status})` : ''}`,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [SAGEMAKER_ENDPOINT_ARN_ANNOTATION]: endpoint.arn,
      },
      links: [
        {
          url: consoleUrl(endpoint.region, `endpoints/${endpoint.name}`),
          title: 'SageMaker console',
          icon: 'cloud',
        },
      ],
    },
    spec: {
      type: ENDPOINT_TYPE,
      owner: options.owner,
      dependsOn: options.dependsOn,
    },
  };
}
