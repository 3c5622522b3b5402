import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import { setupServer } from 'msw/node';
import { SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION } from '@internal/backstage-plugin-sagemaker-common';
import { FakeSageMakerBackend } from '../../__testUtils__/FakeSageMakerBackend';
import {
  groupArn,
  makeEndpoint,
  makeVersion,
  makeVersions,
  modelEntity,
  stagingTarget,
  summaryOf,
} from '../../__testUtils__/fixtures';
import { renderWithBackend } from '../../__testUtils__/renderWithBackend';
import { EntitySageMakerContent } from './EntitySageMakerContent';

const server = setupServer();
registerMswTestHooks(server);

function useBackend(groups: Record<string, number>) {
  const backend = new FakeSageMakerBackend(
    Object.fromEntries(
      Object.entries(groups).map(([name, count]) => [
        name,
        makeVersions(name, count),
      ]),
    ),
  );
  server.use(...backend.handlers());
  return backend;
}

const cards = () => screen.queryAllByRole('article');
const card = (version: number) =>
  screen.getByRole('article', { name: `Version ${version}` });

async function chooseOption(label: string, option: string) {
  // A select's accessible name is its label followed by its value.
  await userEvent.click(
    screen.getByRole('button', { name: new RegExp(`^${label} `) }),
  );
  await userEvent.click(await screen.findByRole('option', { name: option }));
}

