/**
 * The signals the backend publishes when something a page shows has changed.
 * A signal is a hint, never the data: it carries ids only, and the page
 * refetches through the plugin's authorized API. That is why the backend can
 * broadcast them: a subscriber without the permission to read the entity
 * learns only that something changed, and when.
 */

/**
 * Entity refs are case-insensitive in the catalog; channels are compared as
 * strings, so both sides name them in one case.
 */
function channelRef(entityRef: string): string {
  return entityRef.toLocaleLowerCase('en-US');
}

/**
 * The channel of one deployment's progress (status, phase, endpoint status,
 * traffic shifting): `sagemaker:deployment:<deploymentId>`.
 *
 * @public
 */
export function deploymentSignalChannel(deploymentId: string): string {
  return `sagemaker:deployment:${deploymentId}`;
}

/**
 * The channel of the progress of any deployment of an entity (its
 * deployments table): `sagemaker:deployments:<entityRef>`.
 *
 * @public
 */
export function entityDeploymentsSignalChannel(entityRef: string): string {
  return `sagemaker:deployments:${channelRef(entityRef)}`;
}

/**
 * The channel of an entity's history, signalled once for each new event:
 * `sagemaker:history:<entityRef>`.
 *
 * @public
 */
export function historySignalChannel(entityRef: string): string {
  return `sagemaker:history:${channelRef(entityRef)}`;
}

/**
 * The message on {@link deploymentSignalChannel} and
 * {@link entityDeploymentsSignalChannel}: a deployment changed.
 *
 * @public
 */
export type DeploymentChangedSignal = {
  type: 'deployment-changed';
  deploymentId: string;
};

/**
 * The message on {@link historySignalChannel}: the entity's history has a
 * new event, `seq`.
 *
 * @public
 */
export type HistoryAppendedSignal = {
  type: 'history-appended';
  seq: number;
};
