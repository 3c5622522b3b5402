import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import { setupServer } from 'msw/node';
import { ModelEndpoint } from '@internal/backstage-plugin-sagemaker-common';
import {
  FAILING_DEPLOYMENT,
  FakeSageMakerBackend,
} from '../../__testUtils__/FakeSageMakerBackend';
import {
  groupArn,
  makeEndpoint,
  makeVersions,
  modelEntity,
  stagingTarget,
  summaryOf,
} from '../../__testUtils__/fixtures';
import { renderWithBackend } from '../../__testUtils__/renderWithBackend';
import { DeployDialog } from './DeployDialog';

const server = setupServer();
registerMswTestHooks(server);

// Versions 1 and 4 are Approved, 2 is pending approval, 3 is Rejected.
let backend: FakeSageMakerBackend;
beforeEach(() => {
  backend = new FakeSageMakerBackend({
    'fraud-detection': makeVersions('fraud-detection', 4),
  });
  server.use(...backend.handlers());
});

function renderDialog(
  version: number,
  options: {
    endpoints?: ModelEndpoint[];
    onClose?: () => void;
    onFinished?: () => void;
  } = {},
) {
  return renderWithBackend(
    <DeployDialog
      version={summaryOf(backend.version('fraud-detection', version))}
      groupArn={groupArn('fraud-detection')}
      endpoints={options.endpoints ?? []}
      onClose={options.onClose ?? jest.fn()}
      onFinished={options.onFinished}
      pollIntervalMs={5}
    />,
    { entity: modelEntity() },
  );
}

const deployButton = () => screen.getByRole('button', { name: 'Deploy' });
/** Deploy stays disabled until the chosen target's preflight has answered. */
const checked = () => screen.findByText(/readiness checks passed/);

