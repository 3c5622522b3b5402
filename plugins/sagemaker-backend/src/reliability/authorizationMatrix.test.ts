import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DescribeEndpointCommand,
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import request from 'supertest';
import { sagemakerPlugin } from '../plugin';
import { createRouter } from '../router';
import { modelEntity, staticKeysConfig } from '../__testUtils__/fixtures';
import { scoreScenario } from '../__testUtils__/scoreboard';
import { mockOtherAwsServices } from '../__testUtils__/otherAwsServices';

/**
 * Every route × every kind of caller → the expected status, from one table.
 * The table is checked against the routes the router registers, so a new
 * route without a row fails this suite.
 */
const GROUP =
  'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud';
const ENTITY = '/entities/component/default/fraud';
const OWNER = 'user:default/owner';
const OTHER = 'user:default/other';

type Caller = 'none' | 'other' | 'owner' | 'service';
const HEADERS: Record<Caller, string> = {
  none: mockCredentials.none.header(),
  other: mockCredentials.user.header(OTHER),
  owner: mockCredentials.user.header(OWNER),
  service: mockCredentials.service.header(),
};

type Row = {
  path: string;
  body?: object;
  expect: Record<Caller, number>;
};

const reads = { none: 401, other: 200, owner: 200, service: 200 };
const audits = { none: 401, other: 403, owner: 200, service: 200 };

const MATRIX: Record<string, Row> = {
  'GET /targets': { path: '/targets', expect: reads },
  'GET /entities/:kind/:namespace/:name/groups': {
    path: `${ENTITY}/groups`,
    expect: reads,
  },
  'GET /entities/:kind/:namespace/:name/versions': {
    path: `${ENTITY}/versions`,
    expect: reads,
  },
  'GET /entities/:kind/:namespace/:name/versions/:version': {
    path: `${ENTITY}/versions/3`,
    expect: reads,
  },
  'GET /entities/:kind/:namespace/:name/endpoints': {
    path: `${ENTITY}/endpoints`,
    expect: reads,
  },
  'POST /entities/:kind/:namespace/:name/versions/:version/approval': {
    path: `${ENTITY}/versions/3/approval`,
    body: { status: 'Rejected', comment: 'matrix' },
    expect: { none: 401, other: 403, owner: 200, service: 403 },
  },
  'GET /lifecycle-stages': { path: '/lifecycle-stages', expect: reads },
  'POST /entities/:kind/:namespace/:name/versions/:version/lifecycle': {
    path: `${ENTITY}/versions/3/lifecycle`,
    body: { stage: 'QA', stageStatus: 'InProgress' },
    expect: { none: 401, other: 403, owner: 200, service: 403 },
  },
  'GET /entities/:kind/:namespace/:name/gates': {
    path: `${ENTITY}/gates?target=staging&version=3`,
    expect: reads,
  },
  'POST /entities/:kind/:namespace/:name/deployments': {
    path: `${ENTITY}/deployments`,
    body: {
      version: 3,
      target: 'staging',
      endpointName: 'fraud-matrix',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
    },
    expect: { none: 401, other: 403, owner: 202, service: 403 },
  },
  // The deploy above is the endpoint's only one: nothing to roll back to
  // (404), once the permission allows the attempt.
  'POST /entities/:kind/:namespace/:name/rollbacks': {
    path: `${ENTITY}/rollbacks`,
    body: { target: 'staging', endpointName: 'fraud-matrix' },
    expect: { none: 401, other: 403, owner: 404, service: 403 },
  },
  'GET /entities/:kind/:namespace/:name/deployments': {
    path: `${ENTITY}/deployments`,
    expect: reads,
  },
  // DEPLOYMENT is the id the owner's deploy above was given.
  'GET /deployments/:id': {
    path: '/deployments/DEPLOYMENT',
    expect: reads,
  },
  'GET /entities/:kind/:namespace/:name/history': {
    path: `${ENTITY}/history`,
    expect: reads,
  },
  'GET /entities/:kind/:namespace/:name/readiness': {
    path: `${ENTITY}/readiness?target=staging`,
    expect: reads,
  },
  'GET /entities/:kind/:namespace/:name/policies': {
    path: `${ENTITY}/policies`,
    expect: reads,
  },
  'GET /readiness': { path: '/readiness', expect: audits },
  'GET /policies': { path: '/policies', expect: audits },
  'GET /history': { path: '/history', expect: audits },
  'GET /history/export': { path: '/history/export', expect: audits },
  'GET /history/verify': { path: '/history/verify', expect: audits },
  'GET /history/facets': { path: '/history/facets', expect: audits },
  'GET /history/endpoint-at': {
    path: '/history/endpoint-at?account=222222222222&region=us-east-1&endpoint=fraud-staging&at=2026-11-21T00:00:00Z',
    expect: audits,
  },
};

