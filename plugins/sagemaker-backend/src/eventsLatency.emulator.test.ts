import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import request from 'supertest';
import { REGISTRY } from './__testUtils__/fixtures';
import { LocalEmulator } from './__testUtils__/localEmulator';
import { sageMakerInAccount } from './__testUtils__/registrySeed';
import { EventsStack, startEventsStack } from './__testUtils__/eventsStack';

jest.setTimeout(90_000);

const ENTITY = '/api/sagemaker/entities/component/default/fraud';
const auth = { Authorization: mockCredentials.user.header('user:default/ana') };
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * How long an approval made with the SDK takes to reach the history, the
 * whole way in (emulator's event → rule → queue → the AWS SQS module's own
 * polling loop on the real scheduler, waitTime 1 s → the plugin): ten
 * approvals, one at a time, the median and the slowest logged.
 */
describe('latency of events in, against the emulator', () => {
  let stack: EventsStack;
  let emulator: LocalEmulator;
  let server: EventsStack['server'];

  beforeAll(async () => {
    stack = await startEventsStack({
      databases,
      scheduler: schedulerServiceFactory,
      routeEmulatorEvents: true,
    });
    ({ emulator, server } = stack);
    // The sync's first run (15 s after start) would be the baseline; the
    // events of a group never seen baseline it first.
  });

  afterAll(() => stack?.stop());

  it('records each approval within 5 s (median of 10)', async () => {
    const outside = await sageMakerInAccount(emulator.endpoint, REGISTRY);
    const historyLength = async () =>
      (await request(server).get(`${ENTITY}/history`).set(auth)).body.events
        .length as number;
    // The first event about the group is its baseline: wait for it.
    await outside.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package/fraud-detection/3`,
        ModelApprovalStatus: 'Rejected',
      }),
    );
    await new Promise(r => setTimeout(r, 5000));
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const before = await historyLength();
      const started = Date.now();
      await outside.send(
        new UpdateModelPackageCommand({
          ModelPackageArn: `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package/fraud-detection/1`,
          ModelApprovalStatus: i % 2 === 0 ? 'Approved' : 'Rejected',
        }),
      );
      while ((await historyLength()) === before) {
        if (Date.now() - started > 20_000) {
          throw new Error(`approval ${i} not recorded within 20 s`);
        }
        await new Promise(r => setTimeout(r, 25));
      }
      latencies.push(Date.now() - started);
    }
    latencies.sort((a, b) => a - b);
    const median = (latencies[4] + latencies[5]) / 2;
    // eslint-disable-next-line no-console
    console.log(
      `SDK approval → history event: median ${median} ms, max ${
        latencies[9]
      } ms (n=10): ${latencies.join(', ')}`,
    );
    expect(median).toBeLessThan(5000);
  });
});
