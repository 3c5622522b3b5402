import { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Streams a body into a response with backpressure. A client that goes
 * away mid-stream destroys the body, which stops its producer (for an
 * export, the next database page is never read); that is not an error of
 * the request. Any other failure reaches the error handler, which cuts the
 * connection once the headers are sent so the client sees a broken
 * download rather than a complete-looking one.
 */
export async function streamResponse(
  body: Readable,
  res: Response,
): Promise<void> {
  await pipeline(body, res).catch(error => {
    if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
      throw error;
    }
  });
}