describe('DeployDialog', () => {
  it('deploys to the first available target and follows the deployment to InService', async () => {
    const onFinished = jest.fn();
    await renderDialog(4, { onFinished });
    const dialog = await screen.findByRole('dialog', {
      name: 'Deploy version 4 of fraud-detection',
    });
    expect(
      await within(dialog).findByRole('button', { name: /^Target / }),
    ).toHaveTextContent('Staging (222222222222)');
    expect(within(dialog).getByLabelText('Endpoint name')).toHaveValue(
      'fraud-detection-staging',
    );
    expect(
      within(dialog).getByRole('button', { name: /^Instance type / }),
    ).toHaveTextContent('ml.m5.large');
    expect(within(dialog).getByLabelText('Instance count')).toHaveValue(1);
    expect(
      within(dialog).getByText(
        'Production (333333333333): Version 4 must be InService on Staging (222222222222) first',
      ),
    ).toBeInTheDocument();

    await checked();
    await userEvent.click(deployButton());

    const stepper = await screen.findByLabelText('Deployment progress');
    expect(within(stepper).getByText('Model')).toBeInTheDocument();
    expect(within(stepper).getByText('Endpoint config')).toBeInTheDocument();
    expect(
      await screen.findByText(
        'fraud-detection-staging is InService with version 4.',
      ),
    ).toBeInTheDocument();
    expect(within(stepper).getByText('InService')).toBeInTheDocument();
    expect(onFinished).toHaveBeenCalledTimes(1);
    expect(onFinished).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'succeeded' }),
    );

    const [request] = backend.requestsTo('POST', /deployments$/);
    expect(request.body).toEqual({
      group: groupArn('fraud-detection'),
      version: 4,
      target: 'staging',
      endpointName: 'fraud-detection-staging',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
    });
    expect(request.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      backend.requestsTo('GET', /\/deployments\/dep-1$/).length,
    ).toBeGreaterThanOrEqual(4);
  });

  it('shows the AWS error code, message and request id when the deployment fails', async () => {
    backend.deploymentScript = FAILING_DEPLOYMENT;
    await renderDialog(1);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Deploy' }),
    );

    expect(await screen.findByText('Deployment failed')).toBeInTheDocument();
    expect(
      screen.getByText(
        "ResourceLimitExceeded: The account-level service limit 'ml.m5.large for endpoint usage' is 0 Instances",
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('AWS request id: 5f1c2a9e-0b7d-4c1e-9a55-3c2f9d1e8b11'),
    ).toBeInTheDocument();
    const stepper = screen.getByLabelText('Deployment progress');
    expect(within(stepper).getByText('Failed')).toBeInTheDocument();
    expect(within(stepper).queryByText('InService')).not.toBeInTheDocument();
  });

  it("names the target's unmet evidence gate before submit and keeps Deploy disabled", async () => {
    backend.gates.staging = [
      {
        kind: 'metric',
        rule: 'auc >= 0.9',
        passed: false,
        found: 'auc is 0.87',
      },
      {
        kind: 'lifecycle-stage',
        rule: 'lifecycle stage PreProduction',
        passed: true,
        found: 'the version is in PreProduction (Approved)',
      },
    ];
    await renderDialog(4);
    const gates = await screen.findByLabelText(
      'Evidence gates of Staging (222222222222)',
    );
    expect(
      within(gates).getByText(
        "Version 4 does not meet Staging (222222222222)'s evidence gates: Staging (222222222222) requires auc >= 0.9 (auc is 0.87).",
      ),
    ).toBeInTheDocument();
    expect(
      within(gates).getByText('the version is in PreProduction (Approved)'),
    ).toBeInTheDocument();
    await checked();
    expect(deployButton()).toBeDisabled();
    expect(backend.requestsTo('GET', /\/gates$/)[0].query).toEqual({
      target: 'staging',
      version: '4',
      group: groupArn('fraud-detection'),
    });
    expect(backend.requestsTo('POST', /deployments$/)).toHaveLength(0);
  });

  it('sends one request when Deploy is double-clicked', async () => {
    await renderDialog(4);
    const button = await screen.findByRole('button', { name: 'Deploy' });
    await userEvent.dblClick(button);
    await screen.findByLabelText('Deployment progress');
    expect(backend.requestsTo('POST', /deployments$/)).toHaveLength(1);
  });

  it('explains why no target is available for a version that is not approved', async () => {
    await renderDialog(2);
    expect(
      await screen.findByText(
        'Staging (222222222222): Only approved versions can be deployed: version 2 is pending approval',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/No target is available/)).toBeInTheDocument();
    expect(deployButton()).toBeDisabled();
  });

  it('offers production once the version is InService on staging, with its allowed instance types', async () => {
    const endpoint = makeEndpoint(
      stagingTarget,
      'fraud-detection-staging',
      summaryOf(backend.version('fraud-detection', 4)),
    );
    await renderDialog(4, { endpoints: [endpoint] });
    await userEvent.click(
      await screen.findByRole('button', { name: /^Target / }),
    );
    await userEvent.click(
      screen.getByRole('option', { name: 'Production (333333333333)' }),
    );
    expect(screen.getByLabelText('Endpoint name')).toHaveValue(
      'fraud-detection-production',
    );
    await userEvent.click(
      screen.getByRole('button', { name: /^Instance type / }),
    );
    expect(
      screen.getAllByRole('option').map(option => option.textContent),
    ).toEqual(['ml.m5.xlarge', 'ml.c5.2xlarge']);
    await userEvent.click(
      screen.getByRole('option', { name: 'ml.c5.2xlarge' }),
    );

    const count = screen.getByLabelText('Instance count');
    await userEvent.clear(count);
    await userEvent.type(count, '5');
    expect(screen.getByText('Between 1 and 4.')).toBeInTheDocument();
    expect(deployButton()).toBeDisabled();
    await userEvent.clear(count);
    await checked();
    await userEvent.type(count, '3{Enter}');

    await screen.findByLabelText('Deployment progress');
    expect(backend.requestsTo('POST', /deployments$/)[0].body).toMatchObject({
      target: 'production',
      endpointName: 'fraud-detection-production',
      instanceType: 'ml.c5.2xlarge',
      instanceCount: 3,
    });
  });

  it('validates the endpoint name and says when an existing endpoint is updated', async () => {
    const endpoint = makeEndpoint(
      stagingTarget,
      'fraud-staging',
      summaryOf(backend.version('fraud-detection', 1)),
    );
    await renderDialog(4, { endpoints: [endpoint] });
    const name = await screen.findByLabelText('Endpoint name');
    await userEvent.clear(name);
    await userEvent.type(name, 'fraud_staging');
    expect(
      screen.getByText(
        'Use 1-63 letters, digits or dashes, starting and ending with a letter or digit.',
      ),
    ).toBeInTheDocument();
    expect(deployButton()).toBeDisabled();

    await userEvent.clear(name);
    await userEvent.type(name, 'fraud-staging');
    expect(
      screen.getByText(
        'Updates the existing endpoint (InService, serving version 1).',
      ),
    ).toBeInTheDocument();
    await checked();
    expect(deployButton()).toBeEnabled();
  });

  it("says a new endpoint has no traffic shifting, and an update follows the target's guardrails", async () => {
    backend.targets = [
      {
        ...stagingTarget,
        deploymentConfig: {
          blueGreen: {
            trafficRouting: 'CANARY',
            canarySize: { type: 'CAPACITY_PERCENT', value: 10 },
            waitIntervalSeconds: 300,
          },
          autoRollbackAlarms: ['fraud-5xx'],
        },
      },
    ];
    const endpoint = makeEndpoint(
      stagingTarget,
      'fraud-staging',
      summaryOf(backend.version('fraud-detection', 1)),
    );
    await renderDialog(4, { endpoints: [endpoint] });
    expect(
      await screen.findByText(
        'A new endpoint has no traffic shifting: it takes all traffic once it is InService.',
      ),
    ).toBeInTheDocument();

    const name = screen.getByLabelText('Endpoint name');
    await userEvent.clear(name);
    await userEvent.type(name, 'fraud-staging');
    expect(
      screen.getByText(
        'An update is blue/green: a canary of 10% of traffic bakes for 5 min, then the rest shifts and bakes for 5 min; it rolls back if CloudWatch alarm fraud-5xx goes into ALARM.',
      ),
    ).toBeInTheDocument();
  });

  it('asks no instance type or count on a serverless target, and sends none', async () => {
    backend.targets = [
      {
        ...stagingTarget,
        instanceTypes: [],
        serverless: { memorySizeInMB: 2048, maxConcurrency: 5 },
      },
    ];
    await renderDialog(4);
    expect(
      await screen.findByText(
        'Serverless: 2048 MB of memory, up to 5 concurrent invocations (set by the target).',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Instance count')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /^Instance type / }),
    ).not.toBeInTheDocument();

    await checked();
    await userEvent.click(deployButton());
    expect(await screen.findByText(/\(serverless\)$/)).toBeInTheDocument();
    const [request] = backend.requestsTo('POST', /deployments$/);
    expect(request.body).toEqual({
      group: groupArn('fraud-detection'),
      version: 4,
      target: 'staging',
      endpointName: 'fraud-detection-staging',
    });
  });

  it("shows the backend's refusal and lets the user retry with the same Idempotency-Key", async () => {
    backend.fail({
      method: 'POST',
      path: /deployments$/,
      status: 409,
      name: 'ConflictError',
      message: 'Endpoint fraud-detection-staging in staging is still Updating',
    });
    await renderDialog(4);
    await checked();
    await userEvent.click(deployButton());
    expect(
      await screen.findByText(
        'Endpoint fraud-detection-staging in staging is still Updating',
      ),
    ).toBeInTheDocument();

    await userEvent.click(deployButton());
    await screen.findByLabelText('Deployment progress');
    const keys = backend
      .requestsTo('POST', /deployments$/)
      .map(r => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('deploys from the keyboard: Enter in the endpoint name field starts the deployment without crashing', async () => {
    await renderDialog(4);
    const name = await screen.findByLabelText('Endpoint name');
    await checked();
    await userEvent.click(name);
    await userEvent.keyboard('{Enter}');
    expect(
      await screen.findByText(
        'fraud-detection-staging is InService with version 4.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Close' })).toHaveFocus();
  });

  it('blocks Deploy while a readiness check is missing, and shows the policy that fixes it', async () => {
    backend.readiness.staging = [
      {
        id: 'artifacts-key:arn:aws:kms:us-east-1:111111111111:key/k1',
        kind: 'artifacts-key',
        title: 'Execution role can decrypt the model data',
        status: 'missing',
        accountId: '111111111111',
        resource: 'arn:aws:kms:us-east-1:111111111111:key/k1',
        summary:
          'The key policy of arn:aws:kms:us-east-1:111111111111:key/k1 does not grant kms:Decrypt to arn:aws:iam::222222222222:role/SageMakerExecutionRole.',
        evidence: ['key policy: {}'],
        fix: {
          summary: 'Add this statement to the key policy.',
          policy: {
            id: 'key-policy:k1',
            title: 'Key policy',
            accountId: '111111111111',
            kind: 'resource',
            where:
              'the key policy of arn:aws:kms:us-east-1:111111111111:key/k1',
            attachTo: 'arn:aws:kms:us-east-1:111111111111:key/k1',
            document: {
              Version: '2012-10-17',
              Statement: [
                {
                  Sid: 'SageMakerExecutionRolesDecrypt',
                  Effect: 'Allow',
                  Principal: {
                    AWS: [
                      'arn:aws:iam::222222222222:role/SageMakerExecutionRole',
                    ],
                  },
                  Action: ['kms:Decrypt', 'kms:DescribeKey'],
                  Resource: '*',
                },
              ],
            },
          },
        },
      },
    ];
    await renderDialog(4);
    expect(
      await screen.findByText(/1 grant is missing in Staging \(222222222222\)/),
    ).toBeInTheDocument();
    expect(deployButton()).toBeDisabled();
    expect(
      screen.getByLabelText(
        'Policy for Execution role can decrypt the model data',
      ),
    ).toHaveTextContent('SageMakerExecutionRolesDecrypt');
    expect(
      screen.getByRole('button', {
        name: 'Copy the policy for Execution role can decrypt the model data',
      }),
    ).toBeInTheDocument();

    backend.readiness.staging = [];
    await userEvent.click(screen.getByRole('button', { name: 'Check again' }));
    await checked();
    expect(deployButton()).toBeEnabled();
    const fresh = backend.requestsTo('GET', /readiness$/).pop()!;
    expect(fresh.query).toMatchObject({
      target: 'staging',
      version: '4',
      fresh: 'true',
    });
  });

  it('closes on Escape', async () => {
    const onClose = jest.fn();
    await renderDialog(4, { onClose });
    await screen.findByRole('button', { name: /^Target / });
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });
});
