import {
  Button,
  InputAdornment,
  MenuItem,
  TextField,
  makeStyles,
} from '@material-ui/core';
import SearchIcon from '@material-ui/icons/Search';
import {
  MODEL_APPROVAL_STATUSES,
  ModelApprovalStatus,
} from '@internal/backstage-plugin-sagemaker-common';
import { APPROVAL_STATUS_LABELS } from '../../utils/labels';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  select: { minWidth: 180 },
  search: { flexGrow: 1, minWidth: 220 },
}));

/**
 * How the versions are ordered. SageMaker numbers versions in the order they
 * are registered, so newest first is highest version first.
 */
export type VersionOrder = 'createdAt:desc' | 'createdAt:asc';

const ORDER_LABELS: Record<VersionOrder, string> = {
  'createdAt:desc': 'Newest first (highest version)',
  'createdAt:asc': 'Oldest first (lowest version)',
};

/**
 * Props of {@link VersionsToolbar}.
 */
export interface VersionsToolbarProps {
  status?: ModelApprovalStatus;
  onStatusChange: (status?: ModelApprovalStatus) => void;
  order: VersionOrder;
  onOrderChange: (order: VersionOrder) => void;
  search: string;
  onSearchChange: (search: string) => void;
  /** How many versions are selected for comparison (two are needed). */
  selectedCount: number;
  onCompare: () => void;
  onClearSelection: () => void;
}

/**
 * Filter by approval status, order, free-text search over the loaded
 * versions, and the comparison of two selected versions.
 */
export const VersionsToolbar = ({
  status,
  onStatusChange,
  order,
  onOrderChange,
  search,
  onSearchChange,
  selectedCount,
  onCompare,
  onClearSelection,
}: VersionsToolbarProps) => {
  const classes = useStyles();
  return (
    <div className={classes.root} role="toolbar" aria-label="Versions">
      <TextField
        select
        size="small"
        variant="outlined"
        id="sagemaker-versions-status"
        label="Status"
        className={classes.select}
        value={status ?? 'all'}
        onChange={event =>
          onStatusChange(
            event.target.value === 'all'
              ? undefined
              : (event.target.value as ModelApprovalStatus),
          )
        }
      >
        <MenuItem value="all">All statuses</MenuItem>
        {MODEL_APPROVAL_STATUSES.map(value => (
          <MenuItem key={value} value={value}>
            {APPROVAL_STATUS_LABELS[value]}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        size="small"
        variant="outlined"
        id="sagemaker-versions-order"
        label="Order"
        className={classes.select}
        value={order}
        onChange={event => onOrderChange(event.target.value as VersionOrder)}
      >
        {(Object.keys(ORDER_LABELS) as VersionOrder[]).map(value => (
          <MenuItem key={value} value={value}>
            {ORDER_LABELS[value]}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        size="small"
        variant="outlined"
        id="sagemaker-versions-search"
        label="Search loaded versions"
        className={classes.search}
        value={search}
        onChange={event => onSearchChange(event.target.value)}
        InputProps={{
          startAdornment: (
            <InputAdornment position="start">
              <SearchIcon fontSize="small" />
            </InputAdornment>
          ),
        }}
      />
      <Button
        variant="outlined"
        color="primary"
        disabled={selectedCount !== 2}
        onClick={onCompare}
      >
        Compare selected ({selectedCount}/2)
      </Button>
      {selectedCount > 0 && (
        <Button onClick={onClearSelection}>Clear selection</Button>
      )}
    </div>
  );
};
