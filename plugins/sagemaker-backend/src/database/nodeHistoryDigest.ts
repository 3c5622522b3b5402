import { HistoryDigest } from '@internal/backstage-plugin-sagemaker-common';
import { createHash, createHmac } from 'node:crypto';

/**
 * The history's hash primitive on node:crypto: synchronous, so appending
 * and verifying a long chain do not pay Web Crypto's per-call round trip
 * (about 100 µs against a few). It computes exactly what
 * `webCryptoHistoryDigest` does, which the offline verifier uses.
 */
export const nodeHistoryDigest: HistoryDigest = (input, secret) =>
  (secret === undefined ? createHash('sha256') : createHmac('sha256', secret))
    .update(input, 'utf8')
    .digest('hex');
