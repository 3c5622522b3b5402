import { translateAwsError, translateCredentialsError } from './errors';

const context = {
  accountId: '111111111111',
  region: 'us-east-1',
  action: 'sagemaker:ListModelPackages',
};

function awsError(name: string, message: string, status?: number) {
  return Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: status, requestId: 'req-123' },
  });
}

function statusOf(error: Error): number | string {
  return (error as any).statusCode ?? error.name;
}

describe('translateAwsError', () => {
  it('maps access denied to 403 naming the account and the action', () => {
    const error = translateAwsError(
      awsError('AccessDeniedException', 'not authorized', 400),
      context,
    );
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toContain('account 111111111111');
    expect(error.message).toContain('sagemaker:ListModelPackages');
    expect(error.message).toContain('req-123');
  });

  it('maps a bare 403 (as the emulator sends, with an XML body) to NotAllowedError', () => {
    expect(
      translateAwsError(
        awsError('SyntaxError', 'Unexpected token <', 403),
        context,
      ).name,
    ).toBe('NotAllowedError');
  });

  it('maps throttling to 503', () => {
    expect(
      translateAwsError(
        awsError('ThrottlingException', 'Rate exceeded', 400),
        context,
      ).name,
    ).toBe('ServiceUnavailableError');
  });

  it('maps a missing resource to 404 and other validation errors to 400', () => {
    expect(
      translateAwsError(
        awsError(
          'ValidationException',
          'Model package group fraud does not exist.',
          400,
        ),
        context,
      ).name,
    ).toBe('NotFoundError');
    expect(
      translateAwsError(
        awsError('ValidationException', 'MaxResults too big', 400),
        context,
      ).name,
    ).toBe('InputError');
  });

  it('maps an unreachable endpoint to 503 and anything else to 502', () => {
    expect(
      translateAwsError(awsError('TimeoutError', 'socket hang up'), context)
        .name,
    ).toBe('ServiceUnavailableError');
    const other = translateAwsError(
      awsError('InternalFailure', 'boom', 500),
      context,
    );
    expect(statusOf(other)).toBe(502);
    expect(other.message).toContain('InternalFailure');
  });

  it('recognizes a refused connection the SDK wrapped into a plain message', () => {
    const wrapped = new Error(
      'AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:4566',
    );
    const error = translateAwsError(wrapped, context);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toContain('account 111111111111');
    const viaCause = Object.assign(new Error('request failed'), {
      cause: { code: 'ECONNRESET' },
    });
    expect(translateAwsError(viaCause, context).name).toBe(
      'ServiceUnavailableError',
    );
  });
});

describe('translateCredentialsError', () => {
  it('answers 502 naming the account when STS refuses the role', () => {
    const error = translateCredentialsError(
      awsError('AccessDenied', 'not allowed to assume role', 403),
      '222222222222',
    );
    expect(statusOf(error)).toBe(502);
    expect(error.message).toContain('AWS account 222222222222');
    expect(error.message).toContain('STS AssumeRole');
  });
});
