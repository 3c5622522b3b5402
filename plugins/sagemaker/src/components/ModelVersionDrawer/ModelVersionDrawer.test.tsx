import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import { setupServer } from 'msw/node';
import { FakeSageMakerBackend } from '../../__testUtils__/FakeSageMakerBackend';
import {
  groupArn,
  makeVersion,
  modelEntity,
} from '../../__testUtils__/fixtures';
import { renderWithBackend } from '../../__testUtils__/renderWithBackend';
import { ModelVersionDrawer } from './ModelVersionDrawer';

const server = setupServer();
registerMswTestHooks(server);

const version = makeVersion('fraud-detection', 7, {
  approvalStatus: 'Rejected',
  approvalDescription:
    'Recall dropped on the holdout set (by user:default/ana)',
  lastModifiedBy: 'backstage-user-default-ana',
  customerMetadata: { git_commit: '4f2a9c1', dataset: 'transactions-2026-06' },
});

describe('ModelVersionDrawer', () => {
  it('shows containers, metrics reports, customer metadata, approval and lifecycle', async () => {
    const backend = new FakeSageMakerBackend({ 'fraud-detection': [version] });
    server.use(...backend.handlers());
    const onClose = jest.fn();
    await renderWithBackend(
      <ModelVersionDrawer
        version={7}
        groupArn={groupArn('fraud-detection')}
        groupName="fraud-detection"
        onClose={onClose}
      />,
      { entity: modelEntity() },
    );

    const drawer = screen.getByRole('dialog', {
      name: 'Version 7 of fraud-detection',
    });
    const containers = within(
      await within(drawer).findByRole('region', { name: 'Containers' }),
    );
    expect(
      containers.getByText(
        '763104351884.dkr.ecr.us-east-1.amazonaws.com/xgboost:1.7-7',
      ),
    ).toBeInTheDocument();
    expect(
      containers.getByText(
        's3://models-111111111111/fraud-detection/7/model.tar.gz',
      ),
    ).toBeInTheDocument();
    expect(containers.getByText('XGBOOST 1.7')).toBeInTheDocument();

    const reports = within(
      within(drawer).getByRole('region', { name: 'Metrics reports' }),
    );
    expect(
      reports.getByText(
        's3://models-111111111111/fraud-detection/7/evaluation.json',
      ),
    ).toBeInTheDocument();
    expect(reports.getByText('application/json')).toBeInTheDocument();
    expect(
      reports.getByRole('button', {
        name: 'Copy ModelQuality.Statistics report location',
      }),
    ).toBeInTheDocument();
    expect(
      containers.getByRole('button', { name: 'Copy image of container 1' }),
    ).toBeInTheDocument();
    expect(
      within(drawer).getByRole('button', { name: 'Copy ARN' }),
    ).toBeInTheDocument();
    // Opened by number alone (a shared link), it shows the status it loaded.
    expect(within(drawer).getAllByText('Rejected').length).toBeGreaterThan(0);

    const metadata = within(
      within(drawer).getByRole('region', { name: 'Customer metadata' }),
    );
    expect(
      metadata.getByRole('rowheader', { name: 'git_commit' }),
    ).toBeInTheDocument();
    expect(metadata.getByText('4f2a9c1')).toBeInTheDocument();

    const registration = within(
      within(drawer).getByRole('region', { name: 'Registration' }),
    );
    expect(
      registration.getByText(
        'Recall dropped on the holdout set (by user:default/ana)',
      ),
    ).toBeInTheDocument();
    expect(
      registration.getByText('backstage-user-default-ana'),
    ).toBeInTheDocument();
    expect(
      within(
        within(drawer).getByRole('region', { name: 'Model lifecycle' }),
      ).getByText('Offline evaluation passed'),
    ).toBeInTheDocument();

    await userEvent.click(
      within(drawer).getByRole('button', { name: 'Close details' }),
    );
    expect(onClose).toHaveBeenCalled();
  });

  it("shows the backend's error with a Retry", async () => {
    const backend = new FakeSageMakerBackend({ 'fraud-detection': [version] });
    backend.fail({
      path: /versions\/7$/,
      status: 403,
      name: 'NotAllowedError',
      message:
        'AWS denied sagemaker:DescribeModelPackage in account 111111111111',
    });
    server.use(...backend.handlers());
    await renderWithBackend(
      <ModelVersionDrawer
        version={7}
        groupArn={groupArn('fraud-detection')}
        groupName="fraud-detection"
        onClose={jest.fn()}
      />,
      { entity: modelEntity() },
    );
    expect(
      (await screen.findAllByText(/denied sagemaker:DescribeModelPackage/))[0],
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('region', { name: 'Containers' }),
    ).toBeInTheDocument();
  });
});
