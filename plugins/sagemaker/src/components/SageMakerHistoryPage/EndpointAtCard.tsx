import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  CircularProgress,
  Grid,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert, Autocomplete } from '@material-ui/lab';
import {
  EndpointAtResponse,
  HistoryEndpoint,
  HistoryEvent,
  endpointAtQuerySchema,
} from '@internal/backstage-plugin-sagemaker-common';
import { FormEvent, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { EndpointAtQuery, sageMakerApiRef } from '../../api';
import { errorMessage } from '../../utils/errors';
import { localInputToIso } from '../../utils/historyFilters';
import { formatDateTime } from '../../utils/labels';
import { EntityLink } from '../EntityLink';

type Field = 'account' | 'region' | 'endpoint' | 'at';
type Draft = Record<Field, string>;

const FIELDS: Array<{
  key: Field;
  label: string;
  placeholder?: string;
  type?: 'datetime-local';
  helperText: string;
}> = [
  {
    key: 'account',
    label: 'Account ID',
    placeholder: '333333333333',
    helperText: 'The 12-digit AWS account of the endpoint',
  },
  {
    key: 'region',
    label: 'Region',
    placeholder: 'us-east-1',
    helperText: 'The AWS region of the endpoint',
  },
  {
    key: 'endpoint',
    label: 'Endpoint name',
    placeholder: 'fraud-detection-production',
    helperText: 'The SageMaker endpoint',
  },
  {
    key: 'at',
    label: 'Date and time',
    type: 'datetime-local',
    helperText: 'Your local time',
  },
];

/** The question, or what is wrong with the draft, by the backend's rules. */
function check(draft: Draft): {
  query?: EndpointAtQuery;
  errors: Partial<Record<Field, string>>;
} {
  const at = draft.at ? localInputToIso(draft.at) : undefined;
  const errors: Partial<Record<Field, string>> = {};
  const result = endpointAtQuerySchema.safeParse({
    account: draft.account.trim(),
    region: draft.region.trim(),
    endpoint: draft.endpoint.trim(),
    at: at ?? '',
  });
  if (result.success) {
    return { query: result.data, errors };
  }
  for (const issue of result.error.issues) {
    const key = issue.path[0] as Field;
    errors[key] ??= issue.message;
  }
  for (const spec of FIELDS) {
    if (!draft[spec.key].trim()) {
      errors[spec.key] = 'required';
    }
  }
  return { errors };
}

const By = ({ event }: { event: HistoryEvent }) => (
  <>
    <EntityLink entityRef={event.actor} userOnly />
    {event.source === 'sagemaker' && ' (outside Backstage)'} on{' '}
    <time dateTime={event.at} title={event.at}>
      {formatDateTime(event.at)}
    </time>
  </>
);

const Answer = ({ answer }: { answer: EndpointAtResponse }) => {
  const place = `${answer.endpointName} (${answer.accountId}, ${answer.region})`;
  const when = formatDateTime(answer.at);
  const { deployment, approval } = answer;
  if (!deployment) {
    return (
      <Alert severity="info">
        No successful deployment to {place} is recorded at or before {when}.
      </Alert>
    );
  }
  return (
    <Box>
      <Typography variant="subtitle2" component="p">
        On {when}, {place} served{' '}
        {deployment.version !== undefined
          ? `version ${deployment.version}`
          : 'the version'}{' '}
        of <EntityLink entityRef={deployment.entityRef} />.
      </Typography>
      {deployment.versionArn && (
        <Typography variant="caption" component="p">
          {deployment.versionArn}
        </Typography>
      )}
      <Typography variant="body2" component="p">
        Deployed by <By event={deployment} />
        {deployment.target && ` to ${deployment.target}`}
        {deployment.deploymentId && ` (deployment ${deployment.deploymentId})`}.
      </Typography>
      <Typography variant="body2" component="p">
        {approval ? (
          <>
            Approved by <By event={approval} />
            {approval.comment && `: “${approval.comment}”`}.
          </>
        ) : (
          'No approval of this version is recorded before then.'
        )}
      </Typography>
    </Box>
  );
};

const describeEndpoint = (endpoint: HistoryEndpoint) =>
  `${endpoint.endpointName} (${endpoint.accountId}, ${endpoint.region})`;

const sameQuestion = (a?: Draft, b?: Draft) =>
  Boolean(a && b) && FIELDS.every(({ key }) => a![key] === b![key]);

/**
 * "What served on endpoint X at time T": the last successful deployment to
 * the endpoint at or before then, and who approved that version. The
 * endpoints the history names can be picked rather than typed.
 */
export const EndpointAtCard = ({
  endpoints,
}: {
  /** The endpoints the history names, to pick from. */
  endpoints: HistoryEndpoint[];
}) => {
  const api = useApi(sageMakerApiRef);
  const [draft, setDraft] = useState<Draft>({
    account: '',
    region: '',
    endpoint: '',
    at: '',
  });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [asked, setAsked] = useState<Draft>();
  const [state, ask] = useAsyncFn(
    (query: EndpointAtQuery) => api.getEndpointAt(query),
    [api],
  );
  // An answer stands only for the question it answered: once the form
  // changes, it is withdrawn until the new question is asked.
  const answersDraft = sameQuestion(asked, draft);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const checked = check(draft);
    setErrors(checked.errors);
    if (checked.query) {
      setAsked(draft);
      ask(checked.query);
    }
  };

  const picked = endpoints.find(
    e =>
      e.accountId === draft.account.trim() &&
      e.region === draft.region.trim() &&
      e.endpointName === draft.endpoint.trim(),
  );

  return (
    <InfoCard title="What served on an endpoint">
      <form
        aria-label="What served on an endpoint"
        onSubmit={onSubmit}
        noValidate
      >
        <Grid container spacing={2}>
          <Grid item xs={12}>
            <Autocomplete
              id="sagemaker-endpoint-at-known"
              options={endpoints}
              value={picked ?? null}
              getOptionLabel={describeEndpoint}
              getOptionSelected={(a, b) =>
                describeEndpoint(a) === describeEndpoint(b)
              }
              onChange={(_event, endpoint) =>
                endpoint &&
                setDraft(previous => ({
                  ...previous,
                  account: endpoint.accountId,
                  region: endpoint.region,
                  endpoint: endpoint.endpointName,
                }))
              }
              noOptionsText="The history names no such endpoint"
              renderInput={params => (
                <TextField
                  {...params}
                  label="Known endpoint"
                  helperText={
                    endpoints.length > 0
                      ? 'An endpoint the history names; fills in the fields below'
                      : 'The history names no endpoint yet; type one below'
                  }
                  InputLabelProps={{ ...params.InputLabelProps, shrink: true }}
                  variant="outlined"
                  size="small"
                />
              )}
            />
          </Grid>
          {FIELDS.map(spec => (
            <Grid item xs={12} sm={6} key={spec.key}>
              <TextField
                id={`sagemaker-endpoint-at-${spec.key}`}
                name={spec.key}
                label={spec.label}
                value={draft[spec.key]}
                onChange={event =>
                  setDraft(current => ({
                    ...current,
                    [spec.key]: event.target.value,
                  }))
                }
                type={spec.type}
                inputProps={{
                  'aria-required': true,
                  ...(spec.type ? { step: 1 } : {}),
                }}
                placeholder={spec.placeholder}
                error={Boolean(errors[spec.key])}
                helperText={errors[spec.key] ?? spec.helperText}
                InputLabelProps={{ shrink: true }}
                variant="outlined"
                size="small"
                fullWidth
              />
            </Grid>
          ))}
        </Grid>
        <Box
          display="flex"
          alignItems="center"
          marginTop={2}
          style={{ gap: 8 }}
        >
          <Button
            type="submit"
            variant="outlined"
            color="primary"
            disabled={state.loading}
          >
            Look up
          </Button>
          {state.loading && (
            <CircularProgress size={20} aria-label="Looking up" />
          )}
        </Box>
      </form>
      <Box marginTop={2} aria-live="polite">
        {answersDraft && !state.loading && state.value && (
          <Answer answer={state.value} />
        )}
        {answersDraft && !state.loading && state.error && (
          <Alert severity="error">{errorMessage(state.error)}</Alert>
        )}
        {asked && !answersDraft && (
          <Typography variant="body2" color="textSecondary">
            The question changed: Look up to answer it.
          </Typography>
        )}
      </Box>
    </InfoCard>
  );
};
