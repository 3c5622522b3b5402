import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  BatchDescribeModelPackageCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeModelPackageGroupCommand,
  ListEndpointsCommand,
  SearchCommand,
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
  UpdateEndpointCommand,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import request from 'supertest';
import { sagemakerPlugin } from '../plugin';
import { modelEntity, staticKeysConfig } from '../__testUtils__/fixtures';
import { scoreScenario } from '../__testUtils__/scoreboard';
import { mockOtherAwsServices } from '../__testUtils__/otherAwsServices';

/**
 * Generated hostile input against every route: malformed ARNs, entity refs,
 * cursors, bodies, headers, huge and unicode strings. Whatever arrives, the
 * answer is a 4xx (or a 2xx for input that happens to be valid), never a
 * 5xx, and no AWS write is made unless the request was valid.
 */
const RUNS = 1200;
const GROUP =
  'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud';
const WRITES = [
  UpdateModelPackageCommand,
  CreateModelCommand,
  CreateEndpointConfigCommand,
  CreateEndpointCommand,
  UpdateEndpointCommand,
];

const sagemaker = mockClient(SageMakerClient);
// The readiness checks read these; an empty account answers every read.
const otherServices = mockOtherAwsServices();

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ minLength: 3000, maxLength: 20000 }),
  fc.constantFrom(
    '',
    ' ',
    '../../etc/passwd',
    '%00',
    '\u0000',
    '🤖'.repeat(200),
    'arn:aws:sagemaker:us-east-1:999999999999:model-package-group/x',
    'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/other',
    GROUP,
    `${GROUP},${GROUP}`,
    'arn:aws:iam::222222222222:role/Admin',
    'eyJnIjoiYSIsInQiOiJiIn0',
    '{"g":1}',
    'NaN',
    '-1',
    '1e309',
    '__proto__',
    'constructor',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
  ),
);

const hostileValue = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);

const entityName = fc.oneof(
  fc.constantFrom('fraud', 'plain', 'nobody'),
  hostileString.map(s => encodeURIComponent(s).slice(0, 300) || 'x'),
);

const routes = fc.oneof(
  fc.record({
    method: fc.constant('get' as const),
    path: fc
      .tuple(
        entityName,
        fc.constantFrom(
          'groups',
          'versions',
          'versions/3',
          'endpoints',
          'deployments',
          'history',
          'readiness',
          'policies',
          'gates',
          `versions/${encodeURIComponent('1.5')}`,
        ),
      )
      .map(([name, tail]) => `/entities/component/default/${name}/${tail}`),
  }),
  fc.record({
    method: fc.constant('get' as const),
    path: fc.constantFrom(
      '/targets',
      '/lifecycle-stages',
      '/history',
      '/history/export',
      '/history/verify',
      '/history/facets',
      '/history/endpoint-at',
      '/readiness',
      '/policies',
      '/deployments/not-a-uuid',
      '/deployments/7d1f8a52-0c3e-4c59-9d55-2b1d6f1e9a01',
    ),
  }),
  fc.record({
    method: fc.constant('post' as const),
    path: fc
      .tuple(
        entityName,
        fc.constantFrom(
          'versions/3/approval',
          'versions/x/approval',
          'versions/3/lifecycle',
          'versions/x/lifecycle',
          'deployments',
          'rollbacks',
        ),
      )
      .map(([name, tail]) => `/entities/component/default/${name}/${tail}`),
  }),
);

const body = fc.oneof(
  hostileValue,
  fc.record(
    {
      status: fc.oneof(
        fc.constantFrom('Approved', 'Rejected', 'PendingManualApproval'),
        hostileValue,
      ),
      comment: hostileValue,
      stage: fc.oneof(fc.constantFrom('QA', 'Production'), hostileValue),
      stageStatus: fc.oneof(
        fc.constantFrom('Approved', 'OnHold'),
        hostileValue,
      ),
      stageDescription: hostileValue,
      group: hostileValue,
      version: hostileValue,
      target: fc.oneof(fc.constantFrom('staging', 'production'), hostileValue),
      endpointName: hostileValue,
      instanceType: fc.oneof(fc.constant('ml.m5.large'), hostileValue),
      instanceCount: hostileValue,
      ExecutionRoleArn: hostileValue,
      VpcConfig: hostileValue,
      accountId: hostileValue,
    },
    { requiredKeys: [] },
  ),
);

