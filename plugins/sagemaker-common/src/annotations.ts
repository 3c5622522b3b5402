import type { Entity } from '@backstage/catalog-model';

/**
 * The annotation that links a catalog entity to one or more SageMaker model
 * package groups: their ARNs, comma-separated.
 *
 * @public
 */
export const SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION =
  'aws.amazon.com/sagemaker-model-package-group-arn';

/**
 * A model package group ARN, taken apart.
 *
 * @public
 */
export interface ModelPackageGroupArn {
  /** The full ARN, as written in the annotation. */
  arn: string;
  partition: string;
  region: string;
  accountId: string;
  /** The model package group name. */
  name: string;
}

// arn:<partition>:sagemaker:<region>:<12-digit account>:model-package-group/<name>
// Group names follow SageMaker's EntityName pattern, at most 63 characters.
const GROUP_ARN_PATTERN =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):sagemaker:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):model-package-group\/([a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62})$/;

/**
 * Parses a model package group ARN.
 *
 * @returns the parts, or `undefined` when the value is not such an ARN.
 * @public
 */
export function parseModelPackageGroupArn(
  value: string,
): ModelPackageGroupArn | undefined {
  const match = GROUP_ARN_PATTERN.exec(value.trim());
  if (!match) {
    return undefined;
  }
  const [arn, partition, region, accountId, name] = match;
  return { arn, partition, region, accountId, name };
}

/**
 * The raw, trimmed ARNs an entity names in its annotation, in order and
 * without duplicates. Empty when the entity has no such annotation.
 *
 * @public
 */
export function getModelPackageGroupArnValues(entity: Entity): string[] {
  const raw =
    entity.metadata.annotations?.[SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION];
  if (!raw) {
    return [];
  }
  return [
    ...new Set(
      raw
        .split(',')
        .map(value => value.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * Whether an entity names at least one model package group. Only the
 * annotation counts, never the entity's kind or type.
 *
 * @public
 */
export function isSageMakerAvailable(entity: Entity): boolean {
  return getModelPackageGroupArnValues(entity).length > 0;
}

/**
 * A model package version ARN, taken apart.
 *
 * @public
 */
export interface ModelPackageArn {
  arn: string;
  region: string;
  accountId: string;
  groupName: string;
  version: number;
  /** The ARN of the group the version belongs to. */
  groupArn: string;
}

const VERSION_ARN_PATTERN =
  /^arn:(aws[a-z-]*):sagemaker:([a-z0-9-]+):(\d{12}):model-package\/([a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62})\/(\d+)$/;

/**
 * Parses a versioned model package ARN
 * (`arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>`).
 *
 * @returns the parts, or `undefined` when the value is not such an ARN.
 * @public
 */
export function parseModelPackageArn(
  value: string,
): ModelPackageArn | undefined {
  const match = VERSION_ARN_PATTERN.exec(value);
  if (!match) {
    return undefined;
  }
  const [arn, partition, region, accountId, groupName, version] = match;
  return {
    arn,
    region,
    accountId,
    groupName,
    version: Number(version),
    groupArn: `arn:${partition}:sagemaker:${region}:${accountId}:model-package-group/${groupName}`,
  };
}

/**
 * The ARN of one version of a group.
 *
 * @public
 */
export function modelPackageArn(
  group: ModelPackageGroupArn,
  version: number,
): string {
  return `arn:${group.partition}:sagemaker:${group.region}:${group.accountId}:model-package/${group.name}/${version}`;
}
