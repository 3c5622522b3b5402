import { Box, Button, Grid, TextField } from '@material-ui/core';
import {
  HISTORY_ACTIONS,
  HISTORY_OUTCOMES,
  HistoryFacets,
  HistorySource,
} from '@internal/backstage-plugin-sagemaker-common';
import { FormEvent, ReactNode, useEffect, useState } from 'react';
import {
  HISTORY_ACTION_LABELS,
  HISTORY_OUTCOME_LABELS,
} from '../../utils/labels';
import {
  HistoryFilterErrors,
  HistoryFilterKey,
  HistoryFilterValues,
  hasFilters,
  isoToLocalInput,
  localInputToIso,
  validateFilters,
} from '../../utils/historyFilters';
import { SuggestField } from './SuggestField';

/** How the history's sources read in the UI. */
export const HISTORY_SOURCE_LABELS: Record<HistorySource, string> = {
  backstage: 'Backstage',
  agent: 'An agent, for the user (Backstage actions)',
  sagemaker: 'Outside Backstage (SageMaker)',
};

type Draft = Record<HistoryFilterKey, string>;

function toDraft(filters: HistoryFilterValues): Draft {
  return {
    entity: filters.entity ?? '',
    actor: filters.actor ?? '',
    action: filters.action ?? '',
    outcome: filters.outcome ?? '',
    source: filters.source ?? '',
    target: filters.target ?? '',
    account: filters.account ?? '',
    endpoint: filters.endpoint ?? '',
    from: isoToLocalInput(filters.from),
    to: isoToLocalInput(filters.to),
  };
}

/** The draft as filters, with the date-times in UTC; errors of unreadable dates. */
function fromDraft(draft: Draft): {
  filters: HistoryFilterValues;
  errors: HistoryFilterErrors;
} {
  const filters: HistoryFilterValues = {};
  const errors: HistoryFilterErrors = {};
  for (const [key, raw] of Object.entries(draft) as Array<
    [HistoryFilterKey, string]
  >) {
    const value = raw.trim();
    if (!value) {
      continue;
    }
    if (key === 'from' || key === 'to') {
      const iso = localInputToIso(value);
      if (iso) {
        filters[key] = iso;
      } else {
        errors[key] = 'must be a date and time';
      }
    } else {
      filters[key] = value;
    }
  }
  return { filters, errors };
}

interface FieldSpec {
  key: HistoryFilterKey;
  label: string;
  helperText?: string;
  placeholder?: string;
  options?: Array<[value: string, label: string]>;
  /** Values the history holds, suggested as the user types. */
  suggestions?: (facets: HistoryFacets) => string[];
  type?: 'datetime-local';
}

const unique = (values: string[]) => [...new Set(values)].sort();

const FIELDS: FieldSpec[] = [
  {
    key: 'entity',
    label: 'Entity',
    placeholder: 'fraud-detection',
    helperText: 'An entity name, or its full ref',
    suggestions: facets => facets.entities,
  },
  {
    key: 'actor',
    label: 'Actor',
    placeholder: 'ana',
    helperText:
      'A user name or ref, or the AWS identity of a change outside Backstage',
    suggestions: facets => facets.actors,
  },
  {
    key: 'action',
    label: 'Action',
    options: HISTORY_ACTIONS.map(a => [a, HISTORY_ACTION_LABELS[a]]),
  },
  {
    key: 'outcome',
    label: 'Outcome',
    options: HISTORY_OUTCOMES.map(o => [o, HISTORY_OUTCOME_LABELS[o]]),
  },
  {
    key: 'source',
    label: 'Source',
    options: Object.entries(HISTORY_SOURCE_LABELS),
  },
  {
    key: 'target',
    label: 'Target',
    placeholder: 'production',
    helperText: 'A deployment target',
    suggestions: facets => facets.targets,
  },
  {
    key: 'account',
    label: 'Account',
    placeholder: '333333333333',
    helperText: 'A 12-digit AWS account ID',
    suggestions: facets => unique(facets.endpoints.map(e => e.accountId)),
  },
  {
    key: 'endpoint',
    label: 'Endpoint',
    placeholder: 'fraud-detection-production',
    helperText: 'A SageMaker endpoint name',
    suggestions: facets => unique(facets.endpoints.map(e => e.endpointName)),
  },
  {
    key: 'from',
    label: 'From',
    type: 'datetime-local',
    helperText: 'Your local time, included',
  },
  {
    key: 'to',
    label: 'To',
    type: 'datetime-local',
    helperText: 'Your local time, excluded',
  },
];

