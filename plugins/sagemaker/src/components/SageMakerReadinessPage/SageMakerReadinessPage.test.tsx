import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import { setupServer } from 'msw/node';
import { ReadinessCheck } from '@internal/backstage-plugin-sagemaker-common';
import { FakeSageMakerBackend } from '../../__testUtils__/FakeSageMakerBackend';
import { modelEntity } from '../../__testUtils__/fixtures';
import { renderWithBackend } from '../../__testUtils__/renderWithBackend';
import { SageMakerReadinessPage } from './SageMakerReadinessPage';

const server = setupServer();
registerMswTestHooks(server);

const check = (
  kind: ReadinessCheck['kind'],
  status: ReadinessCheck['status'],
  title: string,
): ReadinessCheck => ({
  id: `${kind}:x`,
  kind,
  title,
  status,
  accountId: '111111111111',
  resource: 'x',
  summary: `${title} is ${status}`,
  evidence: [],
  fix: status === 'ok' ? undefined : { summary: `Fix ${title}` },
});

let backend: FakeSageMakerBackend;
beforeEach(() => {
  backend = new FakeSageMakerBackend({});
  server.use(...backend.handlers());
});

describe('SageMakerReadinessPage', () => {
  it('lists the accounts and each group × target with what is missing and its fix', async () => {
    backend.orgReadiness = {
      generatedAt: '2026-06-02T08:30:00.000Z',
      accounts: [check('access-role', 'ok', 'Backend can assume its role')],
      pairs: [
        {
          groupArn:
            'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/demand-forecast',
          target: 'production',
          targetTitle: 'Production (333333333333)',
          status: 'missing',
          checks: [
            check('region', 'ok', 'Same region'),
            check(
              'artifacts-key',
              'missing',
              'Execution role can decrypt the model data',
            ),
          ],
        },
      ],
      awsCalls: { total: 21, byAction: {} },
    };
    await renderWithBackend(<SageMakerReadinessPage />, {
      entity: modelEntity(),
    });
    expect(await screen.findByText(/with 21 AWS calls/)).toBeInTheDocument();
    expect(
      screen.getByText('demand-forecast → Production (333333333333)'),
    ).toBeInTheDocument();
    expect(screen.getByText(/1 of 2 checks ok/)).toBeInTheDocument();
    expect(
      screen.getByText('Fix Execution role can decrypt the model data'),
    ).toBeInTheDocument();
    // Passed checks of a pair are not repeated; the accounts list them.
    expect(screen.queryByText('Same region is ok')).not.toBeInTheDocument();
    expect(
      screen.getByText('Backend can assume its role is ok'),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Check again' }));
    expect(
      backend.requestsTo('GET', /\/readiness$/).pop()!.query,
    ).toMatchObject({ fresh: 'true' });
  });

  it('says which permission a user without it needs', async () => {
    backend.fail({
      path: /\/readiness$/,
      status: 403,
      name: 'NotAllowedError',
      message:
        'Only platform admins may read the organisation-wide readiness report',
    });
    await renderWithBackend(<SageMakerReadinessPage />, {
      entity: modelEntity(),
    });
    expect(
      await screen.findByText(
        'You need the sagemaker.readiness.read permission',
      ),
    ).toBeInTheDocument();
  });
});
