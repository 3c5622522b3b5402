import { CopyTextButton } from '@backstage/core-components';
import { Box, Typography, makeStyles } from '@material-ui/core';
import {
  ReadinessCheck,
  ReadinessStatus,
} from '@internal/backstage-plugin-sagemaker-common';
import { StatusKind, StatusText } from '../StatusText';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
    '&:last-child': { borderBottom: 'none' },
  },
  policy: {
    margin: theme.spacing(1, 0, 0),
    padding: theme.spacing(1),
    fontSize: '0.75rem',
    background: theme.palette.background.default,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
  evidence: {
    marginTop: theme.spacing(0.5),
    fontSize: '0.75rem',
    overflowWrap: 'anywhere',
  },
}));

const STATUS_KIND: Record<ReadinessStatus, StatusKind> = {
  ok: 'ok',
  missing: 'error',
  unknown: 'warning',
};

const STATUS_TEXT: Record<ReadinessStatus, string> = {
  ok: 'OK',
  missing: 'Missing',
  unknown: 'Unknown',
};

/** The status of a check as an icon with its word, readable by screen readers. */
export const ReadinessStatusLabel = ({
  status,
}: {
  status: ReadinessStatus;
}) => <StatusText kind={STATUS_KIND[status]}>{STATUS_TEXT[status]}</StatusText>;

/**
 * A list of readiness checks: each with its status, what was found, and for
 * a check that is not ok, the fix with the policy to copy and where it goes.
 */
export const ReadinessChecks = ({
  checks,
  showOk = true,
}: {
  checks: ReadinessCheck[];
  /** Whether to list checks that passed too. */
  showOk?: boolean;
}) => {
  const classes = useStyles();
  const shown = showOk ? checks : checks.filter(c => c.status !== 'ok');
  return (
    <ul className={classes.list} aria-label="Readiness checks">
      {shown.map(check => {
        const policy = check.fix?.policy;
        const policyText = policy
          ? JSON.stringify(policy.document, null, 2)
          : undefined;
        return (
          <li key={check.id} className={classes.item}>
            <Typography variant="body2" component="div">
              <ReadinessStatusLabel status={check.status} />{' '}
              <strong>{check.title}</strong>{' '}
              <Typography variant="caption" color="textSecondary">
                account {check.accountId}
              </Typography>
            </Typography>
            <Typography variant="body2">{check.summary}</Typography>
            {check.fix && (
              <Box mt={1}>
                <Typography variant="body2">
                  <strong>Fix:</strong> {check.fix.summary}
                </Typography>
                {policy && policyText && (
                  <>
                    <Typography variant="caption" component="div">
                      Goes in {policy.where}
                      <CopyTextButton
                        text={policyText}
                        tooltipText="Policy copied"
                        aria-label={`Copy the policy for ${check.title}`}
                      />
                    </Typography>
                    <pre
                      className={classes.policy}
                      aria-label={`Policy for ${check.title}`}
                    >
                      {policyText}
                    </pre>
                  </>
                )}
              </Box>
            )}
            {check.evidence.length > 0 && (
              <details className={classes.evidence}>
                <summary>What was read</summary>
                <ul>
                  {check.evidence.map((line, i) => (
                    <li key={i}>{line}</li>
                  ))}
                </ul>
              </details>
            )}
          </li>
        );
      })}
    </ul>
  );
};
