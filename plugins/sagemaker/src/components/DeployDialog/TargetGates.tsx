import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, List, ListItem, ListItemText } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { describeFailedGates } from '@internal/backstage-plugin-sagemaker-common';
import { useEffect } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sageMakerApiRef } from '../../api';
import { useEntityCompoundRef } from '../../hooks/useEntityCompoundRef';
import { TargetCheckAlert, TargetCheckProps } from './TargetCheckAlert';
import { StatusText } from '../StatusText';

/**
 * The chosen target's evidence gates for this version (metric thresholds, a
 * lifecycle stage, separation of duties), as the server will check them on
 * deploy. Reports a failed gate so the dialog can block Deploy, naming the
 * rule and the value found.
 */
export const TargetGates = ({
  target,
  groupArn,
  version,
  onBlocked,
}: TargetCheckProps) => {
  const api = useApi(sageMakerApiRef);
  const entityRef = useEntityCompoundRef();
  const result = useAsyncRetry(
    () =>
      api.getEvidenceGates(entityRef, {
        target: target.name,
        group: groupArn,
        version,
      }),
    [api, entityRef, target.name, groupArn, version],
  );
  const gates = result.value?.gates ?? [];
  const failed = gates.filter(gate => !gate.passed);

  useEffect(() => {
    onBlocked(result.loading || failed.length > 0);
  }, [result.loading, failed.length, onBlocked]);

  if (result.loading) {
    return (
      <Box mt={2} aria-live="polite">
        <Progress
          aria-label={`Checking the evidence ${target.title} requires`}
        />
      </Box>
    );
  }
  if (result.error) {
    return (
      <TargetCheckAlert
        what={`check the evidence gates of ${target.title}`}
        error={result.error}
        fallback="The server still checks them on deploy."
        onRetry={result.retry}
      />
    );
  }
  if (gates.length === 0) {
    return null;
  }
  return (
    <Box
      mt={2}
      aria-live="polite"
      aria-label={`Evidence gates of ${target.title}`}
    >
      {failed.length > 0 ? (
        <Alert severity="error">
          Version {version} does not meet {target.title}'s evidence gates:{' '}
          {describeFailedGates(target.title, failed)}.
        </Alert>
      ) : (
        <Alert severity="success">
          Version {version} meets all {gates.length} evidence gates of{' '}
          {target.title}.
        </Alert>
      )}
      <List dense disablePadding>
        {gates.map(gate => (
          <ListItem key={gate.rule} disableGutters>
            <ListItemText
              primary={
                <StatusText kind={gate.passed ? 'ok' : 'error'}>
                  {gate.rule}
                </StatusText>
              }
              secondary={gate.found}
            />
          </ListItem>
        ))}
      </List>
    </Box>
  );
};
