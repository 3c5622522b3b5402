import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useRef, useState } from 'react';

/**
 * The submit of a dialog that writes one version (approval, lifecycle
 * stage): one write at a time, even on a double Enter; a success toast; the
 * backend's refusal kept for the dialog to show and passed to `onRefused`.
 */
export function useVersionWrite<T>({
  onDone,
  onRefused,
}: {
  onDone: (response: T) => void;
  onRefused?: (error: Error) => void;
}) {
  const alertApi = useApi(alertApiRef);
  const [submitError, setSubmitError] = useState<Error>();
  const [submitting, setSubmitting] = useState(false);
  const inFlight = useRef(false);

  const run = async (
    write: () => Promise<T>,
    successMessage: (response: T) => string,
  ) => {
    if (inFlight.current) {
      return;
    }
    inFlight.current = true;
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      const response = await write();
      alertApi.post({
        message: successMessage(response),
        severity: 'success',
        display: 'transient',
      });
      onDone(response);
    } catch (error) {
      setSubmitError(error as Error);
      onRefused?.(error as Error);
    } finally {
      inFlight.current = false;
      setSubmitting(false);
    }
  };

  return { run, submitting, submitError };
}