/**
 * Every action (invoked over HTTP through the actions registry, as the MCP
 * server does) × every kind of caller. A write by a service is refused too:
 * approvals and deployments are made by signed-in users only.
 */
type ActionRow = { input: object; expect: Record<Caller, number> };
const actionReads = { none: 401, other: 200, owner: 200, service: 200 };
const actionWrites = { none: 401, other: 403, owner: 200, service: 403 };
const ACTIONS: Record<string, ActionRow> = {
  'list-sagemaker-model-versions': {
    input: { entityRef: 'fraud', status: 'Approved' },
    expect: actionReads,
  },
  'get-sagemaker-model-version': {
    input: { entityRef: 'fraud', version: 3 },
    expect: actionReads,
  },
  'compare-sagemaker-model-versions': {
    input: { entityRef: 'fraud', a: 3, b: 3 },
    expect: actionReads,
  },
  'list-sagemaker-endpoints': {
    input: { entityRef: 'fraud' },
    expect: actionReads,
  },
  'get-sagemaker-model-history': {
    input: { entityRef: 'fraud', limit: 5 },
    expect: actionReads,
  },
  'get-sagemaker-deploy-readiness': {
    input: { entityRef: 'fraud', target: 'staging' },
    expect: actionReads,
  },
  'set-sagemaker-model-version-approval': {
    input: {
      entityRef: 'fraud',
      version: 3,
      decision: 'reject',
      comment: 'matrix',
    },
    expect: actionWrites,
  },
  'set-sagemaker-model-version-lifecycle-stage': {
    input: {
      entityRef: 'fraud',
      version: 3,
      stage: 'QA',
      stageStatus: 'OnHold',
      stageDescription: 'matrix',
    },
    expect: actionWrites,
  },
  'deploy-sagemaker-model-version': {
    input: {
      entityRef: 'fraud',
      version: 3,
      target: 'staging',
      endpointName: 'fraud-matrix',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
    },
    expect: actionWrites,
  },
  // Nothing served the endpoint before: 404 once the permission allows it.
  'roll-back-sagemaker-endpoint': {
    input: {
      entityRef: 'fraud',
      target: 'staging',
      endpointName: 'fraud-matrix',
    },
    expect: { none: 401, other: 403, owner: 404, service: 403 },
  },
  // DEPLOYMENT is the id the owner's deploy above was given.
  'get-sagemaker-deployment': {
    input: { id: 'DEPLOYMENT' },
    expect: actionReads,
  },
};

const sagemaker = mockClient(SageMakerClient);
// The readiness checks read IAM, S3, KMS, ECR and EC2: empty accounts here.
const otherServices = mockOtherAwsServices();

/**
 * A backend with the demo policy's shape (the owner may act, others only
 * read) over AWS mocks that answer like one approved version, and the real
 * actions registry, so actions are invoked over HTTP as the MCP server does.
 */
async function startBackend() {
  sagemaker.reset();
  // Any other read or write answers like an empty account.
  sagemaker.onAnyCommand().resolves({});
  otherServices.emptyAccount();
  sagemaker
    .on(ListModelPackagesCommand)
    .resolves({ ModelPackageSummaryList: [] });
  sagemaker.on(DescribeModelPackageCommand).resolves({
    ModelPackageArn:
      'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud/3',
    ModelApprovalStatus: 'Approved',
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
      mockServices.permissions.mock({
        authorize: async (requests, options) => {
          const principal = options?.credentials.principal as any;
          const allowed =
            principal?.type === 'service' || principal?.userEntityRef === OWNER;
          return requests.map(() => ({
            result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
          }));
        },
      }).factory,
      catalogServiceMock.factory({ entities: [modelEntity('fraud', GROUP)] }),
    ],
  });
  return server;
}

