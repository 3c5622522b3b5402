import { useEffect } from 'react';

/** How often a deployment in progress is polled, in milliseconds. */
export const DEFAULT_POLL_INTERVAL_MS = 2000;

/**
 * Calls `poll` `intervalMs` after each result while `active`, and never while
 * a poll is in flight (`idle` false), so polls never overlap. `result` is the
 * latest poll's answer: a new one schedules the next poll.
 */
export function usePolling(
  poll: () => void,
  options: {
    active: boolean;
    idle: boolean;
    intervalMs: number;
    result: unknown;
  },
) {
  const { active, idle, intervalMs, result } = options;
  useEffect(() => {
    if (!active || !idle) {
      return undefined;
    }
    const timer = setTimeout(poll, intervalMs);
    return () => clearTimeout(timer);
  }, [poll, active, idle, intervalMs, result]);
}
