import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import { setupServer } from 'msw/node';
import { FakeSageMakerBackend } from '../../__testUtils__/FakeSageMakerBackend';
import {
  groupArn,
  makeVersion,
  modelEntity,
  summaryOf,
} from '../../__testUtils__/fixtures';
import { renderWithBackend } from '../../__testUtils__/renderWithBackend';
import { VersionComparisonDialog } from './VersionComparisonDialog';

const server = setupServer();
registerMswTestHooks(server);

const older = makeVersion('fraud-detection', 4, {
  approvalStatus: 'Approved',
  metrics: { accuracy: 0.91, auc: 0.95, latency_ms: 12 },
  customerMetadata: { dataset: 'transactions-2026-04', owner: 'ml-fraud' },
});
const newer = makeVersion('fraud-detection', 9, {
  metrics: { accuracy: 0.93, auc: 0.95, f1: 0.88 },
  customerMetadata: { dataset: 'transactions-2026-09', owner: 'ml-fraud' },
});

const row = (label: string) =>
  screen.getByRole('rowheader', { name: label }).closest('tr')!;
const cells = (label: string) =>
  within(row(label))
    .getAllByRole('cell')
    .map(cell => cell.textContent);

describe('VersionComparisonDialog', () => {
  it('puts two versions side by side, older first, with metric differences', async () => {
    const backend = new FakeSageMakerBackend({
      'fraud-detection': [older, newer],
    });
    server.use(...backend.handlers());
    const onClose = jest.fn();
    await renderWithBackend(
      <VersionComparisonDialog
        versions={[summaryOf(newer), summaryOf(older)]}
        groupArn={groupArn('fraud-detection')}
        onClose={onClose}
      />,
      { entity: modelEntity() },
    );

    expect(
      screen.getByRole('dialog', { name: 'Compare version 4 and version 9' }),
    ).toBeInTheDocument();
    await screen.findByRole('table', { name: 'Version comparison' });
    expect(
      within(screen.getByRole('table'))
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual(['Field', 'Version 4', 'Version 9', 'Difference']);
    expect(cells('accuracy')).toEqual(['0.91', '0.93', '+0.02']);
    expect(cells('auc')).toEqual(['0.95', '0.95', '0']);
    expect(cells('f1')).toEqual(['—', '0.88', 'only in version 9']);
    expect(cells('latency_ms')).toEqual(['12', '—', 'only in version 4']);
    expect(cells('Approval status')).toEqual([
      'Approved',
      'Pending approval',
      'differs',
    ]);
    expect(cells('dataset')).toEqual([
      'transactions-2026-04',
      'transactions-2026-09',
      'differs',
    ]);

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Only differences' }),
    );
    expect(screen.queryByRole('rowheader', { name: 'auc' })).toBeNull();
    expect(screen.queryByRole('rowheader', { name: 'owner' })).toBeNull();
    expect(screen.getByRole('rowheader', { name: 'accuracy' })).toBeVisible();

    await userEvent.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalled();
  });

  it('compares more than two versions, with the change from the oldest to the newest', async () => {
    const middle = makeVersion('fraud-detection', 6, {
      metrics: { accuracy: 0.89, auc: 0.96 },
    });
    const backend = new FakeSageMakerBackend({
      'fraud-detection': [older, middle, newer],
    });
    server.use(...backend.handlers());
    await renderWithBackend(
      <VersionComparisonDialog
        versions={[summaryOf(newer), summaryOf(older), summaryOf(middle)]}
        groupArn={groupArn('fraud-detection')}
        onClose={jest.fn()}
      />,
      { entity: modelEntity() },
    );

    expect(
      screen.getByRole('dialog', {
        name: 'Compare version 4, version 6 and version 9',
      }),
    ).toBeInTheDocument();
    await screen.findByRole('table', { name: 'Version comparison' });
    expect(
      within(screen.getByRole('table'))
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual([
      'Field',
      'Version 4',
      'Version 6',
      'Version 9',
      'Oldest to newest',
    ]);
    expect(cells('accuracy')).toEqual(['0.91', '0.89', '0.93', '+0.02']);
    expect(cells('f1')).toEqual(['—', '—', '0.88', 'only in version 9']);
    expect(cells('latency_ms')).toEqual(['12', '—', '—', 'only in version 4']);
  });
});
