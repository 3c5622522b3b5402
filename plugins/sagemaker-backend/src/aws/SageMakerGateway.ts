import {
  DescribeModelPackageCommand,
  ModelPackage,
  ModelPackageSummary,
  SageMakerClient,
  paginateListModelPackages,
  paginateSearch,
} from '@aws-sdk/client-sagemaker';
import { collectPages } from './pagination';
import {
  SageMakerClientFactory,
  SdkClientClass,
} from './SageMakerClientFactory';
import { translateAwsError, translateCredentialsError } from './errors';

/**
 * Runs SageMaker calls in a given account and region, and translates every
 * failure (credentials first, then the call itself) into a typed error that
 * names the account and the action.
 */
export class SageMakerGateway {
  constructor(private readonly clients: SageMakerClientFactory) {}

  /** A call with the backend's own role (reads). */
  call<T>(
    target: { accountId: string; region: string },
    action: string,
    fn: (client: SageMakerClient) => Promise<T>,
  ): Promise<T> {
    return this.run(
      target,
      `sagemaker:${action}`,
      () => this.clients.forAccount(target.accountId, target.region),
      fn,
    );
  }

  /**
   * A call to another AWS service with the backend's own role, for the
   * readiness checks; `action` is the IAM action, e.g. `iam:GetRole`.
   */
  callService<C extends { config: { credentials: unknown } }, T>(
    clientClass: SdkClientClass<C>,
    target: { accountId: string; region: string },
    action: string,
    fn: (client: C) => Promise<T>,
  ): Promise<T> {
    return this.run(
      target,
      action,
      () =>
        this.clients.forService(clientClass, target.accountId, target.region),
      fn,
    );
  }

  /** One model version, described with the backend's own role. */
  describeModelPackage(
    target: { accountId: string; region: string },
    versionArn: string,
  ) {
    return this.call(target, 'DescribeModelPackage', client =>
      client.send(
        new DescribeModelPackageCommand({ ModelPackageName: versionArn }),
      ),
    );
  }

  /**
   * Every version of a model package group, newest first, read with the
   * backend's own role: one ListModelPackages call per 100 versions.
   */
  listAllVersions(group: {
    accountId: string;
    region: string;
    name: string;
  }): Promise<ModelPackageSummary[]> {
    return this.call(group, 'ListModelPackages', client =>
      collectPages(
        paginateListModelPackages(
          { client, pageSize: 100 },
          {
            ModelPackageGroupName: group.name,
            ModelPackageType: 'Versioned',
            SortBy: 'CreationTime',
            SortOrder: 'Descending',
          },
        ),
        page => page.ModelPackageSummaryList,
      ),
    );
  }

  /**
   * The versions of these groups (of one account and region) created or
   * modified at or after `since`, oldest change first, as whole records: one Search call
   * per 100 versions, whatever the size of the groups. SageMaker takes at
   * most 1024 characters in a filter value, so the `In` list of group names
   * is split across as many searches as that needs.
   */
  async searchVersionsModifiedSince(
    target: { accountId: string; region: string },
    groupNames: string[],
    since: Date,
  ): Promise<ModelPackage[]> {
    const found: ModelPackage[] = [];
    for (const names of chunkByLength(groupNames, 1024)) {
      const results = await this.call(target, 'Search', client =>
        collectPages(
          paginateSearch(
            { client, pageSize: 100 },
            {
              Resource: 'ModelPackage',
              SearchExpression: {
                Operator: 'And',
                Filters: [
                  {
                    Name: 'ModelPackageGroupName',
                    Operator: 'In',
                    Value: names.join(','),
                  },
                ],
                // A version created and never modified may carry no
                // LastModifiedTime: its CreationTime counts too.
                SubExpressions: [
                  {
                    Operator: 'Or',
                    Filters: ['LastModifiedTime', 'CreationTime'].map(Name => ({
                      Name,
                      Operator: 'GreaterThanOrEqualTo' as const,
                      Value: since.toISOString(),
                    })),
                  },
                ],
              },
              SortBy: 'LastModifiedTime',
              SortOrder: 'Ascending',
            },
          ),
          page => page.Results,
        ),
      );
      for (const result of results) {
        if (result.ModelPackage?.ModelPackageArn) {
          found.push(result.ModelPackage);
        }
      }
    }
    return found;
  }

  /** A call on behalf of a user (writes), attributed to them in AWS. */
  callAsUser<T>(
    target: { accountId: string; region: string },
    userEntityRef: string,
    action: string,
    fn: (client: SageMakerClient) => Promise<T>,
  ): Promise<T> {
    return this.run(
      target,
      `sagemaker:${action}`,
      () =>
        this.clients.forUser(target.accountId, target.region, userEntityRef),
      fn,
    );
  }

  private async run<C extends { config: { credentials: unknown } }, T>(
    target: { accountId: string; region: string },
    action: string,
    getClient: () => Promise<C>,
    fn: (client: C) => Promise<T>,
  ): Promise<T> {
    let client: C;
    try {
      client = await getClient();
      // Resolving credentials up front separates an STS failure (502, the
      // role could not be assumed) from a SageMaker failure. They are cached
      // by the provider until they expire, so this costs no extra call.
      await (client.config.credentials as () => Promise<unknown>)();
    } catch (error) {
      throw translateCredentialsError(error, target.accountId);
    }
    try {
      return await fn(client);
    } catch (error) {
      throw translateAwsError(error, { ...target, action });
    }
  }
}

/** Splits names into comma-joined lists of at most `max` characters each. */
function chunkByLength(names: string[], max: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const name of names) {
    if (current.length > 0 && length + 1 + name.length > max) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    length += (current.length > 0 ? 1 : 0) + name.length;
    current.push(name);
  }
  if (current.length > 0) {
    chunks.push(current);
  }
  return chunks;
}
