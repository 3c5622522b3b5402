import { ResponseError } from '@backstage/errors';

/**
 * The message to show for a failed request: the backend's own message when
 * it sent one (Backstage's error JSON), else the error's.
 */
export function errorMessage(error: Error): string {
  if (error instanceof ResponseError || error.name === 'ResponseError') {
    const body = (error as ResponseError).body;
    if (body?.error?.message) {
      return body.error.message;
    }
  }
  return error.message;
}
