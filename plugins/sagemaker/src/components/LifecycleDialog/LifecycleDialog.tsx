import { useApi } from '@backstage/core-plugin-api';
import { Progress } from '@backstage/core-components';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  lifecycleLabel,
  LifecycleResponse,
  ModelVersionSummary,
} from '@internal/backstage-plugin-sagemaker-common';
import { FormEvent, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sageMakerApiRef } from '../../api';
import { useEntityCompoundRef } from '../../hooks/useEntityCompoundRef';
import { errorMessage } from '../../utils/errors';
import { useVersionWrite } from '../../hooks/useVersionWrite';

/** Longest description the backend keeps (the rest of SageMaker's 1024 names who set it). */
const DESCRIPTION_MAX = 800;

/**
 * Props of {@link LifecycleDialog}.
 */
export interface LifecycleDialogProps {
  version: ModelVersionSummary;
  groupArn: string;
  onClose: () => void;
  /** Called with the backend's answer once the change is recorded. */
  onDone: (response: LifecycleResponse) => void;
  /** Called when the backend refused: a denial is recorded in the history too. */
  onRefused?: (error: Error) => void;
}

/**
 * Sets a version's lifecycle stage (SageMaker's ModelLifeCycle) to one of the
 * configured stages and statuses, with an optional description. The change
 * is made in SageMaker as the user and recorded in the entity's history.
 */
export const LifecycleDialog = ({
  version,
  groupArn,
  onClose,
  onDone,
  onRefused,
}: LifecycleDialogProps) => {
  const api = useApi(sageMakerApiRef);
  const entityRef = useEntityCompoundRef();
  const options = useAsyncRetry(() => api.listLifecycleOptions(), [api]);
  const [stage, setStage] = useState(version.modelLifeCycle?.stage ?? '');
  const [stageStatus, setStageStatus] = useState(
    version.modelLifeCycle?.stageStatus ?? '',
  );
  const [description, setDescription] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const write = useVersionWrite({ onDone, onRefused });
  const titleId = 'sagemaker-lifecycle-dialog-title';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!stage || !stageStatus) {
      setFieldError('Choose a stage and a status.');
      return;
    }
    await write.run(
      () =>
        api.setLifecycle(entityRef, version.version, {
          group: groupArn,
          stage,
          stageStatus,
          stageDescription: description.trim() || undefined,
        }),
      () =>
        `Version ${version.version} is now in stage ${stage} (${stageStatus}).`,
    );
  };

  const choice = (
    id: string,
    label: string,
    value: string,
    values: string[],
    onChange: (value: string) => void,
  ) => (
    <TextField
      id={id}
      select
      fullWidth
      margin="normal"
      variant="outlined"
      label={label}
      value={value}
      onChange={event => {
        onChange(event.target.value);
        setFieldError(undefined);
      }}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      error={Boolean(fieldError) && !value}
    >
      <option value="" disabled>
        Choose…
      </option>
      {values.map(v => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </TextField>
  );

  let content: JSX.Element;
  if (options.loading) {
    content = <Progress aria-label="Loading the lifecycle stages" />;
  } else if (options.error || !options.value) {
    content = (
      <Alert
        severity="error"
        action={
          <Button color="inherit" size="small" onClick={options.retry}>
            Retry
          </Button>
        }
      >
        Could not load the lifecycle stages:{' '}
        {errorMessage(options.error ?? new Error('no answer'))}
      </Alert>
    );
  } else {
    content = (
      <>
        {choice(
          'sagemaker-lifecycle-stage',
          'Stage',
          stage,
          options.value.stages,
          setStage,
        )}
        {choice(
          'sagemaker-lifecycle-status',
          'Stage status',
          stageStatus,
          options.value.statuses,
          setStageStatus,
        )}
        <TextField
          id="sagemaker-lifecycle-description"
          fullWidth
          multiline
          minRows={2}
          margin="normal"
          variant="outlined"
          label="Description (optional)"
          value={description}
          onChange={event => setDescription(event.target.value)}
          onKeyDown={event => {
            // Enter writes a new line; Ctrl/Cmd+Enter submits.
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              submit(event);
            }
          }}
          helperText={
            fieldError ??
            `Up to ${DESCRIPTION_MAX} characters; Ctrl+Enter submits.`
          }
          error={Boolean(fieldError)}
          inputProps={{ maxLength: DESCRIPTION_MAX }}
        />
      </>
    );
  }

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth>
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>
          Lifecycle stage of version {version.version} of {version.groupName}
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {version.modelLifeCycle
              ? `It is in ${lifecycleLabel(version.modelLifeCycle)} now.`
              : 'It has no lifecycle stage yet.'}{' '}
            The change is made in SageMaker as you and recorded in this entity's
            history.
          </DialogContentText>
          {content}
          {write.submitError && (
            <Alert severity="error" style={{ marginTop: 16 }}>
              {errorMessage(write.submitError)}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={write.submitting || !options.value}
          >
            Set stage
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
