import {
  CustomErrorBase,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
  isError,
} from '@backstage/errors';

/**
 * An upstream AWS dependency (STS, or SageMaker answering nonsense) failed:
 * answered as 502, naming the account.
 *
 * @public
 */
export class AwsGatewayError extends CustomErrorBase {
  name = 'AwsGatewayError';
  readonly statusCode = 502;
}

/** What was being done, so that messages can name it. */
export interface AwsCallContext {
  accountId: string;
  region: string;
  /** The AWS action, e.g. `sagemaker:ListModelPackages`. */
  action: string;
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredTokenException',
]);

const NETWORK = new Set([
  'TimeoutError',
  'RequestTimeout',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);

/**
 * A connection-level failure: by code, by the cause's code, or by the code in
 * the message, since the SDK can wrap a socket error into a plain message
 * ("AWS SDK error wrapper for Error: connect ECONNREFUSED ...").
 */
function isNetworkError(error: Error, code: string): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  const candidates = [
    code,
    (error as { errno?: string }).errno,
    cause?.code,
    ...(error.message.match(/\bE[A-Z]{4,}\b/g) ?? []),
  ];
  return candidates.some(candidate => !!candidate && NETWORK.has(candidate));
}

function awsFields(error: Error) {
  const e = error as Error & {
    code?: string;
    $metadata?: { httpStatusCode?: number; requestId?: string };
  };
  return {
    code: e.code ?? e.name,
    status: e.$metadata?.httpStatusCode,
    requestId: e.$metadata?.requestId,
  };
}

/**
 * Translates a failed SageMaker call into a typed `@backstage/errors` error
 * whose message names the account, the region and the action. This is the
 * one place AWS errors are mapped.
 */
export function translateAwsError(
  error: unknown,
  context: AwsCallContext,
): Error {
  if (!isError(error)) {
    return new AwsGatewayError(
      `${context.action} in account ${context.accountId} failed: ${String(
        error,
      )}`,
    );
  }
  const { code, status, requestId } = awsFields(error);
  const where = `account ${context.accountId} (${context.region})`;
  const suffix = requestId ? ` [request id ${requestId}]` : '';
  const message = `${error.message}${suffix}`;

  if (ACCESS_DENIED.has(code) || status === 403) {
    return new NotAllowedError(
      `AWS ${where} denied ${context.action}: ${message}`,
      error,
    );
  }
  if (THROTTLING.has(code) || status === 429) {
    return new ServiceUnavailableError(
      `SageMaker in ${where} is throttling ${context.action}; try again shortly: ${message}`,
      error,
    );
  }
  if (code === 'ResourceNotFound' || code === 'ResourceNotFoundException') {
    return new NotFoundError(
      `${context.action} in ${where}: ${message}`,
      error,
    );
  }
  if (code === 'ValidationException') {
    // SageMaker reports a missing resource as a validation error.
    if (
      /does not exist|not found|cannot be found|could not find/i.test(
        error.message,
      )
    ) {
      return new NotFoundError(
        `${context.action} in ${where}: ${message}`,
        error,
      );
    }
    return new InputError(`${context.action} in ${where}: ${message}`, error);
  }
  if (isNetworkError(error, code)) {
    return new ServiceUnavailableError(
      `SageMaker in ${where} did not answer ${context.action}: ${message}`,
      error,
    );
  }
  return new AwsGatewayError(
    `${context.action} in ${where} failed with ${code}: ${message}`,
    error,
  );
}

/**
 * Translates a failure to obtain credentials (STS AssumeRole, or the
 * backend's own identity) for an account: always a 502 naming the account,
 * since the upstream that failed is STS, not the caller.
 */
export function translateCredentialsError(
  error: unknown,
  accountId: string,
): Error {
  const message = isError(error) ? error.message : String(error);
  return new AwsGatewayError(
    `Could not get credentials for AWS account ${accountId} (STS AssumeRole failed): ${message}`,
    isError(error) ? error : undefined,
  );
}

/**
 * The AWS error code, message and request id behind a translated error, for
 * the history and the deployment record.
 */
export function awsErrorDetails(error: unknown): {
  code: string;
  message: string;
  requestId?: string;
} {
  const translated = isError(error) ? error : new Error(String(error));
  const cause = (translated as { cause?: unknown }).cause;
  const source = isError(cause) ? cause : translated;
  const { code, requestId } = awsFields(source);
  return { code, message: source.message, requestId };
}

/** Whether SageMaker refused to create something because it already exists. */
export function isAlreadyExists(error: unknown): boolean {
  const details = awsErrorDetails(error);
  return (
    details.code === 'ResourceInUse' || /already exist/i.test(details.message)
  );
}
