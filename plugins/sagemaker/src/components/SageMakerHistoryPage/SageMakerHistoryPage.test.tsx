import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { setupServer } from 'msw/node';
import { useLocation } from 'react-router-dom';
import { SWRConfig } from 'swr';
import { sageMakerApiRef } from '../../api';
import { FakeSageMakerBackend } from '../../__testUtils__/FakeSageMakerBackend';
import { versionArn } from '../../__testUtils__/fixtures';
import { fakeBackendClient } from '../../__testUtils__/renderWithBackend';
import { SageMakerHistoryPage } from './SageMakerHistoryPage';

const server = setupServer();
registerMswTestHooks(server);

const FRAUD = 'component:default/fraud-detection';
const CHURN = 'component:default/churn-model';
const STAGING = '222222222222';
const PRODUCTION = '333333333333';
const CAROL = 'arn:aws:sts::111111111111:assumed-role/DataScientist/carol';

/** Five events, 12:01 to 12:05 UTC on 2026-06-01. */
function seed(backend: FakeSageMakerBackend) {
  const fraud1 = {
    entityRef: FRAUD,
    version: 1,
    versionArn: versionArn('fraud-detection', 1),
  };
  const staging = {
    target: 'staging',
    accountId: STAGING,
    region: 'us-east-1',
    endpointName: 'fraud-detection-staging',
    deploymentId: 'dep-1',
  };
  backend.record({
    ...fraud1,
    actor: 'user:default/ana',
    comment: 'Offline metrics are good',
  });
  backend.record({
    ...fraud1,
    ...staging,
    actor: 'user:default/ana',
    action: 'deploy',
    outcome: 'requested',
  });
  backend.record({
    ...fraud1,
    ...staging,
    actor: 'user:default/ana',
    action: 'deploy',
    outcome: 'succeeded',
  });
  backend.record({
    entityRef: CHURN,
    version: 2,
    versionArn: versionArn('churn-model', 2),
    actor: CAROL,
    source: 'sagemaker',
    action: 'reject',
  });
  backend.record({
    ...fraud1,
    actor: 'user:default/bob',
    action: 'deploy',
    outcome: 'failed',
    target: 'production',
    accountId: PRODUCTION,
    region: 'us-east-1',
    endpointName: 'fraud-detection-production',
    awsErrorCode: 'ResourceLimitExceeded',
    awsErrorMessage: 'The account-level service limit is 0 Instances',
    awsRequestId: 'req-5',
  });
}

function useBackend(seedWith: (backend: FakeSageMakerBackend) => void = seed) {
  const backend = new FakeSageMakerBackend({});
  seedWith(backend);
  server.use(...backend.handlers());
  return backend;
}

const LocationSearch = () => (
  <output data-testid="location-search">{useLocation().search}</output>
);

function renderPage(options: { url?: string; allowed?: boolean } = {}) {
  const permissionApi = mockApis.permission({
    authorize: request =>
      request.permission.name === 'sagemaker.history.read' &&
      options.allowed === false
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  });
  // usePermission caches decisions in SWR: a fresh cache per test, so one
  // test's decision is not another's first answer.
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [sageMakerApiRef, fakeBackendClient()],
          [permissionApiRef, permissionApi],
        ]}
      >
        <SageMakerHistoryPage />
        <LocationSearch />
      </TestApiProvider>
    </SWRConfig>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      routeEntries: [options.url ?? '/sagemaker/history'],
    },
  );
}

const table = () => screen.getByRole('table', { name: 'History events' });
/** Waits for the first page; role queries are slow on a page this size. */
const findTable = () =>
  screen.findByRole('table', { name: 'History events' }, { timeout: 5000 });
/** The seq column of the shown rows. */
const shownSeqs = () =>
  within(table())
    .getAllByRole('row')
    .slice(1)
    .map(row => Number(within(row).getAllByRole('cell')[0].textContent));
const row = (seq: number) =>
  within(table())
    .getAllByRole('row')
    .find(
      r => within(r).queryAllByRole('cell')[0]?.textContent === String(seq),
    )!;
const historyRequests = (backend: FakeSageMakerBackend) =>
  backend.requestsTo('GET', /^\/history$/);
const urlFilters = () =>
  Object.fromEntries(
    new URLSearchParams(screen.getByTestId('location-search').textContent!),
  );

/** A `datetime-local` value for an instant, in the test's time zone. */
function localInput(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
    date.getDate(),
  )}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

