import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { HistoryEvent } from '@internal/backstage-plugin-sagemaker-common';
import {
  HISTORY_ACTION_LABELS,
  HISTORY_OUTCOME_LABELS,
  formatDateTime,
} from '../../utils/labels';

const useStyles = makeStyles(theme => ({
  arn: {
    fontFamily: 'monospace',
    fontSize: theme.typography.caption.fontSize,
    wordBreak: 'break-all',
    display: 'block',
    color: theme.palette.text.secondary,
  },
  failed: {
    color: theme.palette.error.main,
  },
}));

function parseRef(ref: string): CompoundEntityRef | undefined {
  try {
    return parseEntityRef(ref);
  } catch {
    return undefined;
  }
}

/** A link to an entity's page, or the ref as text when it is not one. */
export const EntityLink = ({
  entityRef,
  userOnly,
}: {
  entityRef: string;
  /** Link only user refs (an actor may be an AWS identity). */
  userOnly?: boolean;
}) => {
  const entityRoute = useRouteRef(entityRouteRef);
  const parsed = parseRef(entityRef);
  if (
    !parsed ||
    (userOnly && parsed.kind.toLocaleLowerCase('en-US') !== 'user')
  ) {
    return <>{entityRef}</>;
  }
  return <Link to={entityRoute(entityRouteParams(parsed))}>{entityRef}</Link>;
};

const Version = ({ event }: { event: HistoryEvent }) => {
  const classes = useStyles();
  if (event.version === undefined && !event.versionArn) {
    return null;
  }
  return (
    <>
      {event.version !== undefined && `Version ${event.version}`}
      {event.versionArn && (
        <span className={classes.arn}>{event.versionArn}</span>
      )}
    </>
  );
};

const Where = ({ event }: { event: HistoryEvent }) => {
  const place = [event.accountId, event.region].filter(Boolean).join(', ');
  return (
    <>
      {event.target && <div>{event.target}</div>}
      {place && (
        <Typography variant="caption" display="block">
          {place}
        </Typography>
      )}
      {event.endpointName && <div>{event.endpointName}</div>}
    </>
  );
};

const Details = ({ event }: { event: HistoryEvent }) => {
  const classes = useStyles();
  return (
    <>
      {event.comment && (
        <Typography variant="body2">{event.comment}</Typography>
      )}
      {event.awsErrorCode && (
        <Typography variant="body2" className={classes.failed}>
          {event.awsErrorCode}: {event.awsErrorMessage}
        </Typography>
      )}
      {event.awsRequestId && (
        <Typography variant="caption" display="block">
          AWS request id {event.awsRequestId}
        </Typography>
      )}
      {event.deploymentId && (
        <Typography variant="caption" display="block">
          Deployment {event.deploymentId}
        </Typography>
      )}
    </>
  );
};

/**
 * Props of {@link HistoryEventsTable}.
 */
export interface HistoryEventsTableProps {
  events: HistoryEvent[];
  /** The id of the heading that names the table. */
  labelledBy: string;
}

/**
 * History events as a table, in the order given (newest first).
 */
export const HistoryEventsTable = ({
  events,
  labelledBy,
}: HistoryEventsTableProps) => (
  <Table size="small" aria-labelledby={labelledBy}>
    <TableHead>
      <TableRow>
        <TableCell>#</TableCell>
        <TableCell>When</TableCell>
        <TableCell>Entity</TableCell>
        <TableCell>Who</TableCell>
        <TableCell>Action</TableCell>
        <TableCell>Outcome</TableCell>
        <TableCell>Version</TableCell>
        <TableCell>Where</TableCell>
        <TableCell>Details</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {events.map(event => (
        <TableRow key={event.seq}>
          <TableCell>{event.seq}</TableCell>
          <TableCell>
            <time dateTime={event.at} title={event.at}>
              {formatDateTime(event.at)}
            </time>
          </TableCell>
          <TableCell>
            <EntityLink entityRef={event.entityRef} />
          </TableCell>
          <TableCell>
            <EntityLink entityRef={event.actor} userOnly />
            {event.source === 'sagemaker' && (
              <Typography variant="caption" display="block">
                outside Backstage
              </Typography>
            )}
          </TableCell>
          <TableCell>
            {HISTORY_ACTION_LABELS[event.action] ?? event.action}
          </TableCell>
          <TableCell>
            {HISTORY_OUTCOME_LABELS[event.outcome] ?? event.outcome}
          </TableCell>
          <TableCell>
            <Version event={event} />
          </TableCell>
          <TableCell>
            <Where event={event} />
          </TableCell>
          <TableCell>
            <Details event={event} />
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);
