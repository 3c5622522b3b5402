import { mockServices } from '@backstage/backend-test-utils';
import { SignalPayload } from '@backstage/plugin-signals-node';
import {
  Deployment,
  HistoryEvent,
} from '@internal/backstage-plugin-sagemaker-common';
import { SageMakerSignals } from './SageMakerSignals';

function setUp(fail = false) {
  const published: SignalPayload[] = [];
  const logger = mockServices.logger.mock();
  const signals = new SageMakerSignals({
    signals: {
      async publish(signal) {
        if (fail) {
          throw new Error('events bus is down');
        }
        published.push(signal as SignalPayload);
      },
    },
    logger,
  });
  return { signals, published, logger };
}

describe('SageMakerSignals', () => {
  it("broadcasts a deployment's change, ids only, on its channel and its entity's", async () => {
    const { signals, published } = setUp();
    await signals.deploymentChanged({
      id: 'd-1',
      entityRef: 'component:Default/Fraud',
      status: 'in-progress',
      error: { code: 'X', message: 'secret detail' },
    } as Deployment);

    expect(published).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: 'sagemaker:deployment:d-1',
        message: { type: 'deployment-changed', deploymentId: 'd-1' },
      },
      {
        recipients: { type: 'broadcast' },
        channel: 'sagemaker:deployments:component:default/fraud',
        message: { type: 'deployment-changed', deploymentId: 'd-1' },
      },
    ]);
  });

  it("signals a new history event on its entity's history channel, and a deployment's on the deployments channel", async () => {
    const { signals, published } = setUp();
    await signals.historyAppended({
      seq: 7,
      entityRef: 'component:default/fraud',
      action: 'approve',
      comment: 'looks good',
    } as HistoryEvent);
    await signals.historyAppended({
      seq: 8,
      entityRef: 'component:default/fraud',
      action: 'deploy',
      deploymentId: 'd-2',
    } as HistoryEvent);

    expect(published.map(p => [p.channel, p.message])).toEqual([
      [
        'sagemaker:history:component:default/fraud',
        { type: 'history-appended', seq: 7 },
      ],
      [
        'sagemaker:history:component:default/fraud',
        { type: 'history-appended', seq: 8 },
      ],
      [
        'sagemaker:deployments:component:default/fraud',
        { type: 'deployment-changed', deploymentId: 'd-2' },
      ],
    ]);
  });

  it('logs a failed publish and never throws', async () => {
    const { signals, logger } = setUp(true);
    await expect(
      signals.historyAppended({
        seq: 1,
        entityRef: 'component:default/fraud',
      } as HistoryEvent),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('events bus is down'),
    );
  });
});
