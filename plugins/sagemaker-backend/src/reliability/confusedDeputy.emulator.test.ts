import { DescribeModelPackageCommand } from '@aws-sdk/client-sagemaker';
import request from 'supertest';
import { groupArn, UNCONFIGURED, versionArn } from '../__testUtils__/fixtures';
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
const CHURN_GROUP = groupArn('churn-prediction');

type Attempt = {
  what: string;
  method: 'get' | 'post';
  path: string;
  body?: object;
  /** Words the refusal must contain, e.g. the field or the account. */
  names: string[];
};

/**
 * Requests that try to make the plugin act on something the entity does not
 * name. The caller is allowed to act on the entity; each request is still
 * refused with a 4xx naming what was wrong, and no AWS write is made.
 */
describe('confused deputy', () => {
  let stack: ReliabilityStack;

  beforeAll(async () => {
    stack = await startReliabilityStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function refuseAll(attempts: Attempt[]) {
    const problems: string[] = [];
    const since = stack.proxy.stats.operations.length;
    for (const attempt of attempts) {
      let req = request(stack.server)[attempt.method](attempt.path).set(AUTH);
      if (attempt.body) {
        req = req.send(attempt.body);
      }
      const res = await req;
      const message: string = res.body.error?.message ?? res.text;
      if (res.status < 400 || res.status >= 500) {
        problems.push(`${attempt.what}: answered ${res.status}`);
      } else if (!attempt.names.every(word => message.includes(word))) {
        problems.push(
          `${attempt.what}: ${
            res.status
          } "${message}" does not name ${attempt.names.join(', ')}`,
        );
      }
    }
    const writes = stack.proxy.writes(since);
    if (writes.length) {
      problems.push(`AWS writes were made: ${writes.join(', ')}`);
    }
    return problems;
  }

  it('refuses a group ARN the entity does not carry, wherever a request can name one', async () => {
    const attempts: Attempt[] = [
      {
        what: 'versions of another group',
        method: 'get',
        path: `${FRAUD}/versions?group=${encodeURIComponent(CHURN_GROUP)}`,
        names: ['churn-prediction'],
      },
      {
        what: 'a version of another group',
        method: 'get',
        path: `${FRAUD}/versions/3?group=${encodeURIComponent(CHURN_GROUP)}`,
        names: ['churn-prediction'],
      },
      {
        what: 'approving in another group',
        method: 'post',
        path: `${FRAUD}/versions/1/approval`,
        body: { status: 'Approved', group: CHURN_GROUP },
        names: ['churn-prediction'],
      },
      {
        what: 'deploying from another group',
        method: 'post',
        path: `${FRAUD}/deployments`,
        body: deployBody({ group: CHURN_GROUP }),
        names: ['churn-prediction'],
      },
      {
        what: 'a group in another account, same name',
        method: 'get',
        path: `${FRAUD}/versions?group=${encodeURIComponent(
          groupArn('fraud-detection', '222222222222'),
        )}`,
        names: ['222222222222'],
      },
    ];
    const problems = await refuseAll(attempts);
    const churn1 = await stack.registry.send(
      new DescribeModelPackageCommand({
        ModelPackageName: versionArn('churn-prediction', 1),
      }),
    );
    if (churn1.ModelApprovalStatus !== 'PendingManualApproval') {
      problems.push(`churn-prediction 1 is now ${churn1.ModelApprovalStatus}`);
    }
    scoreScenario({
      area: 'Confused deputy',
      scenario:
        'a group ARN the entity does not carry (query or body, reads and writes)',
      requests: attempts.length,
      problems,
    });
  });

  it('refuses an entity whose annotation names an account the config does not list', async () => {
    const FOREIGN = entityPath('foreign');
    const attempts: Attempt[] = [
      ['versions', 'get', `${FOREIGN}/versions`],
      ['groups', 'get', `${FOREIGN}/groups`],
      ['a version', 'get', `${FOREIGN}/versions/3`],
      [
        'approve',
        'post',
        `${FOREIGN}/versions/3/approval`,
        { status: 'Approved' },
      ],
      ['deploy', 'post', `${FOREIGN}/deployments`, deployBody()],
    ].map(([what, method, path, body]) => ({
      what: `${what} of an unconfigured account`,
      method: method as 'get' | 'post',
      path: path as string,
      body: body as object | undefined,
      names: [UNCONFIGURED],
    }));
    const problems = await refuseAll(attempts);
    scoreScenario({
      area: 'Confused deputy',
      scenario: 'an entity annotated with an account not in aws.accounts',
      requests: attempts.length,
      problems,
    });
  });

  it('refuses a deploy body that smuggles a role, a VPC, an account or a target', async () => {
    const smuggled: Array<[string, Record<string, unknown>]> = [
      [
        'ExecutionRoleArn',
        { ExecutionRoleArn: 'arn:aws:iam::222222222222:role/Admin' },
      ],
      [
        'executionRoleArn',
        { executionRoleArn: 'arn:aws:iam::222222222222:role/Admin' },
      ],
      [
        'VpcConfig',
        { VpcConfig: { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] } },
      ],
      ['accountId', { accountId: '333333333333' }],
      ['region', { region: 'eu-west-1' }],
      ['KmsKeyId', { KmsKeyId: 'arn:aws:kms:us-east-1:222222222222:key/x' }],
      ['Tags', { Tags: [{ Key: 'owner', Value: 'someone-else' }] }],
      ['versionArn', { versionArn: versionArn('churn-prediction', 3) }],
      ['ModelDataUrl', { ModelDataUrl: 's3://attacker/model.tar.gz' }],
    ];
    const attempts: Attempt[] = [
      ...smuggled.map(([field, extra]) => ({
        what: `a body with ${field}`,
        method: 'post' as const,
        path: `${FRAUD}/deployments`,
        body: deployBody(extra),
        names: [field],
      })),
      {
        what: 'a target that is not configured',
        method: 'post',
        path: `${FRAUD}/deployments`,
        body: deployBody({ target: 'admin-account' }),
        names: ['admin-account'],
      },
      {
        what: 'an approval body with a role',
        method: 'post',
        path: `${FRAUD}/versions/1/approval`,
        body: {
          status: 'Approved',
          RoleArn: 'arn:aws:iam::111111111111:role/Admin',
        },
        names: ['RoleArn'],
      },
    ];
    const problems = await refuseAll(attempts);
    scoreScenario({
      area: 'Confused deputy',
      scenario:
        'a body smuggling ExecutionRoleArn, VpcConfig, an account, a region, a KMS key, tags or a target',
      requests: attempts.length,
      problems,
    });
  });

  it("refuses to update an endpoint that serves another entity's model", async () => {
    // churn-prediction's team has an endpoint in staging.
    const churn = await request(stack.server)
      .post(`${entityPath('churn')}/deployments`)
      .set(AUTH)
      .send(deployBody({ endpointName: 'churn-staging' }));
    expect(churn.status).toBe(202);
    expect((await settled(stack.server, churn.body.id)).status).toBe(
      'succeeded',
    );
    const problems = await refuseAll([
      {
        what: "deploying fraud-detection onto churn's endpoint",
        method: 'post',
        path: `${FRAUD}/deployments`,
        body: deployBody({ endpointName: 'churn-staging' }),
        names: ['churn-staging', 'churn-prediction'],
      },
    ]);
    scoreScenario({
      area: 'Confused deputy',
      scenario: "an existing endpoint that serves another entity's model",
      requests: 1,
      problems,
    });
  });
});
