import {
  MODEL_APPROVAL_STATUSES,
  ModelApprovalStatus,
} from '@internal/backstage-plugin-sagemaker-common';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { VersionOrder } from '../components/VersionsToolbar';

function versionNumbers(text: string | null): number[] {
  return (text ?? '')
    .split(',')
    .map(Number)
    .filter(n => Number.isInteger(n) && n > 0);
}

/**
 * What the versions tab shows, kept in the URL so that a reload keeps it and
 * a link shares it: `status`, `order` (asc), `q` (search), `version` (the
 * version open in the drawer) and `compare` (versions selected to compare).
 * Changes replace the history entry rather than adding one per keystroke.
 */
export function useVersionsUrlState() {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (key: string, value: string | undefined) =>
      setParams(
        previous => {
          const next = new URLSearchParams(previous);
          if (value) {
            next.set(key, value);
          } else {
            next.delete(key);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const rawStatus = params.get('status');
  const status = MODEL_APPROVAL_STATUSES.includes(
    rawStatus as ModelApprovalStatus,
  )
    ? (rawStatus as ModelApprovalStatus)
    : undefined;
  const order: VersionOrder =
    params.get('order') === 'asc' ? 'createdAt:asc' : 'createdAt:desc';
  const open = versionNumbers(params.get('version'))[0];
  return {
    status,
    setStatus: (value?: ModelApprovalStatus) => update('status', value),
    order,
    setOrder: (value: VersionOrder) =>
      update('order', value === 'createdAt:asc' ? 'asc' : undefined),
    search: params.get('q') ?? '',
    setSearch: (value: string) => update('q', value || undefined),
    open,
    setOpen: (version?: number) =>
      update('version', version ? String(version) : undefined),
    compare: versionNumbers(params.get('compare')).slice(-2),
    setCompare: (versions: number[]) =>
      update('compare', versions.length ? versions.join(',') : undefined),
  };
}
