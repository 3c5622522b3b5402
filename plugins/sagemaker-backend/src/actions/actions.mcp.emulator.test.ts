import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DescribeModelPackageCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { AddressInfo } from 'node:net';
import { sagemakerPlugin } from '../plugin';
import {
  awsConfig,
  deploymentTarget,
  groupArn,
  modelEntity,
  REGISTRY,
  STAGING,
  versionArn,
} from '../__testUtils__/fixtures';
import {
  LocalEmulator,
  startLocalEmulator,
} from '../__testUtils__/localEmulator';
import {
  grantDeploys,
  registerGroup,
  sageMakerInAccount,
} from '../__testUtils__/registrySeed';

jest.setTimeout(90_000);

/**
 * The plugin's actions through a real MCP client (the official SDK's
 * Streamable HTTP transport) against a running backend: the mcp-actions
 * plugin, the real actions registry and actions service, our plugin, and the
 * local emulator. Only auth, permissions and the catalog are mocks: the
 * owner may act, another user may only read.
 */
const OWNER = 'user:default/owner';
const OTHER = 'user:default/other';
const GROUP = groupArn('fraud-detection');

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: any;
};

describe('SageMaker actions over MCP', () => {
  let emulator: LocalEmulator;
  let registry: SageMakerClient;
  let baseUrl: string;
  const clients: Client[] = [];
  const saved = { ...process.env };

  async function connect(user: string): Promise<Client> {
    const client = new Client({ name: 'sagemaker-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`${baseUrl}/api/mcp-actions/v1`),
        {
          requestInit: {
            headers: { Authorization: mockCredentials.user.header(user) },
          },
        },
      ),
    );
    clients.push(client);
    return client;
  }

  async function call(
    client: Client,
    name: string,
    args: Record<string, unknown>,
  ): Promise<ToolResult> {
    return (await client.callTool({
      name: `sagemaker.${name}`,
      arguments: args,
    })) as ToolResult;
  }

  const describeVersion = (v: number) =>
    registry.send(
      new DescribeModelPackageCommand({
        ModelPackageName: versionArn('fraud-detection', v),
      }),
    );

  beforeAll(async () => {
    emulator = await startLocalEmulator({
      SAGEMAKER_LOCAL_ENDPOINT_DELAY_SECONDS: '0.5',
    });
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;
    registry = await sageMakerInAccount(emulator.endpoint, REGISTRY);
    // Versions 3 and 6 are Approved, the others pending (see registerGroup).
    await registerGroup(registry, 'fraud-detection', 6);
    await grantDeploys(emulator.endpoint, {
      registry: REGISTRY,
      groups: [{ name: 'fraud-detection', versions: 6 }],
      targets: [STAGING],
    });

    const knex = await databases.init('SQLITE_3');
    const { server } = await startTestBackend({
      features: [
        sagemakerPlugin,
        mcpActionsPlugin,
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: { actions: { pluginSources: ['sagemaker'] } },
            aws: awsConfig([REGISTRY, STAGING]),
            sagemaker: {
              cache: { ttl: { seconds: 0 } },
              deployments: { pollInterval: { milliseconds: 200 } },
              deploymentTargets: [deploymentTarget('staging', STAGING)],
            },
          },
        }),
        mockServices.database.factory({ knex }),
        // The demo policy's shape: the owner may act, others only read.
        mockServices.permissions.mock({
          authorize: async (requests, options) => {
            const principal = options?.credentials.principal as any;
            return requests.map(() => ({
              result:
                principal?.userEntityRef === OWNER
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY,
            }));
          },
        }).factory,
        catalogServiceMock.factory({
          entities: [modelEntity('fraud', GROUP)],
        }),
      ],
    });
    baseUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()));
    process.env = saved;
    await emulator?.stop();
  });

  it('lists the tools, with the writes marked destructive', async () => {
    const client = await connect(OTHER);
    const { tools } = await client.listTools();
    const byName = new Map(tools.map(t => [t.name, t]));
    expect([...byName.keys()].sort()).toEqual(
      [
        'compare-sagemaker-model-versions',
        'deploy-sagemaker-model-version',
        'get-sagemaker-deploy-readiness',
        'get-sagemaker-deployment',
        'get-sagemaker-model-history',
        'get-sagemaker-model-version',
        'list-sagemaker-endpoints',
        'list-sagemaker-model-versions',
        'roll-back-sagemaker-endpoint',
        'set-sagemaker-model-version-approval',
        'set-sagemaker-model-version-lifecycle-stage',
      ].map(name => `sagemaker.${name}`),
    );
    for (const write of [
      'sagemaker.deploy-sagemaker-model-version',
      'sagemaker.roll-back-sagemaker-endpoint',
      'sagemaker.set-sagemaker-model-version-approval',
      'sagemaker.set-sagemaker-model-version-lifecycle-stage',
    ]) {
      expect(byName.get(write)?.annotations).toMatchObject({
        destructiveHint: true,
        readOnlyHint: false,
      });
    }
    expect(
      byName.get('sagemaker.list-sagemaker-model-versions')?.annotations,
    ).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    // The schemas describe their inputs, so a model needs no other docs.
    const deploy = byName.get('sagemaker.deploy-sagemaker-model-version')!;
    expect(deploy.inputSchema.required).toEqual(
      expect.arrayContaining([
        'entityRef',
        'version',
        'target',
        'endpointName',
      ]),
    );
    // A serverless target takes no instances: the server requires them
    // on the others.
    expect(deploy.inputSchema.required).not.toContain('instanceType');
    expect(
      (deploy.inputSchema.properties as any).instanceType.description,
    ).toContain('leave out for a serverless target');
    expect((deploy.inputSchema.properties as any).target.description).toContain(
      'deployment target',
    );
  });

  it('answers a read tool: the approved versions, and a comparison of two', async () => {
    const client = await connect(OTHER);
    const listed = await call(client, 'list-sagemaker-model-versions', {
      entityRef: 'fraud',
      status: 'Approved',
    });
    expect(listed.isError).toBeFalsy();
    expect(listed.structuredContent.entityRef).toBe('component:default/fraud');
    expect(
      listed.structuredContent.groups[0].versions.map((v: any) => [
        v.version,
        v.approvalStatus,
      ]),
    ).toEqual([
      [6, 'Approved'],
      [3, 'Approved'],
    ]);
    // The same answer as text, for clients that read only the content.
    expect(JSON.parse(listed.content[0].text!)).toEqual(
      listed.structuredContent,
    );

    const compared = await call(client, 'compare-sagemaker-model-versions', {
      entityRef: 'component:default/fraud',
      a: 3,
      b: 6,
    });
    expect(compared.isError).toBeFalsy();
    expect(compared.structuredContent.metrics).toEqual([
      { name: 'accuracy', a: 0.803, b: 0.806, delta: 0.003 },
    ]);
    expect(
      compared.structuredContent.differences.map((d: any) => d.field),
    ).toEqual(expect.arrayContaining(['description', 'images']));
  });

  it('refuses bad input with a message naming the field', async () => {
    const client = await connect(OWNER);
    const reject = await call(client, 'set-sagemaker-model-version-approval', {
      entityRef: 'fraud',
      version: 1,
      decision: 'reject',
    });
    expect(reject.isError).toBe(true);
    expect(reject.content[0].text).toMatch(
      /^InputError: .*comment: a comment is required to reject/,
    );

    const entity = await call(client, 'list-sagemaker-model-versions', {
      entityRef: 'component:default/no such thing',
    });
    expect(entity.isError).toBe(true);
    expect(entity.content[0].text).toMatch(/^InputError: entityRef/);

    const endpoint = await call(client, 'deploy-sagemaker-model-version', {
      entityRef: 'fraud',
      version: 3,
      target: 'staging',
      endpointName: 'not_valid!',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
    });
    expect(endpoint.isError).toBe(true);
    expect(endpoint.content[0].text).toMatch(/^InputError: endpointName/);
    expect((await describeVersion(1)).ModelApprovalStatus).toBe(
      'PendingManualApproval',
    );
  });

  it('refuses a write to a user without permission, records the refusal, and changes nothing', async () => {
    const client = await connect(OTHER);
    const approve = await call(client, 'set-sagemaker-model-version-approval', {
      entityRef: 'fraud',
      version: 1,
      decision: 'approve',
    });
    expect(approve.isError).toBe(true);
    expect(approve.content[0].text).toMatch(
      /^NotAllowedError: You are not allowed to approve versions of component:default\/fraud/,
    );
    const deploy = await call(client, 'deploy-sagemaker-model-version', {
      entityRef: 'fraud',
      version: 3,
      target: 'staging',
      endpointName: 'fraud-other',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
    });
    expect(deploy.isError).toBe(true);
    expect(deploy.content[0].text).toMatch(/^NotAllowedError: /);
    expect((await describeVersion(1)).ModelApprovalStatus).toBe(
      'PendingManualApproval',
    );

    const history = await call(client, 'get-sagemaker-model-history', {
      entityRef: 'fraud',
    });
    expect(
      history.structuredContent.events.map((e: any) => [
        e.action,
        e.outcome,
        e.actor,
        e.source,
      ]),
    ).toEqual([
      ['deploy', 'denied', OTHER, 'agent'],
      ['approve', 'denied', OTHER, 'agent'],
    ]);
  });

  it('approves for the owner, as the owner, and the history says an agent did it for them', async () => {
    const client = await connect(OWNER);
    const approve = await call(client, 'set-sagemaker-model-version-approval', {
      entityRef: 'fraud',
      version: 1,
      decision: 'approve',
      comment: 'AUC above baseline',
    });
    expect(approve.isError).toBeFalsy();
    expect(approve.structuredContent.version.approvalStatus).toBe('Approved');
    expect(approve.structuredContent.event).toMatchObject({
      action: 'approve',
      outcome: 'succeeded',
      actor: OWNER,
      source: 'agent',
    });

    const described = await describeVersion(1);
    expect(described.ModelApprovalStatus).toBe('Approved');
    expect(described.ApprovalDescription).toBe(
      'AUC above baseline (approved by user:default/owner via Backstage, through an agent acting for them)',
    );
    // Written to SageMaker in the user's name, as the HTTP route does.
    expect(described.LastModifiedBy?.IamIdentity?.Arn).toBe(
      `arn:aws:sts::${REGISTRY}:assumed-role/BackstageSageMakerAccess/owner@default`,
    );
  });

  it('deploys for the owner through the same guardrails, and follows the deployment', async () => {
    const client = await connect(OWNER);
    const pending = await call(client, 'deploy-sagemaker-model-version', {
      entityRef: 'fraud',
      version: 2,
      target: 'staging',
      endpointName: 'fraud-staging',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
    });
    expect(pending.isError).toBe(true);
    expect(pending.content[0].text).toMatch(
      /^ConflictError: .*only Approved versions can be deployed/,
    );

    const started = await call(client, 'deploy-sagemaker-model-version', {
      entityRef: 'fraud',
      version: 3,
      target: 'staging',
      endpointName: 'fraud-staging',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
      idempotencyKey: 'agent-deploy-0001',
    });
    expect(started.isError).toBeFalsy();
    expect(started.structuredContent).toMatchObject({
      status: 'in-progress',
      requestedBy: OWNER,
      requestedVia: 'agent',
      target: 'staging',
    });

    let deployment = started.structuredContent;
    const deadline = Date.now() + 30_000;
    while (deployment.status === 'in-progress' && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 200));
      deployment = (
        await call(client, 'get-sagemaker-deployment', { id: deployment.id })
      ).structuredContent;
    }
    expect(deployment).toMatchObject({
      status: 'succeeded',
      endpointStatus: 'InService',
    });

    const endpoints = await call(client, 'list-sagemaker-endpoints', {
      entityRef: 'fraud',
    });
    expect(endpoints.structuredContent.endpoints).toEqual([
      expect.objectContaining({
        endpointName: 'fraud-staging',
        status: 'InService',
        variants: [expect.objectContaining({ version: 3 })],
      }),
    ]);

    const history = await call(client, 'get-sagemaker-model-history', {
      entityRef: 'fraud',
      limit: 2,
    });
    expect(
      history.structuredContent.events.map((e: any) => [
        e.action,
        e.outcome,
        e.actor,
        e.source,
        e.deploymentId,
      ]),
    ).toEqual([
      // The executor records the outcome later, with the request's source.
      ['deploy', 'succeeded', OWNER, 'agent', deployment.id],
      ['deploy', 'requested', OWNER, 'agent', deployment.id],
    ]);
  });
});
