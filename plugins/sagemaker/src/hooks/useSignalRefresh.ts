import { useSignal } from '@backstage/plugin-signals-react';
import { useEffect, useRef } from 'react';

/**
 * Calls `refresh` once for each signal on `channel` (the backend's hints,
 * see `deploymentSignalChannel` and its siblings in sagemaker-common), and
 * says whether signals are live: when they are, callers stop polling.
 *
 * "Live" is whether the app installed the signal API. The pinned
 * `SignalApi` tells nothing about its connection: its client reconnects by
 * itself and re-subscribes, so a page that missed a hint while it was cut
 * off catches up with the next one.
 */
export function useSignalRefresh(
  channel: string,
  refresh: () => unknown,
): { live: boolean } {
  const { lastSignal, isSignalsAvailable } = useSignal(channel);
  const latestRefresh = useRef(refresh);
  latestRefresh.current = refresh;
  useEffect(() => {
    // Each message is a new object, so two equal hints refresh twice.
    if (lastSignal) {
      latestRefresh.current();
    }
  }, [lastSignal]);
  return { live: isSignalsAvailable };
}
