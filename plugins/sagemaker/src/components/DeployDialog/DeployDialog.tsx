import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  Deployment,
  DeploymentTargetInfo,
  DeployRequest,
  ENDPOINT_NAME_PATTERN,
  ModelEndpoint,
  ModelVersionSummary,
  defaultEndpointName,
  describeGuardrails,
} from '@internal/backstage-plugin-sagemaker-common';
import { FormEvent, useCallback, useMemo, useRef, useState } from 'react';
import { sageMakerApiRef } from '../../api';
import { useDeploymentTargets } from '../../hooks/useDeploymentTargets';
import { useEntityCompoundRef } from '../../hooks/useEntityCompoundRef';
import { targetAvailability } from '../../utils/deployability';
import { errorMessage } from '../../utils/errors';
import { DeploymentProgress } from '../DeploymentProgress';
import { TargetGates } from './TargetGates';
import { TargetReadiness } from './TargetReadiness';

/**
 * Props of {@link DeployDialog}.
 */
export interface DeployDialogProps {
  version: ModelVersionSummary;
  groupArn: string;
  /** The endpoints serving the entity, for the `requires` rule. */
  endpoints: ModelEndpoint[];
  onClose: () => void;
  /** Called when the backend has accepted the deployment (202). */
  onStarted?: (deployment: Deployment) => void;
  /** Called when it has succeeded or failed. */
  onFinished?: (deployment: Deployment) => void;
  /** Called when the backend refused: a denial is recorded in the history too. */
  onRefused?: (error: Error) => void;
  pollIntervalMs?: number;
}

interface FormValues {
  target: string;
  endpointName: string;
  endpointNameEdited: boolean;
  instanceType: string;
  instanceCount: string;
}

function defaultsFor(
  target: DeploymentTargetInfo | undefined,
  version: ModelVersionSummary,
): FormValues {
  const supported = target?.instanceTypes.find(type =>
    version.realtimeInstanceTypes.includes(type),
  );
  return {
    target: target?.name ?? '',
    endpointName: target
      ? defaultEndpointName(version.groupName, target.name)
      : '',
    endpointNameEdited: false,
    instanceType: supported ?? target?.instanceTypes[0] ?? '',
    instanceCount: '1',
  };
}

