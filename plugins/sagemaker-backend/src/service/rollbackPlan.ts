import {
  Deployment,
  RollbackOption,
} from '@internal/backstage-plugin-sagemaker-common';

/**
 * For each endpoint among the deployments, what a rollback restores: the
 * version of the latest successful deployment before the current one that
 * served a different version. Deployments come newest first; an endpoint
 * with one version in its history has no rollback.
 */
export function rollbackOptions(deployments: Deployment[]): RollbackOption[] {
  const byEndpoint = new Map<string, Deployment[]>();
  for (const d of deployments) {
    if (d.status !== 'succeeded') {
      continue;
    }
    const key = `${d.target}\n${d.endpointName}`;
    byEndpoint.set(key, [...(byEndpoint.get(key) ?? []), d]);
  }
  const options: RollbackOption[] = [];
  for (const [current, ...earlier] of byEndpoint.values()) {
    const previous = earlier.find(d => d.versionArn !== current.versionArn);
    if (previous) {
      options.push({
        target: current.target,
        endpointName: current.endpointName,
        version: previous.version,
        groupArn: previous.groupArn,
        restores: previous.id,
        undoes: current.id,
        undoesVersion: current.version,
      });
    }
  }
  return options;
}
