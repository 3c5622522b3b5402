import {
  Button,
  Step,
  StepLabel,
  Stepper,
  Typography,
} from '@material-ui/core';
import { Alert, AlertTitle } from '@material-ui/lab';
import {
  Deployment,
  DeploymentPhase,
  READINESS_CHECK_TITLES,
  readinessCheckForFailure,
} from '@internal/backstage-plugin-sagemaker-common';
import { useEffect, useRef } from 'react';
import { useDeployment } from '../../hooks/useDeployment';
import { useNow } from '../../hooks/useNow';
import { errorMessage } from '../../utils/errors';
import { timeLeft } from '../../utils/timeLeft';
import { ErrorText } from '../ErrorText';

const PHASE_STEP: Record<DeploymentPhase, number> = {
  model: 0,
  'endpoint-config': 1,
  endpoint: 2,
  waiting: 2,
  done: 3,
};

/** SageMaker's code for an update it rolled back (see the executor). */
const ROLLED_BACK = 'UpdateRolledBack';

function steps(deployment: Deployment, rolledBack: boolean) {
  const verb = deployment.mode === 'update' ? 'Updating' : 'Creating';
  const endpointLabel =
    deployment.phase === 'waiting' && deployment.endpointStatus
      ? `Endpoint ${deployment.endpointStatus}`
      : `Endpoint ${verb}`;
  let final = 'InService';
  if (rolledBack) {
    final = 'Rolled back';
  } else if (deployment.status === 'failed') {
    final = 'Failed';
  }
  return ['Model', 'Endpoint config', endpointLabel, final];
}

/**
 * Where a guarded update's traffic shifting is, in words; while the new
 * fleet bakes, with the time left by the server's reckoning.
 */
function trafficText(deployment: Deployment, now: number): string | undefined {
  const traffic = deployment.traffic;
  if (!traffic || deployment.status !== 'in-progress') {
    return undefined;
  }
  const since = traffic.startedAt
    ? ` (since ${new Date(traffic.startedAt).toLocaleTimeString()})`
    : '';
  const left = traffic.bakeEndsAt
    ? `, baking ${timeLeft(traffic.bakeEndsAt, now)}`
    : '';
  return `Traffic shifting: ${traffic.status}${
    traffic.message ? ` — ${traffic.message}` : ''
  }${since}${left}`;
}

/**
 * Props of {@link DeploymentProgress}.
 */
export interface DeploymentProgressProps {
  /** The deployment as the deploy request answered it. */
  deployment: Deployment;
  /** Called once when the deployment has succeeded or failed. */
  onFinished?: (deployment: Deployment) => void;
  pollIntervalMs?: number;
}

/**
 * A live stepper for one deployment: Model, Endpoint config, Endpoint
 * Creating/Updating, then InService or Failed with the AWS error.
 */
export const DeploymentProgress = ({
  deployment: initial,
  onFinished,
  pollIntervalMs,
}: DeploymentProgressProps) => {
  const { deployment, error, retry } = useDeployment(initial, pollIntervalMs);
  const caughtBy = deployment.error
    ? readinessCheckForFailure(deployment.error.message)
    : undefined;
  const finished = deployment.status !== 'in-progress';
  const reported = useRef(false);
  useEffect(() => {
    if (finished && !reported.current) {
      reported.current = true;
      onFinished?.(deployment);
    }
  }, [finished, deployment, onFinished]);

  const rolledBack = deployment.error?.code === ROLLED_BACK;
  const failed = deployment.status === 'failed' && !rolledBack;
  const current = PHASE_STEP[deployment.phase] ?? 0;
  const failedStep = deployment.status === 'failed' ? current : -1;
  const labels = steps(deployment, rolledBack);
  const now = useNow(
    Boolean(deployment.traffic?.bakeEndsAt) &&
      deployment.status === 'in-progress',
  );
  const traffic = trafficText(deployment, now);
  const instances =
    deployment.instanceType === 'serverless'
      ? 'serverless'
      : `${deployment.instanceCount} × ${deployment.instanceType}`;

  return (
    <div aria-live="polite">
      <Typography variant="body2">
        Version {deployment.version} to {deployment.target} as{' '}
        <strong>{deployment.endpointName}</strong> ({instances})
      </Typography>
      <Stepper
        activeStep={deployment.status === 'succeeded' ? labels.length : current}
        alternativeLabel
        aria-label="Deployment progress"
      >
        {labels.map((label, index) => (
          <Step
            key={index}
            completed={
              deployment.status === 'succeeded' ||
              (index < current && index !== failedStep)
            }
          >
            <StepLabel
              error={index === failedStep}
              optional={
                index === failedStep && index < labels.length - 1 ? (
                  <ErrorText variant="caption">Failed here</ErrorText>
                ) : undefined
              }
            >
              {label}
            </StepLabel>
          </Step>
        ))}
      </Stepper>
      {traffic && (
        <Typography variant="body2" aria-label="Traffic shifting">
          {traffic}
        </Typography>
      )}
      {rolledBack && deployment.error && (
        <Alert severity="warning">
          <AlertTitle>Rolled back</AlertTitle>
          <Typography variant="body2">{deployment.error.message}</Typography>
          <Typography variant="body2">
            {deployment.endpointName} still serves what it served before.
          </Typography>
        </Alert>
      )}
      {deployment.status === 'succeeded' && (
        <Alert severity="success">
          {deployment.endpointName} is InService with version{' '}
          {deployment.version}.
        </Alert>
      )}
      {failed && (
        <Alert severity="error">
          <AlertTitle>Deployment failed</AlertTitle>
          {deployment.error ? (
            <>
              <Typography variant="body2">
                {deployment.error.code}: {deployment.error.message}
              </Typography>
              {deployment.error.requestId && (
                <Typography variant="body2">
                  AWS request id: {deployment.error.requestId}
                </Typography>
              )}
              {caughtBy && (
                <Typography variant="body2">
                  The readiness check “{READINESS_CHECK_TITLES[caughtBy]}” would
                  have caught this: deploy again to see its fix.
                </Typography>
              )}
            </>
          ) : (
            <Typography variant="body2">
              The endpoint is {deployment.endpointStatus ?? 'not in service'}.
            </Typography>
          )}
        </Alert>
      )}
      {error && (
        <Alert
          severity="warning"
          action={
            <Button color="inherit" size="small" onClick={retry}>
              Retry
            </Button>
          }
        >
          Could not get the deployment's progress: {errorMessage(error)}
        </Alert>
      )}
    </div>
  );
};
