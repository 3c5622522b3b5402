import { useApi } from '@backstage/core-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  Deployment,
  RollbackOption,
} from '@internal/backstage-plugin-sagemaker-common';
import { useRef, useState } from 'react';
import { sageMakerApiRef } from '../../api';
import { useEntityCompoundRef } from '../../hooks/useEntityCompoundRef';
import { errorMessage } from '../../utils/errors';
import { DeploymentProgress } from '../DeploymentProgress';

/**
 * Props of {@link RollbackDialog}.
 */
export interface RollbackDialogProps {
  option: RollbackOption;
  onClose: () => void;
  /** Called when the backend has accepted the rollback (202). */
  onStarted?: (deployment: Deployment) => void;
  /** Called when it has succeeded, failed or been rolled back. */
  onFinished?: (deployment: Deployment) => void;
  pollIntervalMs?: number;
}

/**
 * Confirms rolling an endpoint back to the version that served it before,
 * then follows the rollback's deployment with the live stepper.
 */
export const RollbackDialog = ({
  option,
  onClose,
  onStarted,
  onFinished,
  pollIntervalMs,
}: RollbackDialogProps) => {
  const api = useApi(sageMakerApiRef);
  const entityRef = useEntityCompoundRef();
  const [deployment, setDeployment] = useState<Deployment>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();
  // A retry after an error is the same rollback.
  const idempotencyKey = useRef(crypto.randomUUID());
  const titleId = 'sagemaker-rollback-dialog-title';

  const rollBack = async () => {
    setSubmitting(true);
    setError(undefined);
    try {
      const started = await api.rollback(
        entityRef,
        { target: option.target, endpointName: option.endpointName },
        { idempotencyKey: idempotencyKey.current },
      );
      setDeployment(started);
      onStarted?.(started);
    } catch (e) {
      setError(e as Error);
      setSubmitting(false);
    }
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth>
      <DialogTitle id={titleId}>
        Roll back {option.endpointName} to version {option.version}
      </DialogTitle>
      <DialogContent>
        {deployment ? (
          <DeploymentProgress
            deployment={deployment}
            onFinished={onFinished}
            pollIntervalMs={pollIntervalMs}
          />
        ) : (
          <DialogContentText>
            {option.endpointName} on {option.target} serves version{' '}
            {option.undoesVersion}. Rolling back deploys version{' '}
            {option.version} again, which served it before, with the same
            instances and the target's guardrails; it is recorded in the history
            as a rollback of that deployment.
          </DialogContentText>
        )}
        {error && <Alert severity="error">{errorMessage(error)}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{deployment ? 'Close' : 'Cancel'}</Button>
        {!deployment && (
          <Button
            color="primary"
            variant="contained"
            onClick={rollBack}
            disabled={submitting}
          >
            {submitting
              ? 'Rolling back…'
              : `Roll back to version ${option.version}`}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
};