/**
 * Props of {@link HistoryFiltersForm}.
 */
export interface HistoryFiltersFormProps {
  /** The filters in effect (from the URL). */
  filters: HistoryFilterValues;
  /** What the history holds, suggested in the text fields. */
  facets: HistoryFacets;
  onApply(filters: HistoryFilterValues): void;
}

/**
 * The history's filters as a form: edited freely, checked by the backend's
 * rules, and applied together (Enter or "Apply filters").
 */
export const HistoryFiltersForm = ({
  filters,
  facets,
  onApply,
}: HistoryFiltersFormProps) => {
  const [draft, setDraft] = useState<Draft>(() => toDraft(filters));
  const [errors, setErrors] = useState<HistoryFilterErrors>({});

  // The URL changed (back, forward, a cleared filter): show what applies.
  useEffect(() => {
    setDraft(toDraft(filters));
    setErrors({});
  }, [filters]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = fromDraft(draft);
    const found = { ...validateFilters(parsed.filters), ...parsed.errors };
    setErrors(found);
    if (Object.keys(found).length === 0) {
      onApply(parsed.filters);
    }
  };

  const onClear = () => {
    setDraft(toDraft({}));
    setErrors({});
    onApply({});
  };

  const field = (spec: FieldSpec): ReactNode => {
    const id = `sagemaker-history-filter-${spec.key}`;
    const error = errors[spec.key];
    const setValue = (value: string) =>
      setDraft(current => ({ ...current, [spec.key]: value }));
    if (spec.suggestions) {
      return (
        <Grid item xs={12} sm={6} md={3} key={spec.key}>
          <SuggestField
            id={id}
            name={spec.key}
            label={spec.label}
            value={draft[spec.key]}
            onChange={setValue}
            suggestions={spec.suggestions(facets)}
            placeholder={spec.placeholder}
            error={Boolean(error)}
            helperText={error ?? spec.helperText}
            variant="outlined"
            size="small"
            fullWidth
          />
        </Grid>
      );
    }
    return (
      <Grid item xs={12} sm={6} md={3} key={spec.key}>
        <TextField
          id={id}
          name={spec.key}
          label={spec.label}
          value={draft[spec.key]}
          onChange={event => setValue(event.target.value)}
          select={Boolean(spec.options)}
          SelectProps={spec.options ? { native: true } : undefined}
          type={spec.type}
          inputProps={spec.type ? { step: 1 } : undefined}
          placeholder={spec.placeholder}
          error={Boolean(error)}
          helperText={error ?? spec.helperText}
          InputLabelProps={{ shrink: true }}
          variant="outlined"
          size="small"
          fullWidth
        >
          {spec.options && (
            <>
              <option value="">Any</option>
              {spec.options.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </>
          )}
        </TextField>
      </Grid>
    );
  };

  return (
    <form aria-label="History filters" onSubmit={onSubmit} noValidate>
      <Grid container spacing={2}>
        {FIELDS.map(field)}
      </Grid>
      <Box display="flex" marginTop={2} style={{ gap: 8 }}>
        <Button type="submit" variant="contained" color="primary">
          Apply filters
        </Button>
        <Button
          type="button"
          variant="outlined"
          onClick={onClear}
          disabled={
            !hasFilters(filters) && !hasFilters(fromDraft(draft).filters)
          }
        >
          Clear filters
        </Button>
      </Box>
    </form>
  );
};
