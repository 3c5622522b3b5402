import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { makeVersion, summaryOf } from '../../__testUtils__/fixtures';
import { MetricChart } from './MetricChart';

const versions = [
  makeVersion('fraud-detection', 3, { metrics: { auc: 0.9, rmse: 4 } }),
  makeVersion('fraud-detection', 1, { metrics: { auc: 0.93, rmse: 2 } }),
  makeVersion('fraud-detection', 2, { metrics: { auc: 0.88 } }),
].map(summaryOf);

describe('MetricChart', () => {
  it('charts the best-known metric first and summarises it in version order', async () => {
    await renderInTestApp(<MetricChart versions={versions} />);
    expect(screen.getByRole('button', { name: /^Metric / })).toHaveTextContent(
      'auc',
    );
    expect(
      screen.getByText(
        'auc over 3 loaded versions: lowest 0.88 (version 2), highest 0.93 (version 1), newest 0.9 (version 3).',
      ),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: /^Metric / }));
    await userEvent.click(screen.getByRole('option', { name: 'rmse' }));
    expect(
      screen.getByText(
        'rmse over 2 loaded versions: lowest 2 (version 1), highest 4 (version 3), newest 4 (version 3).',
      ),
    ).toBeInTheDocument();
  });

  it('says so when no version records a numeric metric', async () => {
    await renderInTestApp(
      <MetricChart versions={[summaryOf(makeVersion('fraud-detection', 1))]} />,
    );
    expect(
      screen.getByText(/The loaded versions record no numeric metrics/),
    ).toBeInTheDocument();
  });
});
