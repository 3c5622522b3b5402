import { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EndpointAtResponse,
  HistoryEvent,
  HistoryFilterQuery,
  HistoryPage,
  HistoryFacets,
  HistoryVerification,
  HISTORY_CSV_HEADER,
  historyCsvRow,
  sageMakerHistoryReadPermission,
} from '@internal/backstage-plugin-sagemaker-common';
import { Writable } from 'node:stream';
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

/** Writes a chunk, waiting when the receiver is slower than the database. */
async function write(out: Writable, chunk: string) {
  if (!out.write(chunk)) {
    await new Promise<void>((resolve, reject) => {
      out.once('drain', resolve);
      out.once('close', resolve);
      out.once('error', reject);
    });
  }
}

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

  /** Checks access before the response starts; then streams. */
  async prepareExport(options: ActionOptions): Promise<void> {
    await this.authorize(options);
  }

  /**
   * Streams every matching event, newest first, a page at a time: memory
   * stays flat however long the history is.
   */
  async export(
    query: HistoryFilterQuery,
    format: 'csv' | 'json',
    out: Writable,
  ): Promise<number> {
    const filter = toFilter(query);
    let count = 0;
    let beforeSeq: number | undefined;
    await write(out, format === 'csv' ? HISTORY_CSV_HEADER : '[');
    for (;;) {
      const events: HistoryEvent[] = await this.store.queryEvents(filter, {
        limit: EXPORT_PAGE,
        beforeSeq,
      });
      for (const event of events) {
        await write(
          out,
          format === 'csv'
            ? historyCsvRow(event)
            : `${count === 0 ? '' : ','}\n${JSON.stringify(event)}`,
        );
        count += 1;
      }
      if (events.length < EXPORT_PAGE || out.destroyed) {
        break;
      }
      beforeSeq = events[events.length - 1].seq;
    }
    if (format === 'json') {
      await write(out, count === 0 ? ']' : '\n]');
    }
    return count;
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
