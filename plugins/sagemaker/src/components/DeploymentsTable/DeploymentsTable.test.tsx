import { screen } from '@testing-library/react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { setupServer } from 'msw/node';
import {
  Deployment,
  entityDeploymentsSignalChannel,
} from '@internal/backstage-plugin-sagemaker-common';
import { FakeSageMakerBackend } from '../../__testUtils__/FakeSageMakerBackend';
import { FakeSignalApi } from '../../__testUtils__/FakeSignalApi';
import {
  makeVersions,
  modelEntity,
  versionArn,
  groupArn,
} from '../../__testUtils__/fixtures';
import { renderWithBackend } from '../../__testUtils__/renderWithBackend';
import { DeploymentsTable } from './DeploymentsTable';

const server = setupServer();
registerMswTestHooks(server);

const running: Deployment = {
  id: 'dep-1',
  entityRef: 'component:default/fraud-detection',
  groupArn: groupArn('fraud-detection'),
  versionArn: versionArn('fraud-detection', 2),
  version: 2,
  target: 'staging',
  accountId: '222222222222',
  region: 'us-east-1',
  endpointName: 'fraud-detection-staging',
  instanceType: 'ml.m5.large',
  instanceCount: 1,
  mode: 'create',
  status: 'in-progress',
  phase: 'model',
  requestedBy: 'user:default/guest',
  createdAt: '2026-06-01T13:00:00.000Z',
  updatedAt: '2026-06-01T13:00:00.000Z',
};

function useBackend() {
  const backend = new FakeSageMakerBackend({
    'fraud-detection': makeVersions('fraud-detection', 3),
  });
  server.use(...backend.handlers());
  backend.deployments.push(running);
  return backend;
}

const listReads = (backend: FakeSageMakerBackend) =>
  backend.requestsTo('GET', /\/entities\/.*\/deployments$/);

/** Long enough for many polls at the tests' 1 ms interval. */
const manyPollIntervals = () => new Promise(r => setTimeout(r, 100));

describe('DeploymentsTable', () => {
  it('with signals: does not poll a deployment in progress, and reloads once on its signal', async () => {
    const backend = useBackend();
    const signals = new FakeSignalApi();
    await renderWithBackend(<DeploymentsTable pollIntervalMs={1} />, {
      entity: modelEntity(),
      signalApi: signals,
    });
    expect(
      await screen.findByText('In progress: creating the model'),
    ).toBeInTheDocument();
    await manyPollIntervals();
    expect(listReads(backend)).toHaveLength(1);

    backend.deployments[0] = {
      ...running,
      phase: 'waiting',
      endpointStatus: 'Creating',
    };
    await signals.send(
      entityDeploymentsSignalChannel('component:default/fraud-detection'),
      { type: 'deployment-changed', deploymentId: 'dep-1' },
    );
    expect(
      await screen.findByText(
        'In progress: waiting for the endpoint (Creating)',
      ),
    ).toBeInTheDocument();
    expect(listReads(backend)).toHaveLength(2);
  });

  it('without the signal API: polls while a deployment is in progress', async () => {
    const backend = useBackend();
    await renderWithBackend(<DeploymentsTable pollIntervalMs={1} />, {
      entity: modelEntity(),
    });
    await screen.findByText('In progress: creating the model');
    backend.deployments[0] = { ...running, status: 'succeeded', phase: 'done' };
    expect(await screen.findByText('Succeeded')).toBeInTheDocument();
    expect(listReads(backend).length).toBeGreaterThanOrEqual(2);
  });
});
