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
import { TruncatedArn } from '../TruncatedArn';
import { EntityLink } from '../EntityLink';

const useStyles = makeStyles(theme => ({
  scroll: { overflowX: 'auto' },
  details: { minWidth: '16em' },
  // Short values never wrap; long ones wrap between words, never inside one.
  short: { whiteSpace: 'nowrap' },
  failed: {
    // error.main is too light for small text on white (axe color-contrast).
    color: theme.palette.error.dark,
  },
}));

const Version = ({ event }: { event: HistoryEvent }) => {
  const classes = useStyles();
  if (event.version === undefined && !event.versionArn) {
    return null;
  }
  return (
    <>
      {event.version !== undefined && (
        <div className={classes.short}>Version {event.version}</div>
      )}
      {event.versionArn && <TruncatedArn value={event.versionArn} />}
    </>
  );
};

const Where = ({ event }: { event: HistoryEvent }) => {
  const classes = useStyles();
  const place = [event.accountId, event.region].filter(Boolean).join(', ');
  return (
    <div className={classes.short}>
      {event.target && <div>{event.target}</div>}
      {place && (
        <Typography variant="caption" display="block">
          {place}
        </Typography>
      )}
      {event.endpointName && <div>{event.endpointName}</div>}
    </div>
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
          Deployment <TruncatedArn value={event.deploymentId} />
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
}: HistoryEventsTableProps) => {
  const classes = useStyles();
  return (
    <div className={classes.scroll}>
      <Table size="small" aria-labelledby={labelledBy}>
        <TableHead>
          <TableRow>
            {[
              '#',
              'When',
              'Entity',
              'Who',
              'Action',
              'Outcome',
              'Version',
              'Where',
              'Details',
            ].map(title => (
              <TableCell key={title} className={classes.short}>
                {title}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {events.map(event => (
            <TableRow key={event.seq}>
              <TableCell className={classes.short}>{event.seq}</TableCell>
              <TableCell className={classes.short}>
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
                {event.source === 'agent' && (
                  <Typography variant="caption" display="block">
                    through an agent
                  </Typography>
                )}
              </TableCell>
              <TableCell className={classes.short}>
                {HISTORY_ACTION_LABELS[event.action] ?? event.action}
              </TableCell>
              <TableCell className={classes.short}>
                {HISTORY_OUTCOME_LABELS[event.outcome] ?? event.outcome}
              </TableCell>
              <TableCell>
                <Version event={event} />
              </TableCell>
              <TableCell>
                <Where event={event} />
              </TableCell>
              <TableCell className={classes.details}>
                <Details event={event} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
};