const query = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'group',
      'status',
      'sort',
      'order',
      'limit',
      'cursor',
      'from',
      'to',
      'action',
      'account',
      'format',
      'at',
      'region',
      'endpoint',
      'target',
      'version',
      'fresh',
    ),
    hostileString,
  ),
  hostileString,
  { maxKeys: 4 },
);

/** Inputs shaped like the actions' own, with hostile values in each field. */
const ACTION_RUNS = 400;
const actionInput = fc.record(
  {
    entityRef: fc.oneof(
      fc.constantFrom(
        'fraud',
        'component:default/fraud',
        'plain',
        'nobody',
        'user:default/ana',
        'component:x/y/z',
      ),
      hostileString,
    ),
    version: hostileValue,
    a: hostileValue,
    b: hostileValue,
    group: hostileValue,
    status: fc.oneof(fc.constantFrom('Approved', 'Rejected'), hostileValue),
    decision: fc.oneof(fc.constantFrom('approve', 'reject'), hostileValue),
    stage: fc.oneof(fc.constantFrom('QA', 'Production'), hostileValue),
    stageStatus: fc.oneof(fc.constantFrom('OnHold', 'Approved'), hostileValue),
    stageDescription: hostileValue,
    comment: hostileValue,
    limit: hostileValue,
    cursor: hostileValue,
    target: fc.oneof(fc.constantFrom('staging', 'production'), hostileValue),
    endpointName: hostileValue,
    instanceType: fc.oneof(fc.constant('ml.m5.large'), hostileValue),
    instanceCount: hostileValue,
    idempotencyKey: hostileValue,
    id: fc.oneof(fc.uuid(), hostileValue),
  },
  { requiredKeys: [] },
);