describe('authorization matrix', () => {
  it('has a row for every route the router registers', async () => {
    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      registry: {} as any,
      actions: {} as any,
      history: {} as any,
      readiness: {} as any,
      gates: {} as any,
      lifecycle: {} as any,
    });
    const registered = (router as any).stack
      .filter((layer: any) => layer.route)
      .flatMap((layer: any) =>
        Object.keys(layer.route.methods).map(
          method => `${method.toUpperCase()} ${layer.route.path}`,
        ),
      )
      .sort();
    const missing = registered.filter((route: string) => !(route in MATRIX));
    const stale = Object.keys(MATRIX).filter(
      route => !registered.includes(route),
    );
    scoreScenario({
      area: 'Authorization',
      scenario: 'every registered route has a row in the matrix',
      requests: registered.length,
      problems: [
        ...missing.map((route: string) => `no row for ${route}`),
        ...stale.map(route => `row for unregistered ${route}`),
      ],
    });
  });

  it('answers every route and caller as the table says', async () => {
    const server = await startBackend();

    const mismatches: string[] = [];
    const rows: string[] = [];
    let deploymentId = 'none-yet';
    let tried = 0;
    for (const [route, row] of Object.entries(MATRIX)) {
      const got: string[] = [];
      for (const caller of Object.keys(HEADERS) as Caller[]) {
        const method = route.startsWith('POST') ? 'post' : 'get';
        tried += 1;
        let req = request(server)
          [method](
            `/api/sagemaker${row.path.replace('DEPLOYMENT', deploymentId)}`,
          )
          .set('Authorization', HEADERS[caller]);
        if (row.body) {
          req = req.send(row.body);
        }
        const res = await req;
        if (res.status === 202 && res.body.id) {
          deploymentId = res.body.id;
        }
        got.push(`${caller} ${res.status}`);
        if (res.status !== row.expect[caller]) {
          mismatches.push(
            `${route} as ${caller}: expected ${row.expect[caller]}, got ${
              res.status
            } ${res.text.slice(0, 200)}`,
          );
        }
      }
      rows.push(`${route.padEnd(66)} ${got.join(', ')}`);
    }
    process.stdout.write(
      `[measure] authorization matrix:\n${rows.join('\n')}\n`,
    );
    scoreScenario({
      area: 'Authorization',
      scenario: `${
        Object.keys(MATRIX).length
      } routes × no credentials, another user, the owner, a service`,
      requests: tried,
      problems: mismatches,
    });
  });

  it('answers every action and caller as the table says', async () => {
    const server = await startBackend();
    const base = '/api/sagemaker/.backstage/actions/v1/actions';
    const listed = await request(server)
      .get(base)
      .set('Authorization', HEADERS.owner);
    expect(listed.status).toBe(200);
    const registered: string[] = listed.body.actions
      .map((a: { name: string }) => a.name)
      .sort();

    const mismatches: string[] = [
      ...registered
        .filter(name => !(name in ACTIONS))
        .map(name => `no row for action ${name}`),
      ...Object.keys(ACTIONS)
        .filter(name => !registered.includes(name))
        .map(name => `row for unregistered action ${name}`),
    ];
    const rows: string[] = [];
    let deploymentId = 'none-yet';
    let tried = 0;
    for (const [name, row] of Object.entries(ACTIONS)) {
      const got: string[] = [];
      for (const caller of Object.keys(HEADERS) as Caller[]) {
        tried += 1;
        const input = JSON.parse(
          JSON.stringify(row.input).replace(
            'DEPLOYMENT',
            deploymentId === 'none-yet'
              ? '00000000-0000-4000-8000-000000000000'
              : deploymentId,
          ),
        );
        const res = await request(server)
          .post(`${base}/sagemaker:${name}/invoke`)
          .set('Authorization', HEADERS[caller])
          .send(input);
        if (name === 'deploy-sagemaker-model-version' && res.body.output?.id) {
          deploymentId = res.body.output.id;
        }
        got.push(`${caller} ${res.status}`);
        if (res.status !== row.expect[caller]) {
          mismatches.push(
            `${name} as ${caller}: expected ${row.expect[caller]}, got ${
              res.status
            } ${res.text.slice(0, 200)}`,
          );
        }
      }
      rows.push(`${name.padEnd(40)} ${got.join(', ')}`);
    }
    process.stdout.write(
      `[measure] authorization matrix, actions:\n${rows.join('\n')}\n`,
    );
    scoreScenario({
      area: 'Authorization',
      scenario: `${
        Object.keys(ACTIONS).length
      } actions × no credentials, another user, the owner, a service`,
      requests: tried,
      problems: mismatches,
    });
  });
});
