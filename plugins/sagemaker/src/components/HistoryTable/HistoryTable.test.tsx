import { screen } from '@testing-library/react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { setupServer } from 'msw/node';
import {
  historySignalChannel,
  registrationComment,
} from '@internal/backstage-plugin-sagemaker-common';
import { FakeSageMakerBackend } from '../../__testUtils__/FakeSageMakerBackend';
import { FakeSignalApi } from '../../__testUtils__/FakeSignalApi';
import { makeVersions, modelEntity } from '../../__testUtils__/fixtures';
import { renderWithBackend } from '../../__testUtils__/renderWithBackend';
import { HistoryTable } from './HistoryTable';

const server = setupServer();
registerMswTestHooks(server);

const CHANNEL = historySignalChannel('component:default/fraud-detection');

function useBackend() {
  const backend = new FakeSageMakerBackend({
    'fraud-detection': makeVersions('fraud-detection', 3),
  });
  server.use(...backend.handlers());
  backend.record({ action: 'approve', version: 2 });
  return backend;
}

const historyReads = (backend: FakeSageMakerBackend) =>
  backend.requestsTo('GET', /\/entities\/.*\/history/);

describe('HistoryTable', () => {
  it("shows an event recorded outside the page when its entity's history signal comes, with one read", async () => {
    const backend = useBackend();
    const signals = new FakeSignalApi();
    await renderWithBackend(<HistoryTable />, {
      entity: modelEntity(),
      signalApi: signals,
    });
    expect(await screen.findByText('Approve, version 2')).toBeInTheDocument();
    expect(signals.channels()).toEqual([CHANNEL]);
    expect(historyReads(backend)).toHaveLength(1);

    const event = backend.record({
      action: 'register',
      source: 'sagemaker',
      actor: 'arn:aws:iam::111111111111:user/pipeline',
      version: 4,
      comment: registrationComment('PendingManualApproval'),
    });
    await signals.send(CHANNEL, { type: 'history-appended', seq: event.seq });

    expect(
      await screen.findByText(
        'Registered outside Backstage with status PendingManualApproval',
      ),
    ).toBeInTheDocument();
    expect(historyReads(backend)).toHaveLength(2);
  });

  it("ignores another entity's history signal", async () => {
    const backend = useBackend();
    const signals = new FakeSignalApi();
    await renderWithBackend(<HistoryTable />, {
      entity: modelEntity(),
      signalApi: signals,
    });
    await screen.findByText('Approve, version 2');
    await signals.send(historySignalChannel('component:default/other'), {
      type: 'history-appended',
      seq: 9,
    });
    await new Promise(r => setTimeout(r, 50));
    expect(historyReads(backend)).toHaveLength(1);
  });
});
