import { http, HttpResponse, JsonBodyType } from 'msw';
import {
  ApprovalRequest,
  ApprovalResponse,
  Deployment,
  DeploymentTargetInfo,
  DeployRequest,
  RollbackOption,
  RollbackRequest,
  EndpointAtResponse,
  EvidenceGateResult,
  EvidenceGatesResponse,
  HistoryEndpoint,
  DEFAULT_LIFECYCLE_STAGES,
  DEFAULT_LIFECYCLE_STATUSES,
  lifecycleComment,
  LifecycleRequest,
  LifecycleResponse,
  HistoryFacets,
  HistoryEvent,
  HistoryFilterQuery,
  HistoryVerification,
  ModelEndpoint,
  ModelPackageGroupSummary,
  ModelVersionDetails,
  ReadinessCheck,
  ReadinessReport,
  worstReadinessStatus,
  describeZodError,
  endpointAtQuerySchema,
  historyFilterSchema,
  historyPageQuerySchema,
  HISTORY_CSV_HEADER,
  historyCsvRow,
} from '@internal/backstage-plugin-sagemaker-common';
import {
  REGISTRY_ACCOUNT,
  groupArn,
  productionTarget,
  stagingTarget,
  summaryOf,
} from './fixtures';

export const BASE_URL = 'http://backend.test/api/sagemaker';

/** A request the fake backend received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: unknown;
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  name: string;
  message: string;
  remaining: number;
}

/** How a deployment goes, one state per poll after the 202 answer. */
export type DeploymentScript = Array<Partial<Deployment>>;

export const SUCCEEDING_DEPLOYMENT: DeploymentScript = [
  { phase: 'endpoint-config', modelName: 'model-1' },
  { phase: 'endpoint', endpointConfigName: 'config-1' },
  { phase: 'waiting', endpointStatus: 'Creating' },
  { phase: 'done', status: 'succeeded', endpointStatus: 'InService' },
];

export const FAILING_DEPLOYMENT: DeploymentScript = [
  { phase: 'endpoint-config', modelName: 'model-1' },
  { phase: 'waiting', endpointStatus: 'Creating' },
  {
    phase: 'done',
    status: 'failed',
    endpointStatus: 'Failed',
    error: {
      code: 'ResourceLimitExceeded',
      message:
        "The account-level service limit 'ml.m5.large for endpoint usage' is 0 Instances",
      requestId: '5f1c2a9e-0b7d-4c1e-9a55-3c2f9d1e8b11',
    },
  },
];

function errorJson(status: number, name: string, message: string) {
  return HttpResponse.json(
    { error: { name, message }, response: { statusCode: status } },
    { status },
  );
}

/**
 * An in-memory stand-in for the sagemaker backend's REST API, as msw
 * handlers: it keeps versions, approvals, deployments and history, and
 * records every request so tests can assert what was sent.
 */
export class FakeSageMakerBackend {
  readonly requests: RecordedRequest[] = [];
  targets: DeploymentTargetInfo[] = [stagingTarget, productionTarget];
  endpoints: ModelEndpoint[] = [];
  /** Targets whose discovery of outside-made endpoints was cut short. */
  discoveryTruncated: string[] = [];
  history: HistoryEvent[] = [];
  deployments: Deployment[] = [];
  /** What `GET …/deployments` offers to roll back, and `POST …/rollbacks` takes. */
  rollbacks: RollbackOption[] = [];
  deploymentScript: DeploymentScript = SUCCEEDING_DEPLOYMENT;
  /** Readiness checks per target name; a target without any passes them all. */
  readiness: Record<string, ReadinessCheck[]> = {};
  /** Evidence gate results per target name; a target without any has no gates. */
  gates: Record<string, EvidenceGateResult[]> = {};
  /** What `GET /readiness` answers. */
  orgReadiness: ReadinessReport = {
    generatedAt: '2026-06-02T08:30:00.000Z',
    accounts: [],
    pairs: [],
    awsCalls: { total: 0, byAction: {} },
  };
  /** What `GET /history/verify` answers; by default an intact chain. */
  verification?: HistoryVerification;
  /** The time in the export's file name. */
  exportStamp = '2026-06-02T08-30-00-000Z';
  private readonly groups = new Map<
    string,
    { name: string; versions: ModelVersionDetails[] }
  >();
  private readonly scripts = new Map<string, DeploymentScript>();
  private failures: Failure[] = [];

