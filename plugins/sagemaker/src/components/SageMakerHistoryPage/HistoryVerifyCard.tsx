import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Button, CircularProgress, Typography } from '@material-ui/core';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import { Alert, AlertTitle } from '@material-ui/lab';
import { HistoryVerification } from '@internal/backstage-plugin-sagemaker-common';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { sageMakerApiRef } from '../../api';
import { errorMessage } from '../../utils/errors';

const events = (count: number) =>
  `${count.toLocaleString('en-US')} ${count === 1 ? 'event' : 'events'}`;

/** The backend's reason as a sentence: "Event 3 is missing." */
const sentence = (text: string) =>
  `${text.charAt(0).toLocaleUpperCase('en-US')}${text.slice(1)}${
    /[.!?]$/.test(text) ? '' : '.'
  }`;

const VerificationResult = ({ result }: { result: HistoryVerification }) => {
  if (result.intact) {
    return <Alert severity="success">Intact, {events(result.count)}</Alert>;
  }
  return (
    <Alert severity="error">
      <AlertTitle>Broken at event #{result.firstBrokenSeq}</AlertTitle>
      {sentence(result.reason)}{' '}
      {result.count === 0
        ? 'No event before it could be verified.'
        : `The ${events(result.count)} before it ${
            result.count === 1 ? 'is' : 'are'
          } intact.`}
    </Alert>
  );
};

/**
 * "Verify integrity": the backend re-computes the history's hash chain and
 * says whether it is intact, or which event is the first that breaks it.
 */
export const HistoryVerifyCard = () => {
  const api = useApi(sageMakerApiRef);
  const [state, verify] = useAsyncFn(() => api.verifyHistory(), [api]);
  return (
    <InfoCard title="Integrity">
      <Typography variant="body2" paragraph>
        Each event holds the hash of the one before it, so an event that was
        edited or deleted in the database breaks the chain from there on.
      </Typography>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Button
          variant="outlined"
          color="primary"
          startIcon={<VerifiedUserIcon />}
          onClick={() => verify()}
          disabled={state.loading}
        >
          Verify integrity
        </Button>
        {state.loading && <CircularProgress size={20} aria-label="Verifying" />}
      </Box>
      <Box marginTop={2}>
        {!state.loading && state.value && (
          <VerificationResult result={state.value} />
        )}
        {!state.loading && state.error && (
          <Alert severity="error">
            Could not verify the history: {errorMessage(state.error)}
          </Alert>
        )}
      </Box>
    </InfoCard>
  );
};
