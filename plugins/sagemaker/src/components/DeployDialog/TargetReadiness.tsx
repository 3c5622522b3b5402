import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Button, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { ReadinessReport } from '@internal/backstage-plugin-sagemaker-common';
import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sageMakerApiRef } from '../../api';
import { useEntityCompoundRef } from '../../hooks/useEntityCompoundRef';
import { TargetCheckAlert, TargetCheckProps } from './TargetCheckAlert';
import { ReadinessChecks } from '../ReadinessChecks';

/**
 * The chosen target's preflight: what a deploy of this version would meet in
 * AWS. Reports whether a check is `missing` so the dialog can block Deploy.
 */
export const TargetReadiness = ({
  target,
  groupArn,
  version,
  onBlocked,
}: TargetCheckProps) => {
  const api = useApi(sageMakerApiRef);
  const entityRef = useEntityCompoundRef();
  const [fresh, setFresh] = useState(false);
  const report = useAsyncRetry(
    (): Promise<ReadinessReport> =>
      api.getReadiness(entityRef, {
        target: target.name,
        group: groupArn,
        version,
        fresh,
      }),
    [api, entityRef, target.name, groupArn, version, fresh],
  );
  const checks = report.value
    ? [...report.value.accounts, ...report.value.pairs.flatMap(p => p.checks)]
    : [];
  const missing = checks.filter(c => c.status === 'missing');
  const notOk = checks.filter(c => c.status !== 'ok');

  useEffect(() => {
    onBlocked(missing.length > 0 || report.loading);
  }, [missing.length, report.loading, onBlocked]);

  const checkAgain = () => (fresh ? report.retry() : setFresh(true));

  if (report.loading) {
    return (
      <Box mt={2} aria-live="polite">
        <Typography variant="body2">
          Checking the grants a deploy to {target.title} needs (account{' '}
          {target.accountId})…
        </Typography>
        <Progress />
      </Box>
    );
  }
  if (report.error) {
    return (
      <TargetCheckAlert
        what={`check readiness for ${target.title}`}
        error={report.error}
        fallback="AWS will still refuse what it must."
        onRetry={report.retry}
      />
    );
  }
  return (
    <Box mt={2} aria-live="polite" aria-label={`Readiness of ${target.title}`}>
      {missing.length > 0 ? (
        <Alert severity="error">
          {missing.length === 1
            ? '1 grant is missing'
            : `${missing.length} grants are missing`}{' '}
          in {target.title}: this deploy would fail in AWS. Apply the fix below,
          then check again.
        </Alert>
      ) : (
        <Alert severity={notOk.length ? 'info' : 'success'}>
          {checks.length - notOk.length} of {checks.length} readiness checks
          passed
          {notOk.length
            ? `; ${notOk.length} could not be verified (they do not block the deploy).`
            : '.'}
        </Alert>
      )}
      {notOk.length > 0 && <ReadinessChecks checks={notOk} showOk={false} />}
      <Button size="small" onClick={checkAgain} style={{ marginTop: 8 }}>
        Check again
      </Button>
    </Box>
  );
};
