import { Button } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { ReactNode } from 'react';
import { DeploymentTargetInfo } from '@internal/backstage-plugin-sagemaker-common';
import { errorMessage } from '../../utils/errors';

/** What the deploy dialog's per-target checks (gates, readiness) are given. */
export interface TargetCheckProps {
  target: DeploymentTargetInfo;
  groupArn: string;
  version: number;
  /** Tells the dialog whether the check blocks Deploy (also while loading). */
  onBlocked: (blocked: boolean) => void;
}

/**
 * A per-target check that could not run: what failed, what still protects
 * the deploy, and a Retry.
 */
export const TargetCheckAlert = ({
  what,
  error,
  fallback,
  onRetry,
}: {
  /** e.g. "check the evidence gates of Production (333333333333)" */
  what: ReactNode;
  error: Error;
  /** What still holds without the check, e.g. "The server still checks them on deploy." */
  fallback: string;
  onRetry: () => void;
}) => (
  <Alert
    severity="warning"
    style={{ marginTop: 16 }}
    action={
      <Button color="inherit" size="small" onClick={onRetry}>
        Retry
      </Button>
    }
  >
    Could not {what}: {errorMessage(error)}. {fallback}
  </Alert>
);
