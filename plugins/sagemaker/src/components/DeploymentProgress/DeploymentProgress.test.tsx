import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  Deployment,
  deploymentSignalChannel,
} from '@internal/backstage-plugin-sagemaker-common';
import { sageMakerApiRef } from '../../api';
import { FakeSignalApi } from '../../__testUtils__/FakeSignalApi';
import { DeploymentProgress } from './DeploymentProgress';

const started: Deployment = {
  id: '8d0f6c1e-3f43-4c52-9d8e-5b7a2f0c9e11',
  entityRef: 'component:default/fraud-detection',
  groupArn:
    'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud-detection',
  versionArn:
    'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detection/7',
  version: 7,
  target: 'staging',
  accountId: '222222222222',
  region: 'us-east-1',
  endpointName: 'fraud-detection-staging',
  instanceType: 'ml.m5.large',
  instanceCount: 2,
  mode: 'update',
  status: 'in-progress',
  phase: 'model',
  requestedBy: 'user:default/guest',
  createdAt: '2026-06-01T13:00:00.000Z',
  updatedAt: '2026-06-01T13:00:00.000Z',
};

/** A getDeployment whose answers the test hands out one at a time. */
function controlledPolls() {
  const waiting: Array<(value: Deployment | Error) => void> = [];
  const getDeployment = jest.fn(
    () =>
      new Promise<Deployment>((resolve, reject) => {
        waiting.push(value =>
          value instanceof Error ? reject(value) : resolve(value),
        );
      }),
  );
  const answer = async (value: Partial<Deployment> | Error) => {
    await waitFor(() => expect(waiting).toHaveLength(1));
    await act(async () => {
      waiting.shift()!(
        value instanceof Error ? value : { ...started, ...value },
      );
    });
  };
  return { getDeployment, answer, waiting };
}

async function render(
  api: { getDeployment: jest.Mock },
  onFinished = jest.fn(),
  signalApi?: FakeSignalApi,
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [sageMakerApiRef, api],
        ...(signalApi ? [[signalApiRef, signalApi] as const] : []),
      ]}
    >
      <DeploymentProgress
        deployment={started}
        onFinished={onFinished}
        pollIntervalMs={1}
      />
    </TestApiProvider>,
  );
  return onFinished;
}

const activeStep = () =>
  within(screen.getByLabelText('Deployment progress'))
    .getAllByText(/./, { selector: '.MuiStepLabel-active' })
    .map(node => node.textContent);

/** Long enough for many polls at the tests' 1 ms interval. */
const manyPollIntervals = () => new Promise(r => setTimeout(r, 100));

