import {
  Button,
  InputAdornment,
  MenuItem,
  TextField,
  makeStyles,
} from '@material-ui/core';
import SearchIcon from '@material-ui/icons/Search';
import ViewModuleIcon from '@material-ui/icons/ViewModule';
import ViewListIcon from '@material-ui/icons/ViewList';
import { ToggleButton, ToggleButtonGroup } from '@material-ui/lab';
import {
  MODEL_APPROVAL_STATUSES,
  ModelApprovalStatus,
} from '@internal/backstage-plugin-sagemaker-common';
import type { VersionsView } from '../../hooks/useVersionsUrlState';
import { APPROVAL_STATUS_LABELS } from '../../utils/labels';
import { MAX_COMPARED } from '../../utils/versions';

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
  viewButton: { gap: theme.spacing(0.5), textTransform: 'none' },
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
  /** The lifecycle stage shown, of `stages` (the loaded versions' stages). */
  stage?: string;
  stages?: string[];
  onStageChange?: (stage?: string) => void;
  order: VersionOrder;
  onOrderChange: (order: VersionOrder) => void;
  search: string;
  onSearchChange: (search: string) => void;
  view: VersionsView;
  onViewChange: (view: VersionsView) => void;
  /** How many versions are selected for comparison (two to four). */
  selectedCount: number;
  onCompare: () => void;
  onClearSelection: () => void;
}

/**
 * Filter by approval status and lifecycle stage, order, free-text search over the loaded
 * versions, cards or table, and the comparison of the selected versions.
 */
export const VersionsToolbar = ({
  status,
  onStatusChange,
  stage,
  stages = [],
  onStageChange,
  order,
  onOrderChange,
  search,
  onSearchChange,
  view,
  onViewChange,
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
      {onStageChange && (stages.length > 0 || stage) && (
        <TextField
          select
          size="small"
          variant="outlined"
          id="sagemaker-versions-stage"
          label="Lifecycle stage"
          className={classes.select}
          value={stage ?? 'all'}
          onChange={event =>
            onStageChange(
              event.target.value === 'all' ? undefined : event.target.value,
            )
          }
        >
          <MenuItem value="all">All stages</MenuItem>
          {[...new Set([...stages, ...(stage ? [stage] : [])])].map(value => (
            <MenuItem key={value} value={value}>
              {value}
            </MenuItem>
          ))}
        </TextField>
      )}
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
      <ToggleButtonGroup
        size="small"
        exclusive
        value={view}
        aria-label="Show versions as"
        onChange={(_event, value: VersionsView | null) =>
          value && onViewChange(value)
        }
      >
        <ToggleButton value="cards" className={classes.viewButton}>
          <ViewModuleIcon fontSize="small" /> Cards
        </ToggleButton>
        <ToggleButton value="table" className={classes.viewButton}>
          <ViewListIcon fontSize="small" /> Table
        </ToggleButton>
      </ToggleButtonGroup>
      <Button
        variant="outlined"
        color="primary"
        disabled={selectedCount < 2}
        onClick={onCompare}
        title={`Select two to ${MAX_COMPARED} versions to compare them`}
      >
        Compare selected ({selectedCount}/{MAX_COMPARED})
      </Button>
      {selectedCount > 0 && (
        <Button onClick={onClearSelection}>Clear selection</Button>
      )}
    </div>
  );
};
