import {
  MODEL_APPROVAL_STATUSES,
  ModelApprovalStatus,
} from '@internal/backstage-plugin-sagemaker-common';
import { storageApiRef, useApi } from '@backstage/core-plugin-api';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import useObservable from 'react-use/esm/useObservable';
import type { VersionOrder } from '../components/VersionsToolbar';
import {
  VersionSort,
  formatVersionSort,
  parseVersionSort,
} from '../utils/versionSort';
import { MAX_COMPARED } from '../utils/versions';

/** How the versions are shown: as cards, or as a dense table. */
export type VersionsView = 'cards' | 'table';

function versionNumbers(text: string | null): number[] {
  return (text ?? '')
    .split(',')
    .map(Number)
    .filter(n => Number.isInteger(n) && n > 0);
}

/**
 * What the versions tab shows, kept in the URL so that a reload keeps it and
 * a link shares it: `status`, `stage` (lifecycle stage), `order` (asc), `q`
 * (search), `view` (table),
 * `sort` (the table's column), `version` (the version open in the drawer)
 * and `compare` (versions selected to compare). Changes replace the history
 * entry rather than adding one per keystroke. The view is also remembered
 * for the user (Backstage's storage API), for links that do not name one.
 */
export function useVersionsUrlState() {
  const [params, setParams] = useSearchParams();
  const storage = useApi(storageApiRef).forBucket('sagemaker');
  const rememberedView = useObservable(
    storage.observe$<VersionsView>('versionsView'),
    storage.snapshot<VersionsView>('versionsView'),
  ).value;
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
  const urlView = params.get('view');
  const view: VersionsView =
    urlView === 'table' || urlView === 'cards'
      ? urlView
      : rememberedView ?? 'cards';
  return {
    status,
    setStatus: (value?: ModelApprovalStatus) => update('status', value),
    order,
    setOrder: (value: VersionOrder) =>
      update('order', value === 'createdAt:asc' ? 'asc' : undefined),
    stage: params.get('stage') ?? undefined,
    setStage: (value?: string) => update('stage', value),
    search: params.get('q') ?? '',
    setSearch: (value: string) => update('q', value || undefined),
    open,
    setOpen: (version?: number) =>
      update('version', version ? String(version) : undefined),
    view,
    setView: (value: VersionsView) => {
      storage.set('versionsView', value);
      update('view', value);
    },
    sort: parseVersionSort(params.get('sort')),
    setSort: (value?: VersionSort) =>
      update('sort', value ? formatVersionSort(value) : undefined),
    compare: versionNumbers(params.get('compare')).slice(-MAX_COMPARED),
    setCompare: (versions: number[]) =>
      update('compare', versions.length ? versions.join(',') : undefined),
  };
}