describe('DeploymentProgress', () => {
  describe('with signals', () => {
    it('reads once as it starts listening, makes no polling request, and refetches once on each signal, showing what it got', async () => {
      const signals = new FakeSignalApi();
      const getDeployment = jest
        .fn()
        .mockResolvedValueOnce(started)
        .mockResolvedValue({ ...started, phase: 'endpoint-config' });
      await render({ getDeployment }, jest.fn(), signals);
      expect(signals.channels()).toEqual([deploymentSignalChannel(started.id)]);
      await waitFor(() => expect(getDeployment).toHaveBeenCalledTimes(1));

      await act(manyPollIntervals);
      expect(getDeployment).toHaveBeenCalledTimes(1);
      expect(activeStep()).toEqual(['Model']);

      await signals.send(deploymentSignalChannel(started.id), {
        type: 'deployment-changed',
        deploymentId: started.id,
      });
      await waitFor(() => expect(activeStep()).toEqual(['Endpoint config']));
      expect(getDeployment).toHaveBeenCalledTimes(2);
      expect(getDeployment).toHaveBeenCalledWith(started.id);

      await act(manyPollIntervals);
      expect(getDeployment).toHaveBeenCalledTimes(2);
    });

    it('catches up with a deployment that ended before it listened', async () => {
      const signals = new FakeSignalApi();
      const getDeployment = jest.fn(async () => ({
        ...started,
        phase: 'model' as const,
        status: 'failed' as const,
        error: { code: 'AccessDeniedException', message: 'not allowed' },
      }));
      await render({ getDeployment }, jest.fn(), signals);
      expect(
        await screen.findByText('AccessDeniedException: not allowed'),
      ).toBeInTheDocument();
      expect(getDeployment).toHaveBeenCalledTimes(1);
    });

    it('shows the outcome a signal announced', async () => {
      const signals = new FakeSignalApi();
      const getDeployment = jest
        .fn()
        .mockResolvedValueOnce(started)
        .mockResolvedValue({
          ...started,
          phase: 'done',
          status: 'succeeded',
          endpointStatus: 'InService',
        });
      const onFinished = await render({ getDeployment }, jest.fn(), signals);
      await waitFor(() => expect(getDeployment).toHaveBeenCalledTimes(1));
      expect(onFinished).not.toHaveBeenCalled();
      await signals.send(deploymentSignalChannel(started.id), {
        type: 'deployment-changed',
        deploymentId: started.id,
      });
      expect(
        await screen.findByText(
          'fraud-detection-staging is InService with version 7.',
        ),
      ).toBeInTheDocument();
      expect(onFinished).toHaveBeenCalledTimes(1);
    });
  });

  it('without the signal API, polls, and the stepper moves', async () => {
    const getDeployment = jest
      .fn()
      .mockResolvedValueOnce({ ...started, phase: 'endpoint-config' })
      .mockResolvedValue({ ...started, phase: 'endpoint' });
    await render({ getDeployment });
    await waitFor(() => expect(activeStep()).toEqual(['Endpoint Updating']));
    expect(getDeployment.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('walks Model, Endpoint config and Endpoint Updating to InService', async () => {
    const polls = controlledPolls();
    const onFinished = await render(polls);
    expect(screen.getByText(/Version 7 to staging as/).textContent).toBe(
      'Version 7 to staging as fraud-detection-staging (2 × ml.m5.large)',
    );
    expect(activeStep()).toEqual(['Model']);

    await polls.answer({ phase: 'endpoint-config' });
    expect(activeStep()).toEqual(['Endpoint config']);

    await polls.answer({ phase: 'endpoint' });
    expect(activeStep()).toEqual(['Endpoint Updating']);

    await polls.answer({ phase: 'waiting', endpointStatus: 'Updating' });
    expect(activeStep()).toEqual(['Endpoint Updating']);
    expect(onFinished).not.toHaveBeenCalled();

    await polls.answer({
      phase: 'done',
      status: 'succeeded',
      endpointStatus: 'InService',
    });
    expect(
      await screen.findByText(
        'fraud-detection-staging is InService with version 7.',
      ),
    ).toBeInTheDocument();
    expect(onFinished).toHaveBeenCalledTimes(1);
    expect(polls.getDeployment).toHaveBeenCalledTimes(4);
    expect(polls.getDeployment).toHaveBeenCalledWith(started.id);
  });

  it('marks the failed step and shows the AWS error', async () => {
    const polls = controlledPolls();
    const onFinished = await render(polls);
    await polls.answer({
      phase: 'endpoint-config',
      status: 'failed',
      error: {
        code: 'ValidationException',
        message: 'Could not find model package fraud-detection/7',
        requestId: 'a1b2c3d4-0000-4000-8000-000000000001',
      },
    });
    expect(await screen.findByText('Deployment failed')).toBeInTheDocument();
    expect(
      screen.getByText(
        'ValidationException: Could not find model package fraud-detection/7',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('AWS request id: a1b2c3d4-0000-4000-8000-000000000001'),
    ).toBeInTheDocument();
    const failedStep = within(screen.getByLabelText('Deployment progress'))
      .getByText('Failed here')
      .closest('.MuiStep-root')!;
    expect(failedStep).toHaveTextContent('Endpoint config');
    expect(onFinished).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'failed' }),
    );
  });

  it("shows a guarded update's traffic shifting, then a rollback as its own outcome naming the alarm", async () => {
    const polls = controlledPolls();
    const onFinished = await render(polls);
    await polls.answer({
      phase: 'waiting',
      endpointStatus: 'Updating',
      traffic: {
        status: 'Baking',
        message: 'Baking: 10% of traffic on the new fleet',
      },
    });
    expect(screen.getByLabelText('Traffic shifting')).toHaveTextContent(
      'Traffic shifting: Baking — Baking: 10% of traffic on the new fleet',
    );

    await polls.answer({
      phase: 'waiting',
      status: 'failed',
      endpointStatus: 'InService',
      error: {
        code: 'UpdateRolledBack',
        message:
          'Rolled back by CloudWatch alarm fraud-5xx: Rolled back to the previous endpoint configuration',
      },
    });
    expect(
      await screen.findByText('Rolled back', {
        selector: '.MuiAlertTitle-root',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/^Rolled back by CloudWatch alarm fraud-5xx/),
    ).toBeInTheDocument();
    expect(screen.queryByText('Deployment failed')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Traffic shifting')).not.toBeInTheDocument();
    expect(
      within(screen.getByLabelText('Deployment progress')).getByText(
        'Rolled back',
      ),
    ).toBeInTheDocument();
    expect(onFinished).toHaveBeenCalledTimes(1);
  });

  it('counts down the time a bake has left, from the end the server gives', async () => {
    const polls = controlledPolls();
    await render(polls);
    await polls.answer({
      phase: 'waiting',
      endpointStatus: 'Updating',
      traffic: {
        status: 'Baking',
        message: 'Baking: 10% of traffic on the new fleet',
        startedAt: new Date(Date.now() - 7000).toISOString(),
        bakeEndsAt: new Date(Date.now() + 3000).toISOString(),
      },
    });
    const traffic = screen.getByLabelText('Traffic shifting');
    expect(traffic).toHaveTextContent(
      /^Traffic shifting: Baking — Baking: 10% of traffic on the new fleet \(since .+\), baking 3 s left$/,
    );
    await waitFor(() => expect(traffic).toHaveTextContent(/baking 2 s left$/), {
      timeout: 2500,
    });

    await polls.answer({
      phase: 'waiting',
      endpointStatus: 'Updating',
      traffic: {
        status: 'ActivatingTraffic',
        message: 'ActivatingTraffic: 100% of traffic on the new fleet',
      },
    });
    expect(screen.getByLabelText('Traffic shifting')).not.toHaveTextContent(
      /left/,
    );
  });

  it('names the readiness check that would have caught a grant failure', async () => {
    const polls = controlledPolls();
    await render(polls);
    await polls.answer({
      phase: 'done',
      status: 'failed',
      endpointStatus: 'Failed',
      error: {
        code: 'EndpointFailed',
        message:
          'Could not access model data at s3://ml-models-111111111111/demand-forecast/v7/model.tar.gz: the execution role "arn:aws:iam::333333333333:role/SageMakerExecutionRole" is not authorized to perform kms:Decrypt on the KMS key arn:aws:kms:us-east-1:111111111111:key/k that encrypts it.',
      },
    });
    expect(
      await screen.findByText(
        /The readiness check “Execution role can decrypt the model data” would have caught this/,
      ),
    ).toBeInTheDocument();
  });

  it('stops polling when a poll fails, and goes on after Retry', async () => {
    const polls = controlledPolls();
    await render(polls);
    await polls.answer(new Error('Failed to fetch'));
    expect(
      await screen.findByText(
        "Could not get the deployment's progress: Failed to fetch",
      ),
    ).toBeInTheDocument();
    expect(polls.waiting).toHaveLength(0);

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await polls.answer({ phase: 'endpoint-config' });
    expect(activeStep()).toEqual(['Endpoint config']);
    expect(
      screen.queryByText(/Could not get the deployment's progress/),
    ).not.toBeInTheDocument();
  });
});
