import { useApi } from '@backstage/core-plugin-api';
import {
  ModelApprovalStatus,
  ModelVersionSummary,
} from '@internal/backstage-plugin-sagemaker-common';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { sageMakerApiRef } from '../api';
import { useCursorPages } from './useCursorPages';
import { useEntityCompoundRef } from './useEntityCompoundRef';

/**
 * Which versions of a group to list, and in what order.
 */
export interface ModelVersionQuery {
  groupArn: string;
  status?: ModelApprovalStatus;
  sort: 'createdAt' | 'name';
  order: 'asc' | 'desc';
}

/** Versions per request: fast with hundreds of versions in a group. */
export const VERSIONS_PAGE_SIZE = 50;

/**
 * The versions of one of the current entity's groups, a page at a time, with
 * local updates for versions changed by this page (an approval answers with
 * the version as it is now).
 */
export function useModelVersionPages(query: ModelVersionQuery) {
  const api = useApi(sageMakerApiRef);
  const entityRef = useEntityCompoundRef();
  const { groupArn, status, sort, order } = query;
  const pages = useCursorPages<ModelVersionSummary>(
    async cursor => {
      const response = await api.listVersions(entityRef, {
        group: groupArn,
        status,
        sort,
        order,
        limit: VERSIONS_PAGE_SIZE,
        cursor,
      });
      const group = response.groups.find(g => g.groupArn === groupArn);
      return { items: group?.versions ?? [], nextCursor: group?.nextCursor };
    },
    [api, entityRef, groupArn, status, sort, order],
  );

  const [updates, setUpdates] = useState<Record<string, ModelVersionSummary>>(
    {},
  );
  const { items } = pages;
  useEffect(() => {
    // A reload brings the versions as they are now.
    if (!pages.loading) {
      setUpdates({});
    }
  }, [pages.loading]);
  const versions = useMemo(
    () => items.map(version => updates[version.arn] ?? version),
    [items, updates],
  );
  const updateVersion = useCallback(
    (version: ModelVersionSummary) =>
      setUpdates(previous => ({ ...previous, [version.arn]: version })),
    [],
  );

  return { ...pages, versions, updateVersion };
}
