import {
  Box,
  Chip,
  MenuItem,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import {
  MODEL_APPROVAL_STATUSES,
  ModelPackageGroupSummary,
} from '@internal/backstage-plugin-sagemaker-common';
import { APPROVAL_STATUS_LABELS, formatDateTime } from '../../utils/labels';
import { ApprovalStatus } from '../ApprovalStatus';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
  select: { minWidth: 280 },
  counts: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) },
}));

function versionsLabel(group: ModelPackageGroupSummary): string {
  const count = `${group.total} ${group.total === 1 ? 'version' : 'versions'}`;
  return group.latestVersion
    ? `${count}, latest ${group.latestVersion.version}`
    : count;
}

/**
 * Props of {@link GroupSelector}.
 */
export interface GroupSelectorProps {
  groups: ModelPackageGroupSummary[];
  selected: ModelPackageGroupSummary;
  onChange: (groupArn: string) => void;
}

/**
 * Picks one of the entity's model package groups (when it names several) and
 * summarises the chosen one: where it lives, counts by status, latest version.
 */
export const GroupSelector = ({
  groups,
  selected,
  onChange,
}: GroupSelectorProps) => {
  const classes = useStyles();
  return (
    <div className={classes.root}>
      {groups.length > 1 ? (
        <TextField
          select
          variant="outlined"
          size="small"
          id="sagemaker-group"
          label="Model package group"
          className={classes.select}
          value={selected.groupArn}
          onChange={event => onChange(event.target.value)}
        >
          {groups.map(group => (
            <MenuItem key={group.groupArn} value={group.groupArn}>
              {group.groupName} ({versionsLabel(group)})
            </MenuItem>
          ))}
        </TextField>
      ) : (
        <Typography variant="h6" component="h2">
          {selected.groupName}
        </Typography>
      )}
      <Box>
        <Typography variant="body2" color="textSecondary">
          Account {selected.accountId}, {selected.region}
          {selected.description ? ` · ${selected.description}` : ''}
        </Typography>
        {selected.latestVersion && (
          <Typography variant="body2" component="div">
            Latest: version {selected.latestVersion.version},{' '}
            {formatDateTime(selected.latestVersion.createdAt)}{' '}
            <ApprovalStatus status={selected.latestVersion.approvalStatus} />
          </Typography>
        )}
      </Box>
      <div className={classes.counts} aria-label="Versions by status">
        <Chip size="small" label={`${selected.total} total`} />
        {MODEL_APPROVAL_STATUSES.map(status => (
          <Chip
            key={status}
            size="small"
            variant="outlined"
            label={`${APPROVAL_STATUS_LABELS[status]}: ${
              selected.counts[status] ?? 0
            }`}
          />
        ))}
      </div>
    </div>
  );
};
