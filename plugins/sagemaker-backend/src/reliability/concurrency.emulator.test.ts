import { DescribeModelPackageCommand } from '@aws-sdk/client-sagemaker';
import request from 'supertest';
import { versionArn } from '../__testUtils__/fixtures';
import {
  AUTH,
  deployBody,
  entityPath,
  ReliabilityStack,
  settled,
  startReliabilityStack,
} from '../__testUtils__/reliabilityStack';
import { scoreScenario } from '../__testUtils__/scoreboard';

jest.setTimeout(90_000);

const FRAUD = entityPath('fraud');

/** Concurrent writes against the emulator: each lands once, or is refused. */
describe('concurrency', () => {
  let stack: ReliabilityStack;

  beforeAll(async () => {
    stack = await startReliabilityStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('makes one state change out of 20 identical parallel approvals, and answers the others alike', async () => {
    const since = stack.proxy.stats.operations.length;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(stack.server)
          .post(`${FRAUD}/versions/1/approval`)
          .set(AUTH)
          .send({ status: 'Approved', comment: 'parallel' }),
      ),
    );
    const problems: string[] = [];
    const ok = responses.filter(r => r.status === 200);
    const others = responses.filter(r => r.status !== 200);
    if (ok.length !== 1) {
      problems.push(`${ok.length} approvals answered 200, not 1`);
    }
    const answers = new Set(
      others.map(r => `${r.status} ${r.body.error?.message}`),
    );
    if (answers.size !== 1 || !others.every(r => r.status === 409)) {
      problems.push(`the others answered: ${[...answers].join(' | ')}`);
    }
    const writes = stack.proxy.writes(since);
    if (writes.length !== 1) {
      problems.push(`${writes.length} AWS writes: ${writes.join(', ')}`);
    }
    const now = await stack.registry.send(
      new DescribeModelPackageCommand({
        ModelPackageName: versionArn('fraud-detection', 1),
      }),
    );
    if (now.ModelApprovalStatus !== 'Approved') {
      problems.push(`SageMaker shows ${now.ModelApprovalStatus}`);
    }
    const history = await request(stack.server)
      .get(`${FRAUD}/history?limit=200`)
      .set(AUTH);
    const succeeded = history.body.events.filter(
      (e: any) => e.action === 'approve' && e.outcome === 'succeeded',
    );
    if (succeeded.length !== 1) {
      problems.push(`${succeeded.length} approve/succeeded events`);
    }
    scoreScenario({
      area: 'Concurrency',
      scenario:
        '20 parallel identical approvals → one state change, 19 identical 409s',
      requests: responses.length,
      problems,
      note: [...answers][0],
    });
  });

  it('gives one deployment for 10 parallel deploys with one Idempotency-Key', async () => {
    const since = stack.proxy.stats.operations.length;
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        request(stack.server)
          .post(`${FRAUD}/deployments`)
          .set({ ...AUTH, 'Idempotency-Key': 'ten-clicks-0001' })
          .send(deployBody({ endpointName: 'fraud-idempotent' })),
      ),
    );
    const problems: string[] = [];
    const ids = new Set(responses.map(r => r.body.id));
    const statuses = new Set(responses.map(r => r.status));
    if (ids.size !== 1 || statuses.size !== 1 || !statuses.has(202)) {
      problems.push(
        `statuses ${[...statuses].join(', ')}, deployment ids ${[...ids].join(
          ', ',
        )}`,
      );
    }
    const done = await settled(stack.server, [...ids][0]);
    if (done.status !== 'succeeded') {
      problems.push(`the deployment ended ${done.status}`);
    }
    const listed = await request(stack.server)
      .get(`${FRAUD}/deployments`)
      .set(AUTH);
    const forEndpoint = listed.body.deployments.filter(
      (d: any) => d.endpointName === 'fraud-idempotent',
    );
    if (forEndpoint.length !== 1) {
      problems.push(`${forEndpoint.length} deployments recorded`);
    }
    const creates = stack.proxy
      .writes(since)
      .filter(op => op.startsWith('Create'));
    if (
      creates.join(',') !== 'CreateModel,CreateEndpointConfig,CreateEndpoint'
    ) {
      problems.push(`AWS writes: ${creates.join(', ')}`);
    }
    scoreScenario({
      area: 'Concurrency',
      scenario: '10 parallel deploys, one Idempotency-Key → one deployment',
      requests: responses.length,
      problems,
    });
  });

  it('lets one of two different parallel deploys to one endpoint through, and answers the other 409', async () => {
    const problems: string[] = [];
    let tried = 0;
    // Repeated, so that a race has several chances to show.
    const { server, proxy } = stack;
    for (let round = 1; round <= 3; round++) {
      const endpointName = `fraud-contended-${round}`;
      const since = proxy.stats.operations.length;
      const responses = await Promise.all(
        [3, 6].map(version =>
          request(server)
            .post(`${FRAUD}/deployments`)
            .set(AUTH)
            .send(deployBody({ version, endpointName })),
        ),
      );
      tried += responses.length;
      const statuses = responses.map(r => r.status).sort();
      if (statuses.join(',') !== '202,409') {
        problems.push(`round ${round}: statuses ${statuses.join(', ')}`);
        continue;
      }
      const refused = responses.find(r => r.status === 409)!;
      if (!refused.body.error.message.includes(endpointName)) {
        problems.push(
          `round ${round}: the 409 does not name the endpoint: ${refused.body.error.message}`,
        );
      }
      const accepted = responses.find(r => r.status === 202)!;
      const done = await settled(server, accepted.body.id);
      if (done.status !== 'succeeded') {
        problems.push(
          `round ${round}: the accepted deploy ended ${done.status}`,
        );
      }
      const endpoints = proxy
        .writes(since)
        .filter(op => op === 'CreateEndpoint' || op === 'UpdateEndpoint');
      if (endpoints.length !== 1) {
        problems.push(
          `round ${round}: endpoint writes ${endpoints.join(', ')}`,
        );
      }
    }
    scoreScenario({
      area: 'Concurrency',
      scenario:
        'two different parallel deploys to one endpoint (×3) → one 202, one 409',
      requests: tried,
      problems,
    });
  });
});