describe('EntitySageMakerContent', () => {
  it('explains the missing annotation without calling the backend', async () => {
    const backend = useBackend({ 'fraud-detection': 3 });
    await renderWithBackend(<EntitySageMakerContent />, {
      entity: modelEntity([]),
    });
    expect(
      await screen.findByText(SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION, {
        selector: 'code',
      }),
    ).toBeInTheDocument();
    expect(backend.requests).toHaveLength(0);
  });

  it("shows the backend's error and loads again on Retry", async () => {
    const backend = useBackend({ 'fraud-detection': 3 });
    backend.fail({
      path: /\/groups$/,
      status: 502,
      name: 'AwsGatewayError',
      message:
        'Could not get credentials for AWS account 111111111111 (STS AssumeRole failed)',
    });
    await renderWithBackend(<EntitySageMakerContent />, {
      entity: modelEntity(),
    });
    expect(
      (await screen.findAllByText(/STS AssumeRole failed/))[0],
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('article', { name: 'Version 3' }),
    ).toBeInTheDocument();
    expect(cards()).toHaveLength(3);
  });

  it('says when a group has no versions yet', async () => {
    useBackend({ 'fraud-detection': 0 });
    await renderWithBackend(<EntitySageMakerContent />, {
      entity: modelEntity(),
    });
    expect(
      await screen.findByText(
        'No versions are registered in fraud-detection yet.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('No versions yet')).toBeInTheDocument();
  });

  // 100 cards take a few seconds to render in jsdom, and 35-45 s on a
  // 2-core machine shared by other test runs (load average 7-8).
  jest.setTimeout(60_000);

  it('shows versions 50 at a time, newest first, with status, metrics and placement', async () => {
    const backend = useBackend({ 'fraud-detection': 200 });
    backend.endpoints = [
      makeEndpoint(
        stagingTarget,
        'fraud-detection-staging',
        summaryOf(backend.version('fraud-detection', 200)),
      ),
    ];
    await renderWithBackend(<EntitySageMakerContent />, {
      entity: modelEntity(),
    });

    expect(
      await screen.findByText(
        'Showing 50 of 200 versions.',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(cards()).toHaveLength(50);
    expect(cards()[0]).toHaveAccessibleName('Version 200');
    const newest = within(card(200));
    expect(newest.getByText('Approved')).toBeInTheDocument();
    expect(
      newest.getByText('fraud-detection retrained, run 200'),
    ).toBeVisible();
    expect(newest.getByText('accuracy')).toBeInTheDocument();
    expect(newest.getByText('1')).toBeInTheDocument();
    expect(newest.getByText(/by training-pipeline/)).toBeInTheDocument();
    expect(
      newest.getByText('staging: fraud-detection-staging (InService)'),
    ).toBeInTheDocument();
    expect(within(card(199)).getByText('Rejected')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Load more versions' }),
    );
    expect(
      await screen.findByText(
        'Showing 100 of 200 versions.',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(cards()).toHaveLength(100);

    const pages = backend.requestsTo('GET', /\/versions$/);
    expect(pages.map(r => r.query)).toEqual([
      {
        group: groupArn('fraud-detection'),
        sort: 'createdAt',
        order: 'desc',
        limit: '50',
      },
      {
        group: groupArn('fraud-detection'),
        sort: 'createdAt',
        order: 'desc',
        limit: '50',
        cursor: '50',
      },
    ]);
  });

  it('filters by status on the backend, orders and searches the loaded versions', async () => {
    const backend = useBackend({ 'fraud-detection': 20 });
    await renderWithBackend(<EntitySageMakerContent />, {
      entity: modelEntity(),
    });
    await screen.findByText('Showing 20 of 20 versions.');

    await chooseOption('Status', 'Rejected');
    expect(
      await screen.findByText('Showing 5 of 5 versions.'),
    ).toBeInTheDocument();
    cards().forEach(article =>
      expect(within(article).getByText('Rejected')).toBeInTheDocument(),
    );
    expect(backend.requestsTo('GET', /\/versions$/).pop()?.query.status).toBe(
      'Rejected',
    );

    await chooseOption('Status', 'All statuses');
    await chooseOption('Order', 'Oldest first (lowest version)');
    await waitFor(() => expect(cards()[0]).toHaveAccessibleName('Version 1'));
    expect(backend.requestsTo('GET', /\/versions$/).pop()?.query).toMatchObject(
      { sort: 'createdAt', order: 'asc' },
    );
    expect(
      backend.requestsTo('GET', /\/versions$/).pop()?.query,
    ).not.toHaveProperty('status');

    await userEvent.type(
      screen.getByLabelText('Search loaded versions'),
      'run 17',
    );
    expect(
      screen.getByText('1 of 20 loaded versions match “run 17”.'),
    ).toBeInTheDocument();
    expect(cards()).toHaveLength(1);
    expect(cards()[0]).toHaveAccessibleName('Version 17');
  });

  it("shows each version's lifecycle stage and filters by it", async () => {
    const backend = useBackend({ 'fraud-detection': 4 });
    backend.version('fraud-detection', 3).modelLifeCycle = {
      stage: 'Production',
      stageStatus: 'Approved',
    };
    await renderWithBackend(<EntitySageMakerContent />, {
      entity: modelEntity(),
    });
    await screen.findByText('Showing 4 of 4 versions.');
    expect(
      within(card(3)).getByText('Stage: Production (Approved)'),
    ).toBeInTheDocument();
    expect(
      within(card(2)).getByText('Stage: Development (Approved)'),
    ).toBeInTheDocument();

    await chooseOption('Lifecycle stage', 'Production');
    expect(
      await screen.findByText(
        '1 of 4 loaded versions match in stage Production.',
      ),
    ).toBeInTheDocument();
    expect(cards()).toHaveLength(1);
    expect(cards()[0]).toHaveAccessibleName('Version 3');
  });

  it('lets the user choose among the groups the entity names', async () => {
    const backend = useBackend({
      'fraud-detection': 4,
      'fraud-detection-eu': 2,
    });
    await renderWithBackend(<EntitySageMakerContent />, {
      entity: modelEntity(['fraud-detection', 'fraud-detection-eu']),
    });
    await screen.findByText('Showing 4 of 4 versions.');
    expect(screen.getByText('Versions of fraud-detection')).toBeInTheDocument();
    expect(screen.getByText('Approved: 2')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: /Model package group/ }),
    );
    const options = screen.getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'fraud-detection (4 versions, latest 4)',
      'fraud-detection-eu (2 versions, latest 2)',
    ]);
    await userEvent.click(options[1]);

    expect(
      await screen.findByText('Showing 2 of 2 versions.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Versions of fraud-detection-eu'),
    ).toBeInTheDocument();
    expect(backend.requestsTo('GET', /\/versions$/).pop()?.query.group).toBe(
      groupArn('fraud-detection-eu'),
    );
  });

  it('opens the version a notification links to, in the group it names', async () => {
    useBackend({ 'fraud-detection': 4, 'fraud-detection-eu': 2 });
    await renderWithBackend(<EntitySageMakerContent />, {
      entity: modelEntity(['fraud-detection', 'fraud-detection-eu']),
      url: `/?group=${encodeURIComponent(
        groupArn('fraud-detection-eu'),
      )}&version=2`,
    });
    expect(
      await screen.findByRole('dialog', {
        name: 'Version 2 of fraud-detection-eu',
      }),
    ).toBeInTheDocument();
  });

  it('keeps filter, order, the open version and the compared ones in the URL, so a link opens them', async () => {
    useBackend({ 'fraud-detection': 6 });
    await renderWithBackend(<EntitySageMakerContent />, {
      entity: modelEntity(),
      url: '/?status=Approved&order=asc&version=4&compare=1,5',
    });
    // Versions 1, 4 and 5 are the Approved ones (makeVersions), lowest first.
    expect(
      await screen.findByText('Showing 3 of 3 versions.'),
    ).toBeInTheDocument();
    // The open drawer hides the page from the accessibility tree.
    const hidden = { hidden: true };
    expect(screen.getAllByRole('article', hidden)[0]).toHaveAccessibleName(
      'Version 1',
    );
    expect(
      screen.getByRole('checkbox', { name: 'Compare version 1', ...hidden }),
    ).toBeChecked();
    expect(
      screen.getByRole('checkbox', { name: 'Compare version 5', ...hidden }),
    ).toBeChecked();
    expect(
      screen.getByRole('checkbox', { name: 'Compare version 4', ...hidden }),
    ).not.toBeChecked();
    expect(
      await screen.findByRole('dialog', {
        name: 'Version 4 of fraud-detection',
      }),
    ).toBeInTheDocument();
  });

  it('reloads the history when the backend refuses an approval, which it records', async () => {
    const backend = useBackend({ 'fraud-detection': 3 });
    backend.fail({
      method: 'POST',
      path: /approval$/,
      status: 403,
      name: 'NotAllowedError',
      message:
        'You are not allowed to approve versions of component:default/fraud-detection: ask its owners',
    });
    await renderWithBackend(<EntitySageMakerContent />, {
      entity: modelEntity(),
    });
    await screen.findByText('Showing 3 of 3 versions.');
    await waitFor(() =>
      expect(backend.requestsTo('GET', /\/history$/).length).toBeGreaterThan(0),
    );
    const before = backend.requestsTo('GET', /\/history$/).length;
    await userEvent.click(
      within(card(2)).getByRole('button', { name: 'Approve' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    expect(
      await within(dialog).findByText(/ask its owners/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(backend.requestsTo('GET', /\/history$/).length).toBeGreaterThan(
        before,
      ),
    );
  });

  it('approves a version with a comment and shows its new status and history', async () => {
    const backend = useBackend({ 'fraud-detection': 3 });
    await renderWithBackend(<EntitySageMakerContent />, {
      entity: modelEntity(),
    });
    await screen.findByText('Showing 3 of 3 versions.');
    expect(within(card(2)).getByText('Pending approval')).toBeInTheDocument();
    expect(screen.getByText('Approved: 1')).toBeInTheDocument();

    await userEvent.click(
      within(card(2)).getByRole('button', { name: 'Approve' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Review version 2 of fraud-detection',
    });
    expect(within(dialog).getByLabelText('Comment (optional)')).toHaveFocus();
    await userEvent.type(
      within(dialog).getByLabelText('Comment (optional)'),
      'Recall is up 2 points',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(within(card(2)).getByText('Approved')).toBeInTheDocument();
    expect(
      within(card(2)).queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
    expect(
      await screen.findByText('Recall is up 2 points'),
    ).toBeInTheDocument();
    expect(backend.requestsTo('POST', /approval$/)[0].body).toEqual({
      group: groupArn('fraud-detection'),
      status: 'Approved',
      comment: 'Recall is up 2 points',
    });
    expect(await screen.findByText('Approved: 2')).toBeInTheDocument();
  });

  it('offers Deploy only on approved versions, saying why elsewhere', async () => {
    useBackend({ 'fraud-detection': 3 });
    await renderWithBackend(<EntitySageMakerContent />, {
      entity: modelEntity(),
    });
    await screen.findByText('Showing 3 of 3 versions.');
    // Versions 1 to 3 are Approved, pending and Rejected (makeVersions).
    const deploy = (version: number) =>
      within(card(version)).getByRole('button', { name: 'Deploy' });
    await waitFor(() => expect(deploy(1)).not.toHaveAttribute('aria-disabled'));
    expect(deploy(3)).toHaveAttribute('aria-disabled', 'true');
    expect(deploy(3)).toHaveAccessibleDescription(
      'Only approved versions can be deployed: version 3 is rejected',
    );
    await userEvent.click(deploy(3));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.queryByRole('note')).not.toBeInTheDocument();
  });

  it('disables approve, reject and deploy with the reason for a user who may not use them', async () => {
    const backend = useBackend({ 'fraud-detection': 2 });
    // usePermission caches answers per entity: use one no other test asked about.
    await renderWithBackend(<EntitySageMakerContent />, {
      entity: modelEntity(['fraud-detection'], { name: 'not-mine' }),
      deny: [
        'sagemaker.model-version.approve',
        'sagemaker.model-version.deploy',
      ],
    });
    await screen.findByText('Showing 2 of 2 versions.');
    const pending = within(card(2));
    const approve = pending.getByRole('button', { name: 'Approve' });
    await waitFor(() =>
      expect(approve).toHaveAttribute('aria-disabled', 'true'),
    );
    // Said up front, naming who may act.
    expect(
      await screen.findByText(
        /You can review these versions, but not approve or deploy them\. The owners of Fraud detection can:/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'ml-fraud' })).toBeInTheDocument();
    const reject = pending.getByRole('button', { name: 'Reject' });
    const deploy = pending.getByRole('button', { name: 'Deploy' });
    expect(reject).toHaveAttribute('aria-disabled', 'true');
    expect(deploy).toHaveAttribute('aria-disabled', 'true');
    // Still reachable by keyboard, with the reason read out.
    expect(approve).not.toBeDisabled();
    expect(approve).toHaveAccessibleDescription(
      'You are not allowed to approve or reject versions of Fraud detection',
    );
    expect(deploy).toHaveAccessibleDescription(
      'You are not allowed to deploy versions of Fraud detection',
    );
    deploy.focus();
    expect(deploy).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await userEvent.click(approve);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(pending.getByRole('button', { name: 'Details' })).toBeEnabled();

    await userEvent.hover(approve);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'You are not allowed to approve or reject versions of Fraud detection',
    );
    expect(backend.requestsTo('POST', /./)).toHaveLength(0);
  });

  it('shows the endpoints serving the entity and its history', async () => {
    const backend = useBackend({ 'fraud-detection': 3 });
    backend.endpoints = [
      makeEndpoint(
        stagingTarget,
        'fraud-detection-staging',
        summaryOf(backend.version('fraud-detection', 1)),
        'Updating',
      ),
    ];
    backend.history = Array.from({ length: 30 }, (_, i) => ({
      seq: i + 1,
      at: new Date(Date.UTC(2026, 4, 1, 8, i)).toISOString(),
      actor: 'user:default/alice',
      action: 'approve' as const,
      outcome: 'succeeded' as const,
      source: 'backstage' as const,
      entityRef: 'component:default/fraud-detection',
      version: 1,
      comment: `event ${i + 1}`,
      prevHash: `h${i}`,
      hash: `h${i + 1}`,
    }));
    await renderWithBackend(<EntitySageMakerContent />, {
      entity: modelEntity(),
    });

    const endpointRow = (
      await screen.findByText('fraud-detection-staging', {
        selector: 'td *, td',
      })
    ).closest('tr')!;
    expect(within(endpointRow).getByText('Updating')).toBeInTheDocument();
    expect(
      within(endpointRow).getByText(
        'Version 1 of fraud-detection on 1 × ml.m5.large',
      ),
    ).toBeInTheDocument();

    const newest = (await screen.findByText('event 30')).closest('tr')!;
    expect(newest).toHaveTextContent('alice');
    expect(newest).toHaveTextContent('Approve, version 1');
    expect(newest).toHaveTextContent('Succeeded');
    expect(screen.getByText('event 6')).toBeInTheDocument();
    expect(screen.queryByText('event 5')).not.toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Load older events' }),
    );
    expect(await screen.findByText('event 1')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Load older events' }),
    ).not.toBeInTheDocument();
  });

  it('says which target was searched only in part for endpoints made outside Backstage', async () => {
    const backend = useBackend({ 'fraud-detection': 3 });
    backend.discoveryTruncated = ['staging'];
    await renderWithBackend(<EntitySageMakerContent />, {
      entity: modelEntity(),
    });

    expect(
      await screen.findByText(
        /Endpoints made outside Backstage in staging were searched only in part/,
      ),
    ).toBeInTheDocument();
  });

  it('deploys from a card and then shows the new endpoint, the deployment and the placement', async () => {
    const backend = useBackend({ 'fraud-detection': 4 });
    await renderWithBackend(<EntitySageMakerContent pollIntervalMs={5} />, {
      entity: modelEntity(),
    });
    await screen.findByText('Showing 4 of 4 versions.');
    expect(
      await screen.findByText(
        'No endpoint serves a version of this entity yet.',
      ),
    ).toBeInTheDocument();

    await userEvent.click(
      within(card(4)).getByRole('button', { name: 'Deploy' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Deploy version 4 of fraud-detection',
    });
    await within(dialog).findByText(/readiness checks passed/);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Deploy' }),
    );
    expect(
      await within(dialog).findByText(
        'fraud-detection-staging is InService with version 4.',
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );

    expect(
      await within(card(4)).findByText(
        'staging: fraud-detection-staging (InService)',
      ),
    ).toBeInTheDocument();
    const endpointRow = screen
      .getByText('Version 4 of fraud-detection on 1 × ml.m5.large')
      .closest('tr')!;
    expect(within(endpointRow).getByText('InService')).toBeInTheDocument();
    const deploymentRow = (await screen.findByText('Succeeded')).closest('tr')!;
    expect(deploymentRow).toHaveTextContent('fraud-detection-staging');
    expect(deploymentRow).toHaveTextContent('guest');
    expect(backend.requestsTo('POST', /deployments$/)).toHaveLength(1);
  });

  it('rolls an endpoint back to the version that served before, after a confirmation', async () => {
    const backend = useBackend({ 'fraud-detection': 4 });
    backend.endpoints = [
      makeEndpoint(
        stagingTarget,
        'fraud-detection-staging',
        summaryOf(backend.version('fraud-detection', 4)),
      ),
    ];
    backend.rollbacks = [
      {
        target: 'staging',
        endpointName: 'fraud-detection-staging',
        version: 1,
        groupArn: groupArn('fraud-detection'),
        restores: 'dep-0',
        undoes: 'dep-9',
        undoesVersion: 4,
      },
    ];
    await renderWithBackend(<EntitySageMakerContent pollIntervalMs={5} />, {
      entity: modelEntity(),
    });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Roll back to version 1' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Roll back fraud-detection-staging to version 1',
    });
    expect(dialog).toHaveTextContent(
      'fraud-detection-staging on staging serves version 4. Rolling back deploys version 1 again',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Roll back to version 1' }),
    );
    expect(
      await within(dialog).findByText(
        'fraud-detection-staging is InService with version 1.',
      ),
    ).toBeInTheDocument();
    const [rollback] = backend.requestsTo('POST', /rollbacks$/);
    expect(rollback.body).toEqual({
      target: 'staging',
      endpointName: 'fraud-detection-staging',
    });
    expect(rollback.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('opens a version in the details drawer and compares two selected versions', async () => {
    useBackend({ 'fraud-detection': 4 });
    await renderWithBackend(<EntitySageMakerContent />, {
      entity: modelEntity(),
    });
    await screen.findByText('Showing 4 of 4 versions.');

    await userEvent.click(
      within(card(3)).getByRole('button', { name: 'Details' }),
    );
    const drawer = await screen.findByRole('dialog', {
      name: 'Version 3 of fraud-detection',
    });
    expect(
      await within(drawer).findByText(
        's3://models-111111111111/fraud-detection/3/model.tar.gz',
      ),
    ).toBeInTheDocument();
    await userEvent.keyboard('{Escape}');
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Version 3 of fraud-detection' }),
      ).not.toBeInTheDocument(),
    );

    const compare = screen.getByRole('button', {
      name: 'Compare selected (0/4)',
    });
    expect(compare).toBeDisabled();
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Compare version 1' }),
    );
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Compare version 4' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Compare selected (2/4)' }),
    );
    const comparison = await screen.findByRole('dialog', {
      name: 'Compare version 1 and version 4',
    });
    const accuracy = (
      await within(comparison).findByRole('rowheader', { name: 'accuracy' })
    ).closest('tr')!;
    expect(accuracy).toHaveTextContent('0.8010.804+0.003');
  });

  it('shows the versions as a dense table sorted by a metric, opens a row, and compares three', async () => {
    const metricsOf = [0.91, 0.87, 0.95, 0.89];
    const backend = new FakeSageMakerBackend({
      'fraud-detection': metricsOf.map((accuracy, index) =>
        makeVersion('fraud-detection', index + 1, {
          approvalStatus: 'Approved',
          metrics: { accuracy },
        }),
      ),
    });
    server.use(...backend.handlers());
    await renderWithBackend(<EntitySageMakerContent />, {
      entity: modelEntity(),
    });
    await screen.findByText('Showing 4 of 4 versions.');

    await userEvent.click(screen.getByRole('button', { name: /Table/ }));
    const table = screen.getByRole('table', { name: 'Versions' });
    const versionColumn = () =>
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map(row => within(row).getAllByRole('cell')[1].textContent);
    expect(versionColumn()).toEqual(['4', '3', '2', '1']);

    await userEvent.click(
      within(table).getByRole('button', { name: 'accuracy' }),
    );
    expect(versionColumn()).toEqual(['3', '1', '4', '2']);
    expect(
      within(table).getByRole('columnheader', { name: /accuracy/ }),
    ).toHaveAttribute('aria-sort', 'descending');
    await userEvent.click(
      within(table).getByRole('button', { name: /accuracy/ }),
    );
    expect(versionColumn()).toEqual(['2', '4', '1', '3']);

    // A click anywhere on a row opens its version.
    await userEvent.click(within(table).getByText('0.95'));
    expect(
      await screen.findByRole('dialog', {
        name: 'Version 3 of fraud-detection',
      }),
    ).toBeInTheDocument();
    await userEvent.keyboard('{Escape}');

    for (const version of [1, 2, 3]) {
      await userEvent.click(
        within(table).getByRole('checkbox', {
          name: `Compare version ${version}`,
        }),
      );
    }
    await userEvent.click(
      screen.getByRole('button', { name: 'Compare selected (3/4)' }),
    );
    const comparison = await screen.findByRole('dialog', {
      name: 'Compare version 1, version 2 and version 3',
    });
    const accuracy = (
      await within(comparison).findByRole('rowheader', { name: 'accuracy' })
    ).closest('tr')!;
    expect(accuracy).toHaveTextContent('0.910.870.95+0.04');
  });
});