describe('hostile input on every route', () => {
  jest.setTimeout(300_000);

  it(`answers ${RUNS} generated bad requests without a 5xx or an AWS write`, async () => {
    sagemaker.reset();
    otherServices.emptyAccount();
    // Reads answer like a group with no versions and no endpoints.
    for (const read of [
      DescribeModelPackageGroupCommand,
      BatchDescribeModelPackageCommand,
      SearchCommand,
      ListEndpointsCommand,
    ]) {
      sagemaker.on(read as any).resolves({});
    }
    sagemaker
      .on(ListModelPackagesCommand)
      .resolves({ ModelPackageSummaryList: [] });
    sagemaker.on(DescribeModelPackageCommand).resolves({
      ModelPackageArn: `${GROUP.replace('-group', '')}/3`,
      ModelApprovalStatus: 'PendingManualApproval',
      CreationTime: new Date(),
    });
    sagemaker.on(DescribeEndpointCommand).rejects(
      Object.assign(new Error('Could not find endpoint'), {
        name: 'ValidationException',
      }),
    );
    const { server } = await startTestBackend({
      features: [
        sagemakerPlugin,
        mockServices.rootConfig.factory({ data: staticKeysConfig() }),
        catalogServiceMock.factory({
          entities: [modelEntity('fraud', GROUP), modelEntity('plain')],
        }),
      ],
    });

    const statuses = new Map<number, number>();
    const problems: string[] = [];
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(
        routes,
        query,
        body,
        fc.option(hostileString),
        fc.option(hostileString),
        async (route, q, b, idempotencyKey, contentType) => {
          let req = request(server)
            [route.method](`/api/sagemaker${route.path}`)
            .query(q)
            .set(
              'Authorization',
              mockCredentials.user.header('user:default/ana'),
            );
          // A header carries visible ASCII only: anything else never
          // leaves the HTTP client.
          const headerSafe = (value: string) =>
            value.replace(/[^\x20-\x7e]/g, '?');
          if (idempotencyKey !== null) {
            req = req.set(
              'Idempotency-Key',
              headerSafe(idempotencyKey).slice(0, 4000),
            );
          }
          if (route.method === 'post') {
            if (contentType !== null) {
              req = req.set(
                'Content-Type',
                headerSafe(contentType).slice(0, 200) || 'text/plain',
              );
            }
            req = req.send(
              typeof b === 'string' ? b : JSON.stringify(b ?? null),
            );
          }
          const res = await req;
          tried += 1;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500) {
            problems.push(
              `${route.method.toUpperCase()} ${route.path.slice(
                0,
                120,
              )} answered ${res.status}: ${res.text.slice(0, 200)}`,
            );
          }
        },
      ),
      { numRuns: RUNS, seed: 20261121 },
    );
    const writes = WRITES.flatMap(command =>
      sagemaker.commandCalls(command as any),
    );
    process.stdout.write(
      `[measure] hostile input: ${tried} requests, statuses ${JSON.stringify(
        Object.fromEntries([...statuses].sort()),
      )}, AWS writes ${writes.length}\n`,
    );
    // Still serving normally after all of it.
    const after = await request(server)
      .get('/api/sagemaker/entities/component/default/fraud/versions')
      .set('Authorization', mockCredentials.user.header('user:default/ana'));
    if (after.status !== 200) {
      problems.push(`a valid read after the run answered ${after.status}`);
    }
    expect(tried).toBeGreaterThanOrEqual(1000);
    scoreScenario({
      area: 'Bad input',
      scenario:
        'generated malformed ARNs, refs, cursors, bodies, headers, huge and unicode strings → no 5xx, no AWS write',
      requests: tried + 1,
      problems: [
        ...problems,
        ...writes.map(call => `AWS write ${call.args[0].constructor.name}`),
      ],
      note: `statuses ${[...statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${status}×${count}`)
        .join(' ')}`,
    });
  });
  it(`answers ${ACTION_RUNS} generated bad action inputs without a 5xx or an AWS write`, async () => {
    sagemaker.reset();
    otherServices.emptyAccount();
    sagemaker.onAnyCommand().resolves({});
    sagemaker
      .on(ListModelPackagesCommand)
      .resolves({ ModelPackageSummaryList: [] });
    sagemaker.on(DescribeModelPackageCommand).resolves({
      ModelPackageArn: `${GROUP.replace('-group', '')}/3`,
      ModelApprovalStatus: 'PendingManualApproval',
      CreationTime: new Date(),
    });
    sagemaker.on(DescribeEndpointCommand).rejects(
      Object.assign(new Error('Could not find endpoint'), {
        name: 'ValidationException',
      }),
    );
    const { server } = await startTestBackend({
      features: [
        sagemakerPlugin,
        actionsRegistryServiceFactory,
        mockServices.rootConfig.factory({ data: staticKeysConfig() }),
        // Writes are refused after validation, so a generated input that
        // happens to be valid makes no AWS write either.
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
        catalogServiceMock.factory({
          entities: [modelEntity('fraud', GROUP), modelEntity('plain')],
        }),
      ],
    });
    const base = '/api/sagemaker/.backstage/actions/v1/actions';
    const auth = mockCredentials.user.header('user:default/ana');
    const names: string[] = (
      await request(server).get(base).set('Authorization', auth)
    ).body.actions.map((a: { name: string }) => a.name);
    expect(names.length).toBeGreaterThan(5);

    const statuses = new Map<number, number>();
    const problems: string[] = [];
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        fc.oneof(hostileValue, actionInput),
        async (name, input) => {
          const res = await request(server)
            .post(`${base}/sagemaker:${name}/invoke`)
            .set('Authorization', auth)
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(input ?? null));
          tried += 1;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500) {
            problems.push(
              `${name} answered ${res.status} to ${JSON.stringify(input)?.slice(
                0,
                200,
              )}: ${res.text.slice(0, 200)}`,
            );
          }
        },
      ),
      { numRuns: ACTION_RUNS, seed: 20261130 },
    );
    const writes = WRITES.flatMap(command =>
      sagemaker.commandCalls(command as any),
    );
    process.stdout.write(
      `[measure] hostile action input: ${tried} invocations, statuses ${JSON.stringify(
        Object.fromEntries([...statuses].sort()),
      )}, AWS writes ${writes.length}\n`,
    );
    expect(tried).toBe(ACTION_RUNS);
    scoreScenario({
      area: 'Bad input',
      scenario:
        'generated malformed inputs to every action (entity refs, versions, decisions, targets, ids) → no 5xx, no AWS write',
      requests: tried,
      problems: [
        ...problems,
        ...writes.map(call => `AWS write ${call.args[0].constructor.name}`),
      ],
      note: `statuses ${[...statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${status}×${count}`)
        .join(' ')}`,
    });
  });
});
