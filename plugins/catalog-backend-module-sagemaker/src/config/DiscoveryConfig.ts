import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * One account to discover in, and its regions.
 *
 * @public
 */
export interface DiscoveryAccount {
  accountId: string;
  regions: string[];
}

/**
 * `catalog.providers.sagemaker`, validated.
 *
 * @public
 */
export interface DiscoveryConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
  accounts: DiscoveryAccount[];
  /** The group tag whose value is the owner's entity ref. */
  ownerTag: string;
  /** The owner of a group without that tag, as a full entity ref. */
  defaultOwner: string;
  /** Group name patterns (`*`, `?`); none means every group. */
  include: RegExp[];
  /** Group name patterns (`*`, `?`) left out, even when included. */
  exclude: RegExp[];
  /** Whether groups shared with the accounts through AWS RAM are discovered. */
  crossAccount: boolean;
  /** Whether the endpoints serving the groups' versions are discovered. */
  endpoints: boolean;
}

/** The values of the optional settings; config.d.ts documents the same. */
const DEFAULTS = {
  schedule: {
    frequency: { minutes: 30 },
    timeout: { minutes: 3 },
    initialDelay: { seconds: 15 },
  },
  ownerTag: 'owner',
  crossAccount: true,
  endpoints: true,
} as const;

const KEY = 'catalog.providers.sagemaker';
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const PATTERN = /^[A-Za-z0-9*?-]{1,63}$/;

function fail(key: string, message: string): never {
  throw new Error(`Invalid configuration at '${key}': ${message}`);
}

/** A group-name glob (`*` any run of characters, `?` one) as an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  // PATTERN admits no other RegExp metacharacter.
  const body = glob.replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

function readPatterns(config: Config, key: 'include' | 'exclude'): RegExp[] {
  const patterns = config.getOptionalStringArray(key) ?? [];
  return patterns.map((pattern, i) => {
    if (!PATTERN.test(pattern)) {
      fail(
        `${KEY}.${key}[${i}]`,
        `'${pattern}' is not a group name pattern (letters, digits, '-', and the wildcards '*' and '?')`,
      );
    }
    return globToRegExp(pattern);
  });
}

function readOwner(config: Config): string {
  const raw = config.getString('defaultOwner');
  try {
    return stringifyEntityRef(
      parseEntityRef(raw, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch (error) {
    return fail(
      `${KEY}.defaultOwner`,
      `'${raw}' is not an entity ref (${(error as Error).message})`,
    );
  }
}

/**
 * Reads and validates `catalog.providers.sagemaker`, or returns `undefined`
 * when it is absent (the module then adds no provider). Every account must be
 * listed under `aws.accounts`, the one place credentials are configured.
 * Throws at startup with a message that names the offending key.
 *
 * @public
 */
export function readDiscoveryConfig(
  root: Config,
  awsAccountIds: Set<string>,
): DiscoveryConfig | undefined {
  const config = root.getOptionalConfig(KEY);
  if (!config) {
    return undefined;
  }
  const accountConfigs = config.getOptionalConfigArray('accounts') ?? [];
  if (accountConfigs.length === 0) {
    fail(`${KEY}.accounts`, 'list at least one account to discover in');
  }
  const seen = new Set<string>();
  const accounts = accountConfigs.map((account, i) => {
    const key = `${KEY}.accounts[${i}]`;
    const accountId = account.getString('accountId');
    if (!ACCOUNT_ID.test(accountId)) {
      fail(
        `${key}.accountId`,
        `'${accountId}' is not a 12-digit AWS account ID`,
      );
    }
    if (seen.has(accountId)) {
      fail(`${key}.accountId`, `duplicate account ${accountId}`);
    }
    seen.add(accountId);
    if (!awsAccountIds.has(accountId)) {
      fail(
        `${key}.accountId`,
        `account ${accountId} is not listed under aws.accounts, so there are no credentials for it`,
      );
    }
    const regions = account.getStringArray('regions');
    if (regions.length === 0) {
      fail(`${key}.regions`, 'list at least one region');
    }
    regions.forEach((region, j) => {
      if (!REGION.test(region)) {
        fail(`${key}.regions[${j}]`, `'${region}' is not an AWS region`);
      }
    });
    return { accountId, regions: [...new Set(regions)] };
  });

  const ownerTag = config.getOptionalString('ownerTag') ?? DEFAULTS.ownerTag;
  if (!ownerTag.trim()) {
    fail(`${KEY}.ownerTag`, 'must not be empty');
  }

  let schedule: SchedulerServiceTaskScheduleDefinition = DEFAULTS.schedule;
  if (config.has('schedule')) {
    try {
      schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig('schedule'),
      );
    } catch (error) {
      fail(`${KEY}.schedule`, (error as Error).message);
    }
  }

  return {
    schedule,
    accounts,
    ownerTag,
    defaultOwner: readOwner(config),
    include: readPatterns(config, 'include'),
    exclude: readPatterns(config, 'exclude'),
    crossAccount:
      config.getOptionalBoolean('crossAccount') ?? DEFAULTS.crossAccount,
    endpoints: config.getOptionalBoolean('endpoints') ?? DEFAULTS.endpoints,
  };
}
