import { z } from 'zod';
import { parseModelPackageArn } from '@internal/backstage-plugin-sagemaker-common';

/** The detail types of SageMaker's EventBridge events this plugin reads. */
export const MODEL_PACKAGE_STATE_CHANGE =
  'SageMaker Model Package State Change';
export const ENDPOINT_STATE_CHANGE = 'SageMaker Endpoint State Change';

/** EventBridge refuses events larger than 256 KB; anything larger is not AWS's. */
export const MAX_EVENT_BYTES = 256 * 1024;

/** What a valid event asks the backend to look at again. */
export type SageMakerEventHint =
  | {
      kind: 'model-package';
      eventId: string;
      accountId: string;
      region: string;
      versionArn: string;
    }
  | {
      kind: 'endpoint';
      eventId: string;
      accountId: string;
      region: string;
      endpointName: string;
    };

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
// SageMaker's EntityName pattern, for endpoint names.
const ENTITY_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

const envelope = z.object({
  version: z.string().max(8).optional(),
  id: z.string().min(1).max(128),
  'detail-type': z.enum([MODEL_PACKAGE_STATE_CHANGE, ENDPOINT_STATE_CHANGE]),
  source: z.literal('aws.sagemaker'),
  account: z.string().regex(/^\d{12}$/),
  time: z.string().max(64).optional(),
  region: z.string().regex(REGION),
  resources: z.array(z.string().max(2048)).max(10).default([]),
  detail: z.object({}).passthrough(),
});

const modelPackageDetail = z.object({
  ModelPackageArn: z.string().max(2048),
  ModelPackageGroupName: z.string().max(63).optional(),
});

const endpointDetail = z.object({
  EndpointName: z.string().regex(ENTITY_NAME),
  EndpointArn: z.string().max(2048).optional(),
});

/** Why an event was dropped, for the one log line that says so. */
export class InvalidSageMakerEvent extends Error {}

function fail(reason: string): never {
  throw new InvalidSageMakerEvent(reason);
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.join('.') || 'the event'}: ${issue.message}`;
}

/**
 * Reads an EventBridge event of SageMaker, as delivered through SQS, into
 * the one resource it is about; throws {@link InvalidSageMakerEvent} naming
 * why it is not one. The queue may be written by anyone allowed to send to
 * it, so the envelope must be AWS's, the account one this backend is
 * configured for, and the resource ARN in that account and region. Even
 * then the event is only a hint: nothing in it is recorded unread.
 */
export function parseSageMakerEvent(
  payload: unknown,
  accountIds: ReadonlySet<string>,
): SageMakerEventHint {
  let size: number;
  try {
    size = Buffer.byteLength(JSON.stringify(payload) ?? '');
  } catch {
    fail('not serialisable as JSON');
  }
  if (size > MAX_EVENT_BYTES) {
    fail(`${size} bytes, more than EventBridge's ${MAX_EVENT_BYTES}`);
  }
  const parsed = envelope.safeParse(payload);
  if (!parsed.success) {
    fail(firstIssue(parsed.error));
  }
  const event = parsed.data;
  if (!accountIds.has(event.account)) {
    fail(`account ${event.account} is not a configured SageMaker account`);
  }
  const base = {
    eventId: event.id,
    accountId: event.account,
    region: event.region,
  };

  if (event['detail-type'] === MODEL_PACKAGE_STATE_CHANGE) {
    const detail = modelPackageDetail.safeParse(event.detail);
    if (!detail.success) {
      fail(`detail.${firstIssue(detail.error)}`);
    }
    const arn = parseModelPackageArn(detail.data.ModelPackageArn);
    if (!arn) {
      fail('detail.ModelPackageArn is not a versioned model package ARN');
    }
    if (arn.accountId !== event.account || arn.region !== event.region) {
      fail(
        `detail.ModelPackageArn is in ${arn.accountId} ${arn.region}, the event in ${event.account} ${event.region}`,
      );
    }
    if (
      detail.data.ModelPackageGroupName !== undefined &&
      detail.data.ModelPackageGroupName !== arn.groupName
    ) {
      fail('detail.ModelPackageGroupName does not match its ARN');
    }
    if (event.resources.some(r => r !== arn.arn)) {
      fail('resources name another resource than detail.ModelPackageArn');
    }
    return { kind: 'model-package', ...base, versionArn: arn.arn };
  }

  const detail = endpointDetail.safeParse(event.detail);
  if (!detail.success) {
    fail(`detail.${firstIssue(detail.error)}`);
  }
  const name = detail.data.EndpointName;
  // Endpoint ARNs carry the name in lower case.
  const expectedArn = new RegExp(
    `^arn:aws[a-z-]*:sagemaker:${event.region}:${event.account}:endpoint/${name}$`,
    'i',
  );
  const arns = [
    ...event.resources,
    ...(detail.data.EndpointArn ? [detail.data.EndpointArn] : []),
  ];
  if (arns.some(arn => !expectedArn.test(arn))) {
    fail(
      `the endpoint ARN is not ${name}'s in ${event.account} ${event.region}`,
    );
  }
  return { kind: 'endpoint', ...base, endpointName: name };
}
