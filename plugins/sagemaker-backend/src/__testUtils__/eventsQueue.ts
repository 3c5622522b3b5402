import {
  CreateQueueCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import eventsPlugin from '@backstage/plugin-events-backend';
import eventsModuleAwsSqsConsumingEventPublisher from '@backstage/plugin-events-backend-module-aws-sqs';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { clientInAccount } from './registrySeed';
import { REGISTRY } from './fixtures';

/** The scheduled task of the AWS SQS module that reads the topic `sagemaker`. */
export const SQS_TASK = 'events.awsSqs.publisher:sagemaker';

/** The SageMaker events queue in the emulator, as the demo sets it up. */
export interface EventsQueue {
  url: string;
  arn: string;
  sqs: SQSClient;
  /** Puts a message on the queue: an object as JSON, a string as it is. */
  send(body: unknown): Promise<unknown>;
  /** The `events` config block of the module, reading this queue. */
  config: object;
  /** The backend features that carry events from the queue to the plugin. */
  features: unknown[];
}

/**
 * Creates the queue `backstage-sagemaker-events` in the registry account of
 * the emulator, and sets the process's default credentials to keys of a
 * user in that account: the module's SQS client takes them from the default
 * chain, and the emulator files requests under the keys' account.
 */
export async function createEventsQueue(
  endpoint: string,
): Promise<EventsQueue> {
  const sqs = await clientInAccount(SQSClient, endpoint, REGISTRY);
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: 'backstage-sagemaker-events' }),
  );
  const iam = await clientInAccount(IAMClient, endpoint, REGISTRY);
  await iam.send(new CreateUserCommand({ UserName: 'backstage' }));
  const { AccessKey } = await iam.send(
    new CreateAccessKeyCommand({ UserName: 'backstage' }),
  );
  process.env.AWS_ACCESS_KEY_ID = AccessKey!.AccessKeyId!;
  process.env.AWS_SECRET_ACCESS_KEY = AccessKey!.SecretAccessKey!;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  const url = QueueUrl!;
  return {
    url,
    arn: `arn:aws:sqs:us-east-1:${REGISTRY}:backstage-sagemaker-events`,
    sqs,
    send: body =>
      sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
    config: {
      modules: {
        awsSqs: {
          awsSqsConsumingEventPublisher: {
            topics: {
              sagemaker: {
                queue: {
                  url,
                  region: 'us-east-1',
                  endpoint,
                  waitTime: { seconds: 1 },
                },
                waitTimeAfterEmptyReceive: { milliseconds: 10 },
              },
            },
          },
        },
      },
    },
    features: [
      eventsPlugin,
      eventsModuleAwsSqsConsumingEventPublisher,
      // The backend's own events service (the test default gives each
      // plugin a separate mock): one bus, as in the demo backend.
      eventsServiceFactory,
    ],
  };
}
