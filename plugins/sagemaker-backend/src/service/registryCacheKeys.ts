import { ListVersionsQuery } from '@internal/backstage-plugin-sagemaker-common';

/**
 * The scopes and keys of the registry reads in the RegistryCache. A group's
 * reads are scoped by its ARN, a target's endpoints by its account and
 * region, so that a write invalidates exactly the scope it changed. The keys
 * are shared by every replica through the cache service: changing one only
 * costs a cold cache.
 */
export const registryCacheKeys = {
  /** Key, in a group's scope, of its summary (latest version, counts). */
  groupSummary: 'summary',

  /** Key, in a group's scope, of one page of its versions. */
  versionsPage(query: ListVersionsQuery, nextToken: string | undefined) {
    return JSON.stringify([
      'versions',
      query.status,
      query.sort,
      query.order,
      query.limit,
      nextToken,
    ]);
  },

  /** Key, in a group's scope, of one version's details. */
  version(version: number) {
    return `version|${version}`;
  },

  /** Scope of the endpoints of a target's account and region. */
  targetScope(target: { accountId: string; region: string }) {
    return `endpoints:${target.accountId}:${target.region}`;
  },

  /** Key, in a target's scope, of the endpoints tagged with some groups. */
  taggedEndpoints(groupArns: string[]) {
    return `tagged|${groupArns.join(',')}`;
  },

  /** Key, in a target's scope, of its bounded discovery of untagged endpoints. */
  discoveredEndpoints: 'discovered',
};
