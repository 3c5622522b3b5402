import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import {
  HistoryEvent,
  parseRegistrationComment,
} from '@internal/backstage-plugin-sagemaker-common';

/** Topics users can mute in their notification settings. */
export const APPROVAL_TOPIC = 'SageMaker model approvals';
export const DEPLOYMENT_TOPIC = 'SageMaker deployments';

/**
 * Where the app mounts the entity's SageMaker tab, below the entity page
 * (`/catalog/:namespace/:kind/:name`), as the demo app and the README do.
 */
const ENTITY_TAB = 'sagemaker';

/**
 * The entity's SageMaker tab; with a version, that version's drawer open
 * (the tab reads `?version=N`, and `group=<ARN>` for an entity with several
 * groups). Kind and namespace in lower case, as the catalog's entity routes
 * write them.
 */
export function entityTabLink(
  entityRef: string,
  version?: { number?: number; groupArn?: string },
): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  const path = `/catalog/${encodeURIComponent(
    namespace.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/${ENTITY_TAB}`;
  if (version?.number === undefined) {
    return path;
  }
  const query = new URLSearchParams();
  if (version.groupArn) {
    query.set('group', version.groupArn);
  }
  query.set('version', String(version.number));
  return `${path}?${query}`;
}

function isUserRef(ref: string): boolean {
  try {
    return parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'user';
  } catch {
    return false;
  }
}

function entityName(entityRef: string): string {
  return parseEntityRef(entityRef).name;
}

/**
 * A version that waits for a decision, registered or reset outside
 * Backstage (events or the sync): its entity's owners are told.
 */
function approvalNotification(
  event: HistoryEvent,
): NotificationSendOptions | undefined {
  const waits =
    (event.action === 'register' &&
      parseRegistrationComment(event.comment) === 'PendingManualApproval') ||
    (event.action === 'reset-approval' && event.source === 'sagemaker');
  if (!waits || event.outcome !== 'succeeded' || !event.versionArn) {
    return undefined;
  }
  const what =
    event.action === 'register'
      ? 'was registered outside Backstage'
      : 'was set back to PendingManualApproval outside Backstage';
  return {
    recipients: { type: 'entity', entityRef: event.entityRef },
    payload: {
      title: `Version ${event.version} of ${entityName(
        event.entityRef,
      )} waits for approval`,
      description: `Version ${event.version} (${event.versionArn}) ${what} by ${event.actor}.`,
      link: entityTabLink(event.entityRef, {
        number: event.version,
        groupArn: event.groupArn,
      }),
      topic: APPROVAL_TOPIC,
      severity: 'normal',
      // The same version waiting again updates its notification.
      scope: `sagemaker:approval:${event.versionArn}`,
    },
  };
}

const DEPLOY_OUTCOMES = ['succeeded', 'failed', 'rolled-back'];

/** The end of a deployment or rollback: its deployer is told. */
function deploymentNotification(
  event: HistoryEvent,
): NotificationSendOptions | undefined {
  if (
    event.action !== 'deploy' ||
    !DEPLOY_OUTCOMES.includes(event.outcome) ||
    !event.deploymentId ||
    !isUserRef(event.actor)
  ) {
    return undefined;
  }
  const rollback = event.comment?.startsWith('Rollback of deployment');
  const what = `${rollback ? 'Rollback' : 'Deployment'} of version ${
    event.version
  } to ${event.target} (${event.endpointName})`;
  const where = `${event.endpointName} in account ${event.accountId}, ${event.region}`;
  const error = event.awsErrorCode
    ? `${event.awsErrorCode}: ${event.awsErrorMessage ?? ''}`
    : '';
  let title: string;
  let description: string;
  if (event.outcome === 'succeeded') {
    title = `${what} succeeded`;
    description = `${where} is InService with version ${event.version}.`;
  } else if (event.outcome === 'rolled-back') {
    title = `${what} was rolled back`;
    description = `SageMaker rolled ${where} back to its previous configuration. ${error}`;
  } else {
    title = `${what} failed`;
    description = `${where}: ${error}`;
  }
  return {
    recipients: { type: 'entity', entityRef: event.actor },
    payload: {
      title,
      description: description.trim(),
      link: entityTabLink(event.entityRef),
      topic: DEPLOYMENT_TOPIC,
      severity: event.outcome === 'succeeded' ? 'normal' : 'high',
      scope: `sagemaker:deployment:${event.deploymentId}`,
    },
  };
}

/**
 * What to tell whom about a history event, if anything: owners about a
 * version that waits for approval, deployers about the end of their
 * deployment.
 */
export function notificationFor(
  event: HistoryEvent,
): NotificationSendOptions | undefined {
  return approvalNotification(event) ?? deploymentNotification(event);
}

/**
 * Sends Backstage notifications for new history events. It listens to the
 * history recorder, which calls it only for events it appended, so an event
 * seen both by SageMaker's events and by the sync notifies once; the scope
 * makes a repeat for the same version or deployment update the notification
 * rather than add one.
 */
export class SageMakerNotifier {
  constructor(
    private readonly deps: {
      notifications: NotificationService;
      logger: LoggerService;
    },
  ) {}

  /** A history listener: never throws, a failed send is logged. */
  readonly onRecorded = async (event: HistoryEvent): Promise<void> => {
    const notification = notificationFor(event);
    if (!notification) {
      return;
    }
    try {
      await this.deps.notifications.send(notification);
    } catch (error) {
      this.deps.logger.warn(
        `Could not send the notification for history event ${event.seq} (${event.action} ${event.outcome}, ${event.entityRef}): ${error}`,
      );
    }
  };
}
