import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';

/**
 * Stops the backend at startup with a message naming the offending key, in
 * the one wording every config reader of the plugin uses.
 */
export function fail(key: string, message: string): never {
  throw new Error(`Invalid configuration at '${key}': ${message}`);
}

/** A duration in milliseconds: the key's value, or the fallback when unset. */
export function readDuration(
  config: Config | undefined,
  key: string,
  fallback: HumanDuration,
): number {
  return durationToMilliseconds(
    config?.has(key) ? readDurationFromConfig(config, { key }) : fallback,
  );
}
