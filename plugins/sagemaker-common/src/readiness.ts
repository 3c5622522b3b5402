import { z } from 'zod';

/**
 * The outcome of one readiness check: `ok` (the grant is there), `missing`
 * (a deploy would fail), or `unknown` (the backend could not tell, e.g. it
 * may not read the policy).
 *
 * @public
 */
export type ReadinessStatus = 'ok' | 'missing' | 'unknown';

/**
 * What each check verifies, in the order a deploy meets it.
 *
 * @public
 */
export const READINESS_CHECK_KINDS = [
  'access-role',
  'region',
  'group-policy',
  'execution-role-trust',
  'pass-role',
  'image-repository',
  'artifacts-bucket',
  'artifacts-key',
  'vpc-subnets',
  'vpc-security-groups',
  'endpoint-kms-key',
] as const;

/**
 * One kind of readiness check.
 *
 * @public
 */
export type ReadinessCheckKind = (typeof READINESS_CHECK_KINDS)[number];

/**
 * The title of each kind of check, as the UI and the backend name it.
 *
 * @public
 */
export const READINESS_CHECK_TITLES: Record<ReadinessCheckKind, string> = {
  'access-role': 'Backend can assume its role',
  region: 'Same region',
  'group-policy': 'Model package group policy',
  'execution-role-trust': 'Execution role trusts SageMaker',
  'pass-role': 'Backend may pass the execution role',
  'image-repository': 'Execution role can pull the image',
  'artifacts-bucket': 'Execution role can read the model data',
  'artifacts-key': 'Execution role can decrypt the model data',
  'vpc-subnets': 'Subnets exist',
  'vpc-security-groups': 'Security groups exist',
  'endpoint-kms-key': 'Endpoint storage key exists',
};

/** AWS's wording for each refusal, and the check that predicts it. */
const FAILURE_PATTERNS: Array<[RegExp, ReadinessCheckKind]> = [
  [/kms:Decrypt|KMS key/i, 'artifacts-key'],
  [/Could not access model data|s3:GetObject/i, 'artifacts-bucket'],
  [/images included in the model/i, 'image-repository'],
  [/iam:PassRole/, 'pass-role'],
  [/Could not assume role/i, 'execution-role-trust'],
  [/sagemaker:CreateModel .*resource-based policy/, 'group-policy'],
  [/model package of its own region|is in region .* but the model/i, 'region'],
  [/subnet/i, 'vpc-subnets'],
  [/security group/i, 'vpc-security-groups'],
];

/**
 * The readiness check that would have caught a failed deploy, from AWS's
 * error message; undefined when the failure is not about a grant (capacity,
 * a container that never answers its health check…).
 *
 * @public
 */
export function readinessCheckForFailure(
  message: string,
): ReadinessCheckKind | undefined {
  return FAILURE_PATTERNS.find(([pattern]) => pattern.test(message))?.[1];
}

/**
 * A policy, or a statement to add to one, and where it goes.
 *
 * @public
 */
export interface GeneratedPolicy {
  /** Stable id, e.g. `execution-role:333333333333`. */
  id: string;
  title: string;
  /** The account the policy belongs in. */
  accountId: string;
  /** identity: an IAM role's policy; trust: a role's trust policy; resource: a resource's policy. */
  kind: 'identity' | 'trust' | 'resource';
  /** Where it goes, in words: the role, bucket, key, repository or group. */
  where: string;
  /** The ARN of the role or resource it is attached to. */
  attachTo: string;
  document: { Version: '2012-10-17'; Statement: PolicyStatement[] };
}

/**
 * One IAM policy statement.
 *
 * @public
 */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: Record<string, string | string[]> | '*';
  Action: string | string[];
  /** Absent in trust policies. */
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * One readiness check of a (model package group, deployment target) pair.
 *
 * @public
 */
export interface ReadinessCheck {
  /** Unique within a report, e.g. `artifacts-key:arn:aws:kms:…`. */
  id: string;
  kind: ReadinessCheckKind;
  title: string;
  status: ReadinessStatus;
  /** The account that holds the resource checked. */
  accountId: string;
  /** The ARN (or name) of the resource checked. */
  resource: string;
  /** One sentence: why the status is what it is. */
  summary: string;
  /** What was read to decide, in words (policy statements, API answers). */
  evidence: string[];
  /** How to fix a `missing` or `unknown` check. */
  fix?: {
    summary: string;
    /** The policy to apply (for grants), with where it goes. */
    policy?: GeneratedPolicy;
  };
}

/**
 * The checks of one model package group against one deployment target.
 *
 * @public
 */
export interface ReadinessPair {
  groupArn: string;
  target: string;
  targetTitle: string;
  /** The model version whose artifacts were checked. */
  version?: number;
  /** The worst status of its checks. */
  status: ReadinessStatus;
  checks: ReadinessCheck[];
}

/**
 * The response of the readiness routes.
 *
 * @public
 */
export interface ReadinessReport {
  /** Set for an entity's report. */
  entityRef?: string;
  generatedAt: string;
  /** Checks about an account alone (can the backend assume its role). */
  accounts: ReadinessCheck[];
  pairs: ReadinessPair[];
  /** AWS calls this report made (cache misses only), by IAM action. */
  awsCalls: { total: number; byAction: Record<string, number> };
}

/**
 * The response of the policy generator routes.
 *
 * @public
 */
export interface GeneratedPoliciesResponse {
  entityRef?: string;
  policies: GeneratedPolicy[];
  /** One CloudFormation template per account (JSON). */
  cloudFormation: Array<{ accountId: string; template: object }>;
}

/**
 * The worst of several statuses: missing, then unknown, then ok.
 *
 * @public
 */
export function worstReadinessStatus(
  statuses: ReadinessStatus[],
): ReadinessStatus {
  if (statuses.includes('missing')) {
    return 'missing';
  }
  return statuses.includes('unknown') ? 'unknown' : 'ok';
}

const targetName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,62})$/, 'not a deployment target name');

/**
 * Query of `GET /entities/:kind/:namespace/:name/readiness`.
 *
 * @public
 */
export const entityReadinessQuerySchema = z
  .object({
    target: targetName.optional(),
    group: z.string().min(1).max(2048).optional(),
    version: z.coerce.number().int().min(1).max(1_000_000).optional(),
    fresh: z.enum(['true', 'false']).optional(),
  })
  .strict()
  .refine(query => !query.version || query.group, {
    message: 'version needs the group it belongs to (the group parameter)',
    path: ['version'],
  });

/**
 * Query of `GET /readiness`.
 *
 * @public
 */
export const orgReadinessQuerySchema = z
  .object({
    target: targetName.optional(),
    fresh: z.enum(['true', 'false']).optional(),
  })
  .strict();

/**
 * Query of the policy generator routes.
 *
 * @public
 */
export const policiesQuerySchema = z
  .object({
    target: targetName.optional(),
  })
  .strict();
