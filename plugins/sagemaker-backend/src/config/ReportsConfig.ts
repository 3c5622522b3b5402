import { Config } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import { fail, readDuration } from './configErrors';

/**
 * How ModelMetrics reports are read (`sagemaker.reports`), validated.
 *
 * @public
 */
export interface ReportsConfig {
  /** Reports larger than this are not read. */
  maxBytes: number;
  /** Bound of one report read, retries included. */
  timeoutMs: number;
  /** How long a read report stays cached. */
  cacheTtlMs: number;
  /** Key metrics per group name or ARN. */
  keyMetrics: Map<string, string[]>;
}

const DEFAULTS = {
  maxBytes: 1024 * 1024,
  timeout: { seconds: 5 },
  cacheTtl: { days: 1 },
} as const satisfies Record<string, HumanDuration | number>;

/**
 * Reads `sagemaker.reports`; bad values stop the backend at startup with a
 * message naming the key.
 *
 * @public
 */
export function readReportsConfig(root: Config): ReportsConfig {
  const config = root.getOptionalConfig('sagemaker.reports');
  const maxBytes = config?.getOptionalNumber('maxBytes') ?? DEFAULTS.maxBytes;
  if (!Number.isInteger(maxBytes) || maxBytes < 1) {
    fail('sagemaker.reports.maxBytes', `${maxBytes} is not a positive integer`);
  }
  const timeoutMs = readDuration(config, 'timeout', DEFAULTS.timeout);
  if (timeoutMs <= 0) {
    fail('sagemaker.reports.timeout', 'must be longer than zero');
  }
  const keyMetrics = new Map<string, string[]>();
  (config?.getOptionalConfigArray('keyMetrics') ?? []).forEach((entry, i) => {
    const key = `sagemaker.reports.keyMetrics[${i}]`;
    const group = entry.getString('group');
    const metrics = entry.getStringArray('metrics');
    if (metrics.length === 0) {
      fail(`${key}.metrics`, 'name at least one metric');
    }
    if (keyMetrics.has(group)) {
      fail(`${key}.group`, `'${group}' is listed twice`);
    }
    keyMetrics.set(group, metrics);
  });
  return {
    maxBytes,
    timeoutMs,
    cacheTtlMs: readDuration(config, 'cacheTtl', DEFAULTS.cacheTtl),
    keyMetrics,
  };
}
