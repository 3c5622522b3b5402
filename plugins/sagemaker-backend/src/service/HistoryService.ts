import { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EndpointAtResponse,
  HistoryExportFormat,
  HistoryFilterQuery,
  HistoryPage,
  HistoryFacets,
  HistoryRecord,
  HistoryVerification,
  HISTORY_CSV_HEADER,
  historyCsvRow,
  sageMakerHistoryReadPermission,
} from '@internal/backstage-plugin-sagemaker-common';
import { Readable } from 'node:stream';
import { HistoryFilter, SageMakerStore } from '../database/SageMakerStore';
import { ActionOptions } from './actionTypes';
import { historyPage } from './historyCursor';

/** Rows read from the database per step of a streamed export. */
const EXPORT_PAGE = 1000;
/** Enough values for a picker; a history naming more is searched by text. */
const FACET_LIMIT = 500;

/**
 * A name without kind or namespace ("fraud-detection", "guest") matches any
 * ref that ends with it, as people type them; a full ref matches exactly.
 */
function refOrName(value: string | undefined, lowerCase: boolean) {
  if (value === undefined) {
    return {};
  }
  const text = lowerCase ? value.toLocaleLowerCase('en-US') : value;
  if (
    /^[a-z][a-z0-9-]*:[a-z0-9-]+\/./i.test(text) ||
    !/^[\w.\/-]+$/.test(text)
  ) {
    return { exact: text };
  }
  return { suffix: `${text.includes('/') ? ':' : '/'}${text}` };
}

function toFilter(query: HistoryFilterQuery): HistoryFilter {
  const entity = refOrName(query.entity, true);
  const actor = refOrName(query.actor, false);
  return {
    entityRef: entity.exact,
    entityRefSuffix: entity.suffix,
    actor: actor.exact,
    actorSuffix: actor.suffix,
    action: query.action,
    outcome: query.outcome,
    source: query.source,
    target: query.target,
    accountId: query.account,
    endpointName: query.endpoint,
    from: query.from ? new Date(query.from).toISOString() : undefined,
    to: query.to ? new Date(query.to).toISOString() : undefined,
  };
}

/**
 * How each export format frames the records. Every format carries whole
 * records (hash version, key id, dedupe key, previous hash), so an export
 * can be re-verified offline with `yarn sagemaker:verify-export`.
 */
const EXPORT_FORMATS: Record<
  HistoryExportFormat,
  {
    contentType: string;
    head: string;
    row: (record: HistoryRecord, index: number) => string;
    tail: (count: number) => string;
  }
> = {
  csv: {
    contentType: 'text/csv; charset=utf-8',
    head: HISTORY_CSV_HEADER,
    row: record => historyCsvRow(record),
    tail: () => '',
  },
  json: {
    contentType: 'application/json; charset=utf-8',
    head: '[',
    row: (record, index) =>
      `${index === 0 ? '' : ','}\n${JSON.stringify(record)}`,
    tail: count => (count === 0 ? ']' : '\n]'),
  },
  ndjson: {
    contentType: 'application/x-ndjson; charset=utf-8',
    head: '',
    row: record => `${JSON.stringify(record)}\n`,
    tail: () => '',
  },
};

/**
 * The organisation-wide history for auditors, guarded by
 * `sagemaker.history.read`: query, streamed export, chain verification and
 * "what served on this endpoint then".
 */
export class HistoryService {
  constructor(
    private readonly store: SageMakerStore,
    private readonly permissions: PermissionsService,
  ) {}

  async query(
    query: HistoryFilterQuery & { limit: number; cursor?: string },
    options: ActionOptions,
  ): Promise<HistoryPage> {
    await this.authorize(options);
    return historyPage(query, page =>
      this.store.queryEvents(toFilter(query), page),
    );
  }

  /**
   * Every matching event, newest first, as a stream read from the database
   * a page at a time: memory stays flat however long the history is, and a
   * consumer that stops reading stops the queries. Access is checked before
   * anything is read.
   */
  async export(
    query: HistoryFilterQuery,
    format: HistoryExportFormat,
    options: ActionOptions,
  ): Promise<{ contentType: string; body: Readable }> {
    await this.authorize(options);
    const filter = toFilter(query);
    const { contentType, head, row, tail } = EXPORT_FORMATS[format];
    const store = this.store;
    async function* chunks() {
      let count = 0;
      let beforeSeq: number | undefined;
      yield head;
      for (;;) {
        const records = await store.queryEvents(filter, {
          limit: EXPORT_PAGE,
          beforeSeq,
        });
        let page = '';
        for (const record of records) {
          page += row(record, count);
          count += 1;
        }
        yield page;
        if (records.length < EXPORT_PAGE) {
          break;
        }
        beforeSeq = records[records.length - 1].seq;
      }
      yield tail(count);
    }
    return {
      contentType,
      body: Readable.from(chunks(), { objectMode: false }),
    };
  }

  /** The values the history holds, for the history page's pickers. */
  async facets(options: ActionOptions): Promise<HistoryFacets> {
    await this.authorize(options);
    return this.store.historyFacets(FACET_LIMIT);
  }

  async verify(options: ActionOptions): Promise<HistoryVerification> {
    await this.authorize(options);
    return this.store.verifyChain();
  }

  async endpointAt(
    query: { account: string; region: string; endpoint: string; at: string },
    options: ActionOptions,
  ): Promise<EndpointAtResponse> {
    await this.authorize(options);
    const at = new Date(query.at);
    const to = new Date(at.getTime() + 1).toISOString();
    const [deployment] = await this.store.queryEvents(
      {
        action: 'deploy',
        outcome: 'succeeded',
        accountId: query.account,
        region: query.region,
        endpointName: query.endpoint,
        to,
      },
      { limit: 1 },
    );
    const approval = deployment?.versionArn
      ? (
          await this.store.queryEvents(
            {
              action: 'approve',
              outcome: 'succeeded',
              versionArn: deployment.versionArn,
              to,
            },
            { limit: 1 },
          )
        )[0]
      : undefined;
    return {
      accountId: query.account,
      region: query.region,
      endpointName: query.endpoint,
      at: at.toISOString(),
      deployment,
      approval,
    };
  }

  private async authorize(options: ActionOptions) {
    const [decision] = await this.permissions.authorize(
      [{ permission: sageMakerHistoryReadPermission }],
      { credentials: options.credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Reading the organisation-wide history needs the ${sageMakerHistoryReadPermission.name} permission`,
      );
    }
  }
}
