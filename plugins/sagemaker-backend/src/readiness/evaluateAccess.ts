import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';

/** A policy document as read from AWS (parsed JSON). */
export type PolicyDocument = Record<string, unknown>;

/** The result of one side of an access decision. */
export type AccessResult = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** One request to decide: who does what on which resource. */
export interface AccessRequest {
  /** A role ARN, an account root ARN, or a service principal. */
  principal: string;
  action: string;
  resource: string;
  /** The account that owns the resource. */
  resourceAccountId: string;
  context?: Record<string, string>;
}

const OTHER_ACCOUNT = '000000000000';

const ALLOW_ALL_IDENTITY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

/**
 * A document without statements grants nothing; iam-simulate expects one
 * (AWS answers `{}` for some missing policies, and a hand-edited policy can
 * be anything).
 */
function usable(
  policy: PolicyDocument | undefined,
): PolicyDocument | undefined {
  if (!policy || typeof policy !== 'object') {
    return undefined;
  }
  const statement = policy.Statement;
  if (!statement || typeof statement !== 'object') {
    return undefined;
  }
  return policy;
}

function simulate(
  request: AccessRequest,
  identityPolicies: PolicyDocument[],
  resourcePolicy?: PolicyDocument,
): AccessResult {
  try {
    return simulateUnchecked(
      request,
      identityPolicies.map(usable).filter((p): p is PolicyDocument => !!p),
      usable(resourcePolicy),
    );
  } catch {
    // A policy iam-simulate cannot parse grants nothing we can vouch for.
    return 'ImplicitlyDenied';
  }
}

function simulateUnchecked(
  request: AccessRequest,
  identityPolicies: PolicyDocument[],
  resourcePolicy?: PolicyDocument,
): AccessResult {
  // The "unsafe" entry point skips iam-simulate's check that the resource
  // type is one the action documents: its data lists only `model` for
  // sagemaker:CreateModel, while a cross-account deploy is authorized on the
  // model package ARN by the group's resource policy.
  const result = runUnsafeSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: {
          resource: request.resource,
          accountId: request.resourceAccountId,
        },
        contextVariables: request.context ?? {},
      },
      identityPolicies: identityPolicies.map((policy, i) => ({
        name: `identity-${i}`,
        policy,
      })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
    },
    {},
  );
  if (result === 'Allowed' || result === 'ExplicitlyDenied') {
    return result;
  }
  return 'ImplicitlyDenied';
}

/**
 * Whether the principal's identity policies allow the request, on their own.
 * Policy evaluation is @cloud-copilot/iam-simulate's (Allow/Deny,
 * wildcards, principals, condition operators); this module only chooses what
 * to evaluate.
 */
export function identityAllows(
  request: AccessRequest,
  identityPolicies: PolicyDocument[],
): AccessResult {
  // Evaluated as a same-account request: across accounts iam-simulate would
  // also want a resource policy, which is the other half's question.
  // KMS needs a key policy even in its own account: one that delegates to
  // the account's IAM policies (a grant to the account root) leaves the
  // answer to them.
  const account = accountOf(request.principal) ?? request.resourceAccountId;
  return simulate(
    { ...request, resourceAccountId: account },
    identityPolicies,
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: '*',
          Resource: '*',
        },
      ],
    },
  );
}

function accountOf(principal: string): string | undefined {
  return /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(principal)?.[1];
}

/**
 * Whether a resource policy (bucket, key, repository, group, trust) allows
 * the principal, regardless of its identity policies.
 */
export function resourcePolicyAllows(
  request: AccessRequest,
  resourcePolicy: PolicyDocument | undefined,
): AccessResult {
  if (!resourcePolicy) {
    return 'ImplicitlyDenied';
  }
  // Evaluated as a cross-account request with an identity that allows
  // everything, so the answer is the resource policy's alone (in the same
  // account, an identity grant would otherwise be enough).
  const principalAccount = accountOf(request.principal);
  const elsewhere =
    principalAccount === OTHER_ACCOUNT ? '000000000001' : OTHER_ACCOUNT;
  return simulate(
    {
      ...request,
      resourceAccountId:
        principalAccount === request.resourceAccountId
          ? elsewhere
          : request.resourceAccountId,
    },
    [ALLOW_ALL_IDENTITY],
    resourcePolicy,
  );
}
