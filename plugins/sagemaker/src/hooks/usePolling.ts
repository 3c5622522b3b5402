import { useEffect } from 'react';

/** How often a deployment in progress is polled, in milliseconds. */
export const DEFAULT_POLL_INTERVAL_MS = 2000;

/**
 * Calls `poll` after `intervalMs` whenever `active` is true and `idle` (no
 * request in flight). The caller's request sets `idle` back, which schedules
 * the next poll, so polls never overlap.
 */
export function usePolling(
  poll: () => void,
  options: { active: boolean; idle: boolean; intervalMs: number },
) {
  const { active, idle, intervalMs } = options;
  useEffect(() => {
    if (!active || !idle) {
      return undefined;
    }
    const timer = setTimeout(poll, intervalMs);
    return () => clearTimeout(timer);
  }, [poll, active, idle, intervalMs]);
}