describe('SageMakerHistoryPage', () => {
  it('says which permission is needed, and calls nothing, for users without it', async () => {
    const backend = useBackend();
    await renderPage({ allowed: false });
    expect(
      await screen.findByText('You need the sagemaker.history.read permission'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Export CSV' }),
    ).not.toBeInTheDocument();
    expect(backend.requests).toHaveLength(0);
  });

  it("shows the backend's refusal when it answers 403", async () => {
    const backend = useBackend();
    backend.fail({
      path: /\/history$/,
      status: 403,
      name: 'NotAllowedError',
      message:
        'Reading the organisation-wide history needs the sagemaker.history.read permission',
    });
    await renderPage();
    expect(
      await screen.findByText('You need the sagemaker.history.read permission'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Reading the organisation-wide history needs the sagemaker.history.read permission',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows every event newest first, linking entities and users, with version and ARN', async () => {
    const backend = useBackend();
    await renderPage();
    await findTable();
    expect(shownSeqs()).toEqual([5, 4, 3, 2, 1]);
    expect(historyRequests(backend)[0].query).toEqual({ limit: '50' });
    expect(
      screen.getByText('Showing 5 events, newest first.'),
    ).toBeInTheDocument();

    const failed = within(row(5));
    // Named as Backstage names entities, with the full ref in the title.
    const entity = failed.getByRole('link', { name: 'fraud-detection' });
    expect(entity).toHaveAttribute(
      'href',
      '/catalog/default/component/fraud-detection',
    );
    expect(entity).toHaveAttribute('title', FRAUD);
    expect(failed.getByRole('link', { name: 'bob' })).toHaveAttribute(
      'href',
      '/catalog/default/user/bob',
    );
    expect(failed.getByText('Deploy')).toBeInTheDocument();
    expect(failed.getByText('Failed')).toBeInTheDocument();
    expect(failed.getByText('Version 1')).toBeInTheDocument();
    expect(
      failed.getByText(versionArn('fraud-detection', 1)),
    ).toBeInTheDocument();
    expect(failed.getByText('fraud-detection-production')).toBeInTheDocument();
    expect(
      failed.getByText(
        'ResourceLimitExceeded: The account-level service limit is 0 Instances',
      ),
    ).toBeInTheDocument();

    const outside = within(row(4));
    expect(outside.getByText(CAROL)).toBeInTheDocument();
    expect(outside.queryByRole('link', { name: CAROL })).toBeNull();
    expect(outside.getByText('outside Backstage')).toBeInTheDocument();
    expect(outside.getByRole('link', { name: 'churn-model' })).toHaveAttribute(
      'href',
      '/catalog/default/component/churn-model',
    );
    expect(
      within(row(1)).getByText('Offline metrics are good'),
    ).toBeInTheDocument();
  });

  it('says which changes an agent made for the user', async () => {
    useBackend(backend =>
      backend.record({
        entityRef: FRAUD,
        version: 1,
        versionArn: versionArn('fraud-detection', 1),
        actor: 'user:default/ana',
        source: 'agent',
      }),
    );
    await renderPage();
    await findTable();
    const byAgent = within(row(1));
    // The user is the actor; the agent is how the change came.
    expect(byAgent.getByRole('link', { name: 'ana' })).toBeInTheDocument();
    expect(byAgent.getByText('through an agent')).toBeInTheDocument();
    expect(byAgent.queryByText('outside Backstage')).toBeNull();
  });

  it('sends the chosen filters, shows the matching events and keeps the filters in the URL', async () => {
    const backend = useBackend();
    await renderPage();
    await findTable();

    await userEvent.selectOptions(screen.getByLabelText('Action'), 'deploy');
    await userEvent.type(screen.getByLabelText('Actor'), 'user:default/ana');
    fireEvent.change(screen.getByLabelText('From'), {
      target: { value: localInput('2026-06-01T12:03:00Z') },
    });
    await userEvent.click(
      screen.getByRole('button', { name: 'Apply filters' }),
    );

    await waitFor(() => expect(shownSeqs()).toEqual([3]));
    const requests = historyRequests(backend);
    expect(requests).toHaveLength(2);
    expect(requests[1].query).toEqual({
      actor: 'user:default/ana',
      action: 'deploy',
      from: '2026-06-01T12:03:00.000Z',
      limit: '50',
    });
    expect(urlFilters()).toEqual({
      actor: 'user:default/ana',
      action: 'deploy',
      from: '2026-06-01T12:03:00.000Z',
    });

    // Enter in a text field applies too.
    await userEvent.type(screen.getByLabelText('Endpoint'), 'nowhere{Enter}');
    expect(
      await screen.findByText('No events match these filters'),
    ).toBeInTheDocument();
    expect(historyRequests(backend)[2].query.endpoint).toBe('nowhere');
  });

  it('loads the filters of the URL, as after a reload', async () => {
    const backend = useBackend();
    await renderPage({
      url: `/sagemaker/history?entity=${encodeURIComponent(
        FRAUD,
      )}&outcome=succeeded&source=backstage&account=${STAGING}&to=2026-06-01T12%3A10%3A00.000Z&unrelated=1`,
    });
    await waitFor(() => expect(shownSeqs()).toEqual([3]));
    expect(historyRequests(backend)).toHaveLength(1);
    expect(historyRequests(backend)[0].query).toEqual({
      entity: FRAUD,
      outcome: 'succeeded',
      source: 'backstage',
      account: STAGING,
      to: '2026-06-01T12:10:00.000Z',
      limit: '50',
    });
    expect(screen.getByLabelText('Entity')).toHaveValue(FRAUD);
    expect(screen.getByLabelText('Outcome')).toHaveValue('succeeded');
    expect(screen.getByLabelText('Source')).toHaveValue('backstage');
    expect(screen.getByLabelText('Account')).toHaveValue(STAGING);
    expect(screen.getByLabelText('To')).toHaveValue(
      localInput('2026-06-01T12:10:00Z'),
    );
    expect(screen.getByLabelText('Action')).toHaveValue('');
  });

  it('says what is wrong with a filter before sending it', async () => {
    const backend = useBackend();
    await renderPage();
    await findTable();

    await userEvent.type(screen.getByLabelText('Account'), '1234');
    await userEvent.type(screen.getByLabelText('Entity'), 'fraud detection');
    fireEvent.change(screen.getByLabelText('From'), {
      target: { value: localInput('2026-06-02T00:00:00Z') },
    });
    fireEvent.change(screen.getByLabelText('To'), {
      target: { value: localInput('2026-06-01T00:00:00Z') },
    });
    await userEvent.click(
      screen.getByRole('button', { name: 'Apply filters' }),
    );

    expect(screen.getByLabelText('Account')).toHaveAccessibleDescription(
      'must be a 12-digit account ID',
    );
    expect(screen.getByLabelText('Entity')).toHaveAccessibleDescription(
      'must be an entity name or ref, like fraud-detection or component:default/fraud-detection',
    );
    expect(screen.getByLabelText('From')).toHaveAccessibleDescription(
      'from must be before to',
    );
    expect(screen.getByLabelText('Account')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(historyRequests(backend)).toHaveLength(1);
    expect(urlFilters()).toEqual({});
  });

  it("shows the backend's message for filters edited in the URL, and loads again on Retry", async () => {
    const backend = useBackend();
    await renderPage({ url: '/sagemaker/history?account=42' });
    expect(
      (await screen.findAllByText(/account: must be a 12-digit account ID/))[0],
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    // Retrying a bad link cannot help; the page says what to do instead.
    expect(
      screen.getByText(/This link asks for filters the history cannot use/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();

    backend.fail({
      path: /\/history$/,
      status: 500,
      message: 'The history database is unavailable',
    });
    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    expect(
      (await screen.findAllByText(/The history database is unavailable/))[0],
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(shownSeqs()).toEqual([5, 4, 3, 2, 1]));
    expect(historyRequests(backend).map(r => r.query)).toEqual([
      { account: '42', limit: '50' },
      { limit: '50' },
      { limit: '50' },
    ]);
  });

  it('explains an empty result and clears the filters', async () => {
    const backend = useBackend();
    await renderPage({
      url: '/sagemaker/history?actor=user%3Adefault%2Fnobody',
    });
    expect(
      await screen.findByText('No events match these filters'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Show all events' }),
    );
    await waitFor(() => expect(shownSeqs()).toEqual([5, 4, 3, 2, 1]));
    expect(urlFilters()).toEqual({});
    expect(screen.getByLabelText('Actor')).toHaveValue('');
    expect(historyRequests(backend)[1].query).toEqual({ limit: '50' });
  });

  it('says when nothing has been recorded at all', async () => {
    useBackend(() => undefined);
    await renderPage();
    expect(await screen.findByText('No history yet')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Show all events' }),
    ).not.toBeInTheDocument();
  });

  it('loads older events 50 at a time', async () => {
    const backend = useBackend(b => {
      for (let i = 0; i < 60; i += 1) {
        b.record({ actor: 'user:default/ana' });
      }
    });
    await renderPage({ url: '/sagemaker/history?actor=user%3Adefault%2Fana' });
    expect(
      await screen.findByText(
        'Showing 50 events, newest first; older events are available.',
      ),
    ).toBeInTheDocument();
    expect(shownSeqs()[0]).toBe(60);
    expect(shownSeqs()).toHaveLength(50);

    await userEvent.click(
      screen.getByRole('button', { name: 'Load more events' }),
    );
    expect(
      await screen.findByText('Showing 60 events, newest first.'),
    ).toBeInTheDocument();
    expect(shownSeqs()).toEqual(Array.from({ length: 60 }, (_, i) => 60 - i));
    expect(
      screen.queryByRole('button', { name: 'Load more events' }),
    ).not.toBeInTheDocument();
    expect(historyRequests(backend)[1].query).toEqual({
      actor: 'user:default/ana',
      limit: '50',
      cursor: '50',
    });
    // 110 table rows rendered in jsdom take several seconds on 2 cores.
  }, 20_000);

  describe('export', () => {
    const createObjectURL = jest.fn((_blob: Blob) => 'blob:history-export');
    const revokeObjectURL = jest.fn();
    let clicked: Array<{ href: string; download: string; attached: boolean }>;

    beforeEach(() => {
      clicked = [];
      createObjectURL.mockClear();
      Object.assign(URL, { createObjectURL, revokeObjectURL });
      jest
        .spyOn(HTMLAnchorElement.prototype, 'click')
        .mockImplementation(function record(this: HTMLAnchorElement) {
          clicked.push({
            href: this.getAttribute('href')!,
            download: this.download,
            attached: document.body.contains(this),
          });
        });
    });

    afterEach(() => {
      jest.restoreAllMocks();
    });

    it('downloads the events matching the filters in effect, as CSV and JSON', async () => {
      const backend = useBackend();
      await renderPage({
        url: `/sagemaker/history?action=deploy&account=${STAGING}`,
      });
      await waitFor(() => expect(shownSeqs()).toEqual([3, 2]));
      // Typed but not applied: not part of what is shown, nor exported.
      await userEvent.type(screen.getByLabelText('Actor'), 'user:default/bob');

      await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
      expect(
        await screen.findByText(
          'Downloaded sagemaker-history-2026-06-02T08-30-00-000Z.csv',
        ),
      ).toBeInTheDocument();
      expect(backend.requestsTo('GET', /\/history\/export$/)[0].query).toEqual({
        format: 'csv',
        action: 'deploy',
        account: STAGING,
      });
      expect(createObjectURL).toHaveBeenCalledTimes(1);
      const csv = await createObjectURL.mock.calls[0][0].text();
      expect(csv.split('\r\n').map(line => line.split(',')[0])).toEqual([
        'seq',
        '3',
        '2',
        '',
      ]);
      expect(clicked).toEqual([
        {
          href: 'blob:history-export',
          download: 'sagemaker-history-2026-06-02T08-30-00-000Z.csv',
          attached: true,
        },
      ]);
      // The temporary link is gone once clicked.
      expect(document.querySelector('a[download]')).toBeNull();

      await userEvent.click(
        screen.getByRole('button', { name: 'Export JSON' }),
      );
      expect(
        await screen.findByText(
          'Downloaded sagemaker-history-2026-06-02T08-30-00-000Z.json',
        ),
      ).toBeInTheDocument();
      expect(backend.requestsTo('GET', /\/history\/export$/)[1].query).toEqual({
        format: 'json',
        action: 'deploy',
        account: STAGING,
      });
      const json = JSON.parse(await createObjectURL.mock.calls[1][0].text());
      expect(json.map((e: { seq: number }) => e.seq)).toEqual([3, 2]);
      expect(clicked[1].download).toBe(
        'sagemaker-history-2026-06-02T08-30-00-000Z.json',
      );
    });

    it("shows the backend's message when an export fails", async () => {
      const backend = useBackend();
      backend.fail({
        path: /\/history\/export$/,
        status: 503,
        message: 'The history database is unavailable',
      });
      await renderPage();
      await findTable();
      await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
      expect(
        await screen.findByText(
          /Could not export the history: The history database is unavailable/,
        ),
      ).toBeInTheDocument();
      expect(clicked).toEqual([]);
      expect(createObjectURL).not.toHaveBeenCalled();
    });
  });

  it('verifies the chain: intact, or the first broken event and why', async () => {
    const backend = useBackend();
    await renderPage();
    await findTable();

    await userEvent.click(
      screen.getByRole('button', { name: 'Verify integrity' }),
    );
    expect(await screen.findByText('Intact, 5 events')).toBeInTheDocument();

    backend.verification = {
      intact: false,
      count: 3,
      firstBrokenSeq: 4,
      reason: 'event 4 was changed after it was recorded',
    };
    await userEvent.click(
      screen.getByRole('button', { name: 'Verify integrity' }),
    );
    expect(await screen.findByText('Broken at event #4')).toBeInTheDocument();
    expect(screen.queryByText('Intact, 5 events')).not.toBeInTheDocument();
    expect(
      screen.getByText(
        'Event 4 was changed after it was recorded. The 3 events before it are intact.',
      ),
    ).toBeInTheDocument();
    expect(backend.requestsTo('GET', /\/history\/verify$/)).toHaveLength(2);
  });

  it('says what served on an endpoint at a time, and who approved it', async () => {
    const backend = useBackend();
    await renderPage();
    await findTable();
    const form = within(
      screen.getByRole('form', { name: 'What served on an endpoint' }),
    );

    await userEvent.click(form.getByRole('button', { name: 'Look up' }));
    expect(form.getByLabelText('Account ID')).toHaveAccessibleDescription(
      'required',
    );
    expect(backend.requestsTo('GET', /endpoint-at$/)).toHaveLength(0);

    await userEvent.type(form.getByLabelText('Account ID'), STAGING);
    await userEvent.type(form.getByLabelText('Region'), 'us-east-1');
    await userEvent.type(
      form.getByLabelText('Endpoint name'),
      'fraud-detection-staging',
    );
    fireEvent.change(form.getByLabelText('Date and time'), {
      target: { value: localInput('2026-06-01T12:10:00Z') },
    });
    await userEvent.click(form.getByRole('button', { name: 'Look up' }));

    const deployed = await screen.findByText(/^Deployed by/);
    expect(deployed).toHaveTextContent(
      /^Deployed by ana on .+ to staging \(deployment dep-1\)\.$/,
    );
    expect(screen.getByText(/served version 1 of/)).toHaveTextContent(
      `fraud-detection-staging (${STAGING}, us-east-1) served version 1 of fraud-detection.`,
    );
    expect(screen.getByText(/^Approved by/)).toHaveTextContent(
      /^Approved by ana on .+: “Offline metrics are good”\.$/,
    );
    expect(backend.requestsTo('GET', /endpoint-at$/)[0].query).toEqual({
      account: STAGING,
      region: 'us-east-1',
      endpoint: 'fraud-detection-staging',
      at: '2026-06-01T12:10:00.000Z',
    });

    fireEvent.change(form.getByLabelText('Date and time'), {
      target: { value: localInput('2026-06-01T12:02:00Z') },
    });
    await userEvent.click(form.getByRole('button', { name: 'Look up' }));
    expect(
      await screen.findByText(
        /^No successful deployment to fraud-detection-staging \(222222222222, us-east-1\) is recorded at or before/,
      ),
    ).toBeInTheDocument();

    // Once the question changes, the old answer is withdrawn.
    await userEvent.clear(form.getByLabelText('Region'));
    expect(
      screen.queryByText(/^No successful deployment to/),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText('The question changed: Look up to answer it.'),
    ).toBeInTheDocument();
  });

  it('suggests the entities, users and endpoints the history names', async () => {
    const backend = useBackend();
    await renderPage();
    await findTable();

    const filters = within(
      screen.getByRole('form', { name: 'History filters' }),
    );
    await userEvent.type(filters.getByLabelText('Entity'), 'churn');
    expect(
      await screen.findByRole('option', { name: CHURN }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('option', { name: FRAUD })).toBeNull();
    await userEvent.click(screen.getByRole('option', { name: CHURN }));
    await userEvent.click(
      filters.getByRole('button', { name: 'Apply filters' }),
    );
    await waitFor(() => expect(urlFilters()).toEqual({ entity: CHURN }));

    const form = within(
      screen.getByRole('form', { name: 'What served on an endpoint' }),
    );
    await userEvent.click(form.getByLabelText('Known endpoint'));
    await userEvent.click(
      await screen.findByRole('option', {
        name: `fraud-detection-staging (${STAGING}, us-east-1)`,
      }),
    );
    expect(form.getByLabelText('Account ID')).toHaveValue(STAGING);
    expect(form.getByLabelText('Region')).toHaveValue('us-east-1');
    expect(form.getByLabelText('Endpoint name')).toHaveValue(
      'fraud-detection-staging',
    );
    expect(backend.requestsTo('GET', /\/history\/facets$/)).toHaveLength(1);
  });
});