const DeployForm = ({
  version,
  groupArn,
  endpoints,
  targets,
  onClose,
  onStarted,
  onRefused,
}: Omit<DeployDialogProps, 'onFinished' | 'pollIntervalMs'> & {
  targets: DeploymentTargetInfo[];
  onStarted: (deployment: Deployment) => void;
}) => {
  const api = useApi(sageMakerApiRef);
  const entityRef = useEntityCompoundRef();
  const availability = useMemo(
    () =>
      new Map(
        targets.map(target => [
          target.name,
          targetAvailability(version, target, targets, endpoints),
        ]),
      ),
    [version, targets, endpoints],
  );
  const firstAvailable = targets.find(
    target => availability.get(target.name)?.available,
  );
  const [values, setValues] = useState<FormValues>(() =>
    defaultsFor(firstAvailable, version),
  );
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<Error>();
  const [blocked, setBlocked] = useState(true);
  const onBlocked = useCallback((value: boolean) => setBlocked(value), []);
  const [gated, setGated] = useState(true);
  const onGated = useCallback((value: boolean) => setGated(value), []);
  const inFlight = useRef(false);
  const idempotency = useRef<{ body: string; key: string }>();

  const target = targets.find(t => t.name === values.target);
  const count = Number(values.instanceCount);
  const nameError = ENDPOINT_NAME_PATTERN.test(values.endpointName)
    ? undefined
    : 'Use 1-63 letters, digits or dashes, starting and ending with a letter or digit.';
  const serverless = target?.serverless;
  const countError =
    target &&
    !serverless &&
    (!Number.isInteger(count) || count < 1 || count > target.maxInstanceCount)
      ? `Between 1 and ${target.maxInstanceCount}.`
      : undefined;
  const existing = endpoints.find(
    endpoint =>
      endpoint.target === values.target &&
      endpoint.endpointName === values.endpointName,
  );
  const unavailable = targets.flatMap(t => {
    const result = availability.get(t.name);
    return result && !result.available
      ? [{ target: t, reason: result.reason }]
      : [];
  });
  const valid =
    Boolean(target) &&
    !nameError &&
    !countError &&
    (Boolean(serverless) || Boolean(values.instanceType)) &&
    !blocked &&
    !gated;

  const chooseTarget = (name: string) => {
    const next = targets.find(t => t.name === name);
    setValues(previous => {
      const defaults = defaultsFor(next, version);
      return {
        ...defaults,
        endpointName: previous.endpointNameEdited
          ? previous.endpointName
          : defaults.endpointName,
        endpointNameEdited: previous.endpointNameEdited,
      };
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid || inFlight.current) {
      return;
    }
    const request: DeployRequest = {
      group: groupArn,
      version: version.version,
      target: values.target,
      endpointName: values.endpointName,
      ...(serverless
        ? {}
        : { instanceType: values.instanceType, instanceCount: count }),
    };
    // A retry of the same request is the same deployment; a changed one is not.
    const body = JSON.stringify(request);
    if (idempotency.current?.body !== body) {
      idempotency.current = { body, key: crypto.randomUUID() };
    }
    inFlight.current = true;
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      const deployment = await api.deploy(entityRef, request, {
        idempotencyKey: idempotency.current.key,
      });
      onStarted(deployment);
    } catch (error) {
      setSubmitError(error as Error);
      onRefused?.(error as Error);
      inFlight.current = false;
      setSubmitting(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <DialogContent>
        {unavailable.length > 0 && (
          <Alert severity="info" style={{ marginBottom: 16 }}>
            <Typography variant="body2" component="div">
              {unavailable.length === targets.length
                ? 'No target is available:'
                : 'Unavailable targets:'}
              <ul aria-label="Unavailable targets">
                {unavailable.map(item => (
                  <li key={item.target.name}>
                    {item.target.title}: {item.reason}
                  </li>
                ))}
              </ul>
            </Typography>
          </Alert>
        )}
        <TextField
          select
          fullWidth
          margin="normal"
          variant="outlined"
          id="sagemaker-deploy-target"
          label="Target"
          value={values.target}
          onChange={event => chooseTarget(event.target.value)}
          disabled={!firstAvailable}
          helperText={
            target
              ? `Account ${target.accountId}, ${target.region}`
              : 'Choose where to deploy'
          }
          SelectProps={{ autoFocus: true }}
        >
          {targets.map(t => (
            <MenuItem
              key={t.name}
              value={t.name}
              disabled={!availability.get(t.name)?.available}
            >
              {t.title}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          fullWidth
          margin="normal"
          variant="outlined"
          id="sagemaker-deploy-endpoint-name"
          label="Endpoint name"
          value={values.endpointName}
          disabled={!target}
          onChange={event => {
            const endpointName = event.target.value;
            setValues(previous => ({
              ...previous,
              endpointName,
              endpointNameEdited: true,
            }));
          }}
          error={Boolean(target && nameError)}
          helperText={
            (target && nameError) ??
            (existing
              ? `Updates the existing endpoint (${existing.status}, serving ${
                  existing.variants
                    .map(v =>
                      v.version ? `version ${v.version}` : v.modelName,
                    )
                    .join(', ') || 'no version of this entity'
                }).`
              : 'A new endpoint is created.')
          }
        />
        {target && (
          <Typography
            variant="body2"
            color="textSecondary"
            id="sagemaker-deploy-traffic"
          >
            {existing
              ? describeGuardrails(target.deploymentConfig)
              : 'A new endpoint has no traffic shifting: it takes all traffic once it is InService.'}
          </Typography>
        )}
        {serverless ? (
          <Typography variant="body2" style={{ marginTop: 16 }}>
            Serverless: {serverless.memorySizeInMB} MB of memory, up to{' '}
            {serverless.maxConcurrency} concurrent invocations (set by the
            target).
          </Typography>
        ) : (
          <>
            <TextField
              select
              fullWidth
              margin="normal"
              variant="outlined"
              id="sagemaker-deploy-instance-type"
              label="Instance type"
              value={values.instanceType}
              disabled={!target}
              onChange={event => {
                const instanceType = event.target.value;
                setValues(previous => ({ ...previous, instanceType }));
              }}
              helperText={
                version.realtimeInstanceTypes.length > 0 &&
                values.instanceType &&
                !version.realtimeInstanceTypes.includes(values.instanceType)
                  ? `The version lists ${version.realtimeInstanceTypes.join(
                      ', ',
                    )} for real-time inference.`
                  : 'Allowed for this target.'
              }
            >
              {(target?.instanceTypes ?? []).map(type => (
                <MenuItem key={type} value={type}>
                  {type}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              fullWidth
              margin="normal"
              variant="outlined"
              id="sagemaker-deploy-instance-count"
              label="Instance count"
              type="number"
              value={values.instanceCount}
              disabled={!target}
              inputProps={{
                min: 1,
                max: target?.maxInstanceCount ?? 1,
                step: 1,
              }}
              onChange={event => {
                const instanceCount = event.target.value;
                setValues(previous => ({ ...previous, instanceCount }));
              }}
              error={Boolean(countError)}
              helperText={
                countError ??
                (target ? `At most ${target.maxInstanceCount}.` : undefined)
              }
            />
          </>
        )}
        {target && (
          <TargetGates
            target={target}
            groupArn={groupArn}
            version={version.version}
            onBlocked={onGated}
          />
        )}
        {target && (
          <TargetReadiness
            target={target}
            groupArn={groupArn}
            version={version.version}
            onBlocked={onBlocked}
          />
        )}
        {submitError && (
          <Alert severity="error" style={{ marginTop: 16 }}>
            {errorMessage(submitError)}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          type="submit"
          color="primary"
          variant="contained"
          disabled={!valid || submitting}
        >
          {submitting ? 'Deploying…' : 'Deploy'}
        </Button>
      </DialogActions>
    </form>
  );
};

/**
 * Deploys one version to a deployment target's endpoint, then follows the
 * deployment with a live stepper until it is InService or Failed.
 */
export const DeployDialog = ({
  onStarted,
  onFinished,
  pollIntervalMs,
  ...props
}: DeployDialogProps) => {
  const { version, onClose } = props;
  const targets = useDeploymentTargets();
  const [deployment, setDeployment] = useState<Deployment>();
  const titleId = 'sagemaker-deploy-dialog-title';

  let content: JSX.Element;
  if (deployment) {
    content = (
      <>
        <DialogContent>
          <DeploymentProgress
            deployment={deployment}
            onFinished={onFinished}
            pollIntervalMs={pollIntervalMs}
          />
        </DialogContent>
        <DialogActions>
          <Button
            onClick={onClose}
            color="primary"
            // eslint-disable-next-line jsx-a11y/no-autofocus -- the form is gone: focus the dialog's only action
            autoFocus
            // A keyboard submit (Enter) makes this autofocus "focus visible"
            // before the button's ripple has mounted; Material UI v4 then
            // calls pulsate() on a null ripple and the tab crashes.
            disableFocusRipple
          >
            Close
          </Button>
        </DialogActions>
      </>
    );
  } else if (targets.loading) {
    content = (
      <DialogContent>
        <Progress />
      </DialogContent>
    );
  } else if (targets.error) {
    content = (
      <DialogContent>
        <Alert
          severity="error"
          action={
            <Button color="inherit" size="small" onClick={targets.retry}>
              Retry
            </Button>
          }
        >
          Could not load the deployment targets: {errorMessage(targets.error)}
        </Alert>
      </DialogContent>
    );
  } else {
    content = (
      <DeployForm
        {...props}
        targets={targets.value?.targets ?? []}
        onStarted={started => {
          setDeployment(started);
          onStarted?.(started);
        }}
      />
    );
  }

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth>
      <DialogTitle id={titleId}>
        Deploy version {version.version} of {version.groupName}
      </DialogTitle>
      {content}
    </Dialog>
  );
};