  constructor(groups: Record<string, ModelVersionDetails[]>) {
    for (const [name, versions] of Object.entries(groups)) {
      this.groups.set(groupArn(name), { name, versions });
    }
  }

  /** Answers the next `times` matching requests with a Backstage error. */
  fail(options: {
    method?: string;
    path: RegExp;
    status: number;
    name?: string;
    message: string;
    times?: number;
  }) {
    this.failures.push({
      method: options.method ?? 'GET',
      path: options.path,
      status: options.status,
      name: options.name ?? 'Error',
      message: options.message,
      remaining: options.times ?? 1,
    });
  }

  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter(r => r.method === method && path.test(r.path));
  }

  version(groupName: string, version: number): ModelVersionDetails {
    const found = this.groups
      .get(groupArn(groupName))
      ?.versions.find(v => v.version === version);
    if (!found) {
      throw new Error(`No version ${version} of ${groupName}`);
    }
    return found;
  }

  handlers() {
    const route = (path: string) => `${BASE_URL}${path}`;
    const entity = '/entities/:kind/:namespace/:name';
    return [
      http.all(route('/*'), async ({ request }) => {
        const url = new URL(request.url);
        const text =
          request.method === 'POST' ? await request.clone().text() : '';
        this.requests.push({
          method: request.method,
          path: url.pathname.replace('/api/sagemaker', ''),
          query: Object.fromEntries(url.searchParams),
          headers: Object.fromEntries(request.headers),
          body: text ? JSON.parse(text) : undefined,
        });
        const failure = this.failures.find(
          f =>
            f.remaining > 0 &&
            f.method === request.method &&
            f.path.test(url.pathname),
        );
        if (failure) {
          failure.remaining -= 1;
          return errorJson(failure.status, failure.name, failure.message);
        }
        return undefined;
      }),
      http.get(route('/targets'), () =>
        HttpResponse.json({ targets: this.targets }),
      ),
      http.get(route(`${entity}/groups`), ({ params }) =>
        HttpResponse.json({
          entityRef: this.entityRef(params),
          groups: [...this.groups.entries()].map(([arn, group]) =>
            this.summarise(arn, group.name, group.versions),
          ),
        }),
      ),
      http.get(route(`${entity}/versions`), ({ request, params }) => {
        const query = new URL(request.url).searchParams;
        const only = query.get('group');
        const arns = only ? [only] : [...this.groups.keys()];
        return HttpResponse.json({
          entityRef: this.entityRef(params),
          groups: arns.map(arn => this.page(arn, query)),
        });
      }),
      http.get(route(`${entity}/versions/:version`), ({ request, params }) => {
        const { version: found } = this.findVersion(
          new URL(request.url).searchParams.get('group') ?? undefined,
          Number(params.version),
        );
        return found
          ? HttpResponse.json(found)
          : errorJson(
              404,
              'NotFoundError',
              `Version ${params.version} not found`,
            );
      }),
      http.get(route(`${entity}/readiness`), ({ request, params }) => {
        const url = new URL(request.url);
        const targets = this.targets.filter(
          t =>
            !url.searchParams.get('target') ||
            t.name === url.searchParams.get('target'),
        );
        const report: ReadinessReport = {
          entityRef: `component:default/${params.name}`,
          generatedAt: new Date().toISOString(),
          accounts: [],
          pairs: targets.map(t => {
            const checks = this.readiness[t.name] ?? [];
            return {
              groupArn: url.searchParams.get('group') ?? '',
              target: t.name,
              targetTitle: t.title,
              status: worstReadinessStatus(checks.map(c => c.status)),
              checks,
            };
          }),
          awsCalls: { total: 0, byAction: {} },
        };
        return HttpResponse.json(report);
      }),
      http.get(route(`${entity}/endpoints`), ({ params }) =>
        HttpResponse.json({
          entityRef: this.entityRef(params),
          endpoints: this.endpoints,
          discoveryTruncated: this.discoveryTruncated,
        }),
      ),
      http.post(
        route(`${entity}/versions/:version/approval`),
        async ({ params, request }) =>
          this.approve(
            params,
            Number(params.version),
            (await request.json()) as ApprovalRequest,
          ),
      ),
      http.get(route('/lifecycle-stages'), () =>
        HttpResponse.json({
          stages: [...DEFAULT_LIFECYCLE_STAGES],
          statuses: [...DEFAULT_LIFECYCLE_STATUSES],
        }),
      ),
      http.post(
        route(`${entity}/versions/:version/lifecycle`),
        async ({ params, request }) =>
          this.setLifecycle(
            params,
            Number(params.version),
            (await request.json()) as LifecycleRequest,
          ),
      ),
      http.get(route(`${entity}/gates`), ({ request }) => {
        const url = new URL(request.url);
        const target = url.searchParams.get('target') ?? '';
        const gates = this.gates[target] ?? [];
        const response: EvidenceGatesResponse = {
          target,
          groupArn: url.searchParams.get('group') ?? '',
          version: Number(url.searchParams.get('version')),
          passed: gates.every(gate => gate.passed),
          gates,
        };
        return HttpResponse.json(response as unknown as JsonBodyType);
      }),
      http.post(route(`${entity}/deployments`), async ({ params, request }) =>
        this.deploy(params, (await request.json()) as DeployRequest),
      ),
      http.get(route('/deployments/:id'), ({ params }) =>
        this.advance(String(params.id)),
      ),
      http.get(route(`${entity}/deployments`), () =>
        HttpResponse.json({
          deployments: [...this.deployments].reverse(),
          rollbacks: this.rollbacks,
        }),
      ),
      http.post(route(`${entity}/rollbacks`), async ({ params, request }) => {
        const body = (await request.json()) as RollbackRequest;
        const option = this.rollbacks.find(
          o => o.target === body.target && o.endpointName === body.endpointName,
        );
        if (!option) {
          return errorJson(404, 'NotFoundError', 'Nothing to roll back to');
        }
        return this.deploy(params, {
          group: option.groupArn,
          version: option.version,
          target: option.target,
          endpointName: option.endpointName,
          instanceType: 'ml.m5.large',
          instanceCount: 1,
        });
      }),
      http.get(route('/history'), ({ request }) => {
        const parsed = historyPageQuerySchema.safeParse(queryOf(request));
        if (!parsed.success) {
          return errorJson(400, 'InputError', describeZodError(parsed.error));
        }
        const { limit, cursor, ...filter } = parsed.data;
        const events = this.matching(filter);
        const offset = Number(cursor ?? 0);
        const next = offset + limit;
        return HttpResponse.json({
          events: events.slice(offset, next),
          nextCursor: next < events.length ? String(next) : undefined,
        });
      }),
      http.get(route('/history/export'), ({ request }) => {
        const parsed = historyFilterSchema.safeParse(queryOf(request));
        if (!parsed.success) {
          return errorJson(400, 'InputError', describeZodError(parsed.error));
        }
        const { format, ...filter } = parsed.data;
        const events = this.matching(filter);
        const body =
          format === 'csv'
            ? HISTORY_CSV_HEADER + events.map(historyCsvRow).join('')
            : JSON.stringify(events);
        return new HttpResponse(body, {
          headers: {
            'Content-Type':
              format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
            'Content-Disposition': `attachment; filename="sagemaker-history-${this.exportStamp}.${format}"`,
          },
        });
      }),
      http.get(route('/readiness'), () => HttpResponse.json(this.orgReadiness)),
      http.get(route('/policies'), () =>
        HttpResponse.json({ policies: [], cloudFormation: [] }),
      ),
      http.get(route('/history/facets'), () =>
        HttpResponse.json(this.facets()),
      ),
      http.get(route('/history/verify'), () =>
        HttpResponse.json(
          this.verification ?? { intact: true, count: this.history.length },
        ),
      ),
      http.get(route('/history/endpoint-at'), ({ request }) => {
        const parsed = endpointAtQuerySchema.safeParse(queryOf(request));
        if (!parsed.success) {
          return errorJson(400, 'InputError', describeZodError(parsed.error));
        }
        return HttpResponse.json(
          this.endpointAt(parsed.data) as unknown as JsonBodyType,
        );
      }),
      http.get(route(`${entity}/history`), ({ request }) => {
        const query = new URL(request.url).searchParams;
        const limit = Number(query.get('limit') ?? 25);
        const offset = Number(query.get('cursor') ?? 0);
        const events = [...this.history].reverse();
        const next = offset + limit;
        return HttpResponse.json({
          events: events.slice(offset, next),
          nextCursor: next < events.length ? String(next) : undefined,
        });
      }),
    ];
  }

  /** What the real store answers, from the fake's own history. */
  private facets(): HistoryFacets {
    const distinct = (values: Array<string | undefined>) =>
      [...new Set(values.filter((v): v is string => Boolean(v)))].sort();
    const endpoints = new Map<string, HistoryEndpoint>();
    for (const event of this.history) {
      if (event.endpointName && event.accountId && event.region) {
        endpoints.set(
          `${event.endpointName}/${event.accountId}/${event.region}`,
          {
            accountId: event.accountId,
            region: event.region,
            endpointName: event.endpointName,
          },
        );
      }
    }
    return {
      entities: distinct(this.history.map(e => e.entityRef)),
      actors: distinct(this.history.map(e => e.actor)),
      targets: distinct(this.history.map(e => e.target)),
      endpoints: [...endpoints.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([, endpoint]) => endpoint),
    };
  }

  private entityRef(params: Record<string, unknown>): string {
    return `${String(params.kind).toLocaleLowerCase('en-US')}:${
      params.namespace
    }/${params.name}`;
  }

  private summarise(
    arn: string,
    name: string,
    versions: ModelVersionDetails[],
  ): ModelPackageGroupSummary {
    const latest = versions[versions.length - 1];
    const count = (status: string) =>
      versions.filter(v => v.approvalStatus === status).length;
    return {
      groupArn: arn,
      groupName: name,
      accountId: REGISTRY_ACCOUNT,
      region: 'us-east-1',
      description: `Versions of ${name}`,
      latestVersion: latest && {
        version: latest.version,
        approvalStatus: latest.approvalStatus,
        createdAt: latest.createdAt,
      },
      counts: {
        Approved: count('Approved'),
        Rejected: count('Rejected'),
        PendingManualApproval: count('PendingManualApproval'),
      },
      total: versions.length,
    };
  }

  private page(arn: string, query: URLSearchParams) {
    const group = this.groups.get(arn)!;
    const status = query.get('status');
    const sort = query.get('sort') ?? 'createdAt';
    const order = query.get('order') ?? 'desc';
    const limit = Number(query.get('limit') ?? 50);
    const offset = Number(query.get('cursor') ?? 0);
    const key = (v: ModelVersionDetails) =>
      sort === 'name' ? v.version : Date.parse(v.createdAt);
    const sorted = group.versions
      .filter(v => !status || v.approvalStatus === status)
      .sort((a, b) => (order === 'asc' ? 1 : -1) * (key(a) - key(b)));
    const next = offset + limit;
    return {
      groupArn: arn,
      groupName: group.name,
      accountId: REGISTRY_ACCOUNT,
      region: 'us-east-1',
      versions: sorted.slice(offset, next).map(summaryOf),
      nextCursor: next < sorted.length ? String(next) : undefined,
    };
  }

  /** Events matching the org-wide history's filters, newest first. */
  private matching(filter: HistoryFilterQuery): HistoryEvent[] {
    const from = filter.from ? Date.parse(filter.from) : -Infinity;
    const to = filter.to ? Date.parse(filter.to) : Infinity;
    const equal = (value: unknown, wanted: unknown) =>
      wanted === undefined || value === wanted;
    return [...this.history]
      .reverse()
      .filter(
        e =>
          equal(e.entityRef, filter.entity?.toLocaleLowerCase('en-US')) &&
          equal(e.actor, filter.actor) &&
          equal(e.action, filter.action) &&
          equal(e.outcome, filter.outcome) &&
          equal(e.source, filter.source) &&
          equal(e.target, filter.target) &&
          equal(e.accountId, filter.account) &&
          equal(e.endpointName, filter.endpoint) &&
          Date.parse(e.at) >= from &&
          Date.parse(e.at) < to,
      );
  }

  private endpointAt(query: {
    account: string;
    region: string;
    endpoint: string;
    at: string;
  }): EndpointAtResponse {
    const at = Date.parse(query.at);
    const before = [...this.history]
      .reverse()
      .filter(e => Date.parse(e.at) <= at);
    const deployment = before.find(
      e =>
        e.action === 'deploy' &&
        e.outcome === 'succeeded' &&
        e.accountId === query.account &&
        e.region === query.region &&
        e.endpointName === query.endpoint,
    );
    const approval = deployment?.versionArn
      ? before.find(
          e =>
            e.action === 'approve' &&
            e.outcome === 'succeeded' &&
            e.versionArn === deployment.versionArn,
        )
      : undefined;
    return {
      accountId: query.account,
      region: query.region,
      endpointName: query.endpoint,
      at: new Date(at).toISOString(),
      deployment,
      approval,
    };
  }

  /**
   * Appends an event to the history, one minute after the previous one
   * (from 2026-06-01 12:01 UTC) unless `at` is given.
   */
  record(event: Partial<HistoryEvent>): HistoryEvent {
    const seq = this.history.length + 1;
    const full: HistoryEvent = {
      seq,
      at: new Date(Date.UTC(2026, 5, 1, 12, seq)).toISOString(),
      actor: 'user:default/guest',
      action: 'approve',
      outcome: 'succeeded',
      source: 'backstage',
      entityRef: 'component:default/fraud-detection',
      prevHash: `hash-${seq - 1}`,
      hash: `hash-${seq}`,
      ...event,
    };
    this.history.push(full);
    return full;
  }

  /** A version of the named group, or of the first group when none is named. */
  private findVersion(group: string | undefined, versionNumber: number) {
    const arn = group ?? [...this.groups.keys()][0];
    const version = this.groups
      .get(arn)
      ?.versions.find(v => v.version === versionNumber);
    return { arn, version };
  }

  private approve(
    params: Record<string, unknown>,
    versionNumber: number,
    body: ApprovalRequest,
  ) {
    const { arn, version } = this.findVersion(body.group, versionNumber);
    if (!version) {
      return errorJson(
        404,
        'NotFoundError',
        `Version ${versionNumber} not found`,
      );
    }
    if (body.status === 'Rejected' && !body.comment) {
      return errorJson(
        400,
        'InputError',
        'comment: a comment is required to reject a version',
      );
    }
    if (version.approvalStatus === body.status) {
      return errorJson(
        409,
        'ConflictError',
        `Version ${versionNumber} is already ${version.approvalStatus}`,
      );
    }
    version.approvalStatus = body.status;
    version.approvalDescription = body.comment;
    version.lastModifiedBy = 'backstage:user:default/guest';
    const event = this.record({
      action: body.status === 'Approved' ? 'approve' : 'reject',
      entityRef: this.entityRef(params),
      groupArn: arn,
      versionArn: version.arn,
      version: versionNumber,
      comment: body.comment,
    });
    const response: ApprovalResponse = { version, event };
    return HttpResponse.json(response as unknown as JsonBodyType);
  }

  private setLifecycle(
    params: Record<string, unknown>,
    versionNumber: number,
    body: LifecycleRequest,
  ) {
    const { arn, version } = this.findVersion(body.group, versionNumber);
    if (!version) {
      return errorJson(
        404,
        'NotFoundError',
        `Version ${versionNumber} not found`,
      );
    }
    version.modelLifeCycle = {
      stage: body.stage,
      stageStatus: body.stageStatus,
      stageDescription: body.stageDescription,
    };
    const event = this.record({
      action: 'lifecycle',
      entityRef: this.entityRef(params),
      groupArn: arn,
      versionArn: version.arn,
      version: versionNumber,
      comment: lifecycleComment(body),
    });
    const response: LifecycleResponse = { version, event };
    return HttpResponse.json(response as unknown as JsonBodyType);
  }

  private deploy(params: Record<string, unknown>, body: DeployRequest) {
    const { arn, version } = this.findVersion(body.group, body.version);
    const target = this.targets.find(t => t.name === body.target);
    if (!version || !target) {
      return errorJson(404, 'NotFoundError', 'Unknown version or target');
    }
    if (version.approvalStatus !== 'Approved') {
      return errorJson(
        409,
        'ConflictError',
        `Version ${body.version} is ${version.approvalStatus}; only Approved versions can be deployed`,
      );
    }
    const now = new Date(Date.UTC(2026, 5, 1, 13)).toISOString();
    const deployment: Deployment = {
      id: `dep-${this.deployments.length + 1}`,
      entityRef: this.entityRef(params),
      groupArn: arn,
      versionArn: version.arn,
      version: version.version,
      target: target.name,
      accountId: target.accountId,
      region: target.region,
      endpointName: body.endpointName,
      instanceType: body.instanceType ?? 'serverless',
      instanceCount: body.instanceCount ?? 0,
      mode: this.endpoints.some(
        e => e.target === target.name && e.endpointName === body.endpointName,
      )
        ? 'update'
        : 'create',
      status: 'in-progress',
      phase: 'model',
      requestedBy: 'user:default/guest',
      createdAt: now,
      updatedAt: now,
    };
    this.deployments.push(deployment);
    this.scripts.set(deployment.id, [...this.deploymentScript]);
    this.record({
      action: 'deploy',
      outcome: 'requested',
      entityRef: deployment.entityRef,
      version: version.version,
      versionArn: version.arn,
      target: target.name,
      endpointName: body.endpointName,
      deploymentId: deployment.id,
    });
    return HttpResponse.json(deployment as unknown as JsonBodyType, {
      status: 202,
    });
  }

  private advance(id: string) {
    const index = this.deployments.findIndex(d => d.id === id);
    if (index === -1) {
      return errorJson(404, 'NotFoundError', `Deployment ${id} not found`);
    }
    const step = this.scripts.get(id)?.shift();
    if (step) {
      const next = { ...this.deployments[index], ...step };
      this.deployments[index] = next;
      if (next.status === 'succeeded') {
        const version = [...this.groups.values()]
          .flatMap(g => g.versions)
          .find(v => v.arn === next.versionArn)!;
        const target = this.targets.find(t => t.name === next.target)!;
        this.endpoints.push({
          target: target.name,
          accountId: target.accountId,
          region: target.region,
          endpointName: next.endpointName,
          endpointArn: `arn:aws:sagemaker:${target.region}:${target.accountId}:endpoint/${next.endpointName}`,
          status: 'InService',
          variants: [
            {
              variantName: 'AllTraffic',
              modelName: next.modelName ?? 'model',
              instanceType: next.instanceType,
              instanceCount: next.instanceCount,
              versionArn: version.arn,
              groupName: version.groupName,
              version: version.version,
            },
          ],
        });
      }
    }
    return HttpResponse.json(
      this.deployments[index] as unknown as JsonBodyType,
    );
  }
}

function queryOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}
