import {
  SageMakerClient,
  SageMakerClientConfig,
} from '@aws-sdk/client-sagemaker';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { AccountRole } from '../config/SageMakerConfig';
import { sessionNameFor } from './sessionName';

/** A function that resolves AWS credentials, as the SDK takes it. */
type AwsCredentialIdentityProvider = Extract<
  SageMakerClientConfig['credentials'],
  (...args: any[]) => unknown
>;

/** What every SDK v3 client constructor accepts, as far as we set it. */
interface SdkClientSettings {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  customUserAgent: string;
  maxAttempts: number;
  retryMode: string;
  requestHandler: NodeHttpHandler;
}

/**
 * An AWS SDK v3 client class (IAMClient, S3Client, KMSClient…), for the
 * readiness checks that read policies outside SageMaker.
 *
 * @public
 */
export type SdkClientClass<C> = new (settings: SdkClientSettings) => C;

/** Identifies this plugin in CloudTrail's userAgent field. */
export const USER_AGENT = 'backstage-plugin-sagemaker';

/** Per-user clients kept at most; the oldest is dropped first. */
const MAX_USER_CLIENTS = 500;

/**
 * The only place AWS SDK clients are built: one per (account, region),
 * with credentials from the Backstage AWS credentials manager, and for writes
 * one per (account, region, user) with a session named after the user.
 * Endpoints come from the SDK's own resolution, so AWS_ENDPOINT_URL (or
 * AWS_ENDPOINT_URL_SAGEMAKER) points the plugin at another endpoint without
 * any code path of its own.
 */
export class SageMakerClientFactory {
  private readonly clients = new Map<string, Promise<SageMakerClient>>();
  private readonly userClients = new Map<string, Promise<SageMakerClient>>();
  private readonly serviceClients = new Map<string, Promise<unknown>>();

  constructor(
    private readonly options: {
      credentialsManager: AwsCredentialsManager;
      requestTimeoutMs: number;
      maxAttempts: number;
      accountRoles: Map<string, AccountRole>;
      attributeWritesToUser: boolean;
    },
  ) {}

  /** A client with the backend's own role in the account. */
  forAccount(accountId: string, region: string): Promise<SageMakerClient> {
    return this.cached(this.clients, `${accountId}:${region}`, async () => {
      const { sdkCredentialProvider } =
        await this.options.credentialsManager.getCredentialProvider({
          accountId,
        });
      return this.build(region, sdkCredentialProvider);
    });
  }

  /**
   * A client of another AWS service (IAM, S3, KMS, ECR, EC2) with the
   * backend's own role in the account, built like the SageMaker clients.
   */
  forService<C>(
    ClientClass: SdkClientClass<C>,
    accountId: string,
    region: string,
  ): Promise<C> {
    return this.cached(
      this.serviceClients as Map<string, Promise<C>>,
      `${ClientClass.name}:${accountId}:${region}`,
      async () => {
        const { sdkCredentialProvider } =
          await this.options.credentialsManager.getCredentialProvider({
            accountId,
          });
        return new ClientClass(this.settings(region, sdkCredentialProvider));
      },
    );
  }

  /**
   * A client for writes on behalf of a user: the account's role assumed with
   * a RoleSessionName derived from the user entity ref, so CloudTrail and
   * SageMaker's LastModifiedBy show the human. Falls back to the backend's
   * own client when attribution is off or the account has no role to assume.
   */
  forUser(
    accountId: string,
    region: string,
    userEntityRef: string,
  ): Promise<SageMakerClient> {
    const role = this.options.accountRoles.get(accountId);
    if (!this.options.attributeWritesToUser || !role?.roleArn) {
      return this.forAccount(accountId, region);
    }
    const sessionName = sessionNameFor(userEntityRef);
    const key = `${accountId}:${region}:${sessionName}`;
    return this.cached(this.userClients, key, async () => {
      if (this.userClients.size > MAX_USER_CLIENTS) {
        this.userClients.delete(this.userClients.keys().next().value!);
      }
      const main =
        await this.options.credentialsManager.getCredentialProvider();
      return this.build(
        region,
        fromTemporaryCredentials({
          masterCredentials: main.sdkCredentialProvider,
          params: {
            RoleArn: role.roleArn!,
            RoleSessionName: sessionName,
            ExternalId: role.externalId,
          },
          clientConfig: {
            region: role.region ?? region,
            customUserAgent: USER_AGENT,
            maxAttempts: this.options.maxAttempts,
            requestHandler: this.httpHandler(),
          },
        }),
      );
    });
  }

  private cached<C>(
    map: Map<string, Promise<C>>,
    key: string,
    create: () => Promise<C>,
  ): Promise<C> {
    let client = map.get(key);
    if (!client) {
      client = create();
      map.set(key, client);
      client.catch(() => map.delete(key));
    }
    return client;
  }

  private build(
    region: string,
    credentials: AwsCredentialIdentityProvider,
  ): SageMakerClient {
    return new SageMakerClient(this.settings(region, credentials));
  }

  private settings(
    region: string,
    credentials: AwsCredentialIdentityProvider,
  ): SdkClientSettings {
    return {
      region,
      credentials: this.withDeadline(credentials),
      customUserAgent: USER_AGENT,
      maxAttempts: this.options.maxAttempts,
      retryMode: 'standard',
      requestHandler: this.httpHandler(),
    };
  }

  /**
   * Every attempt is bounded: without throwOnRequestTimeout the SDK only
   * logs a warning when requestTimeout passes, and waits on.
   */
  private httpHandler(): NodeHttpHandler {
    return new NodeHttpHandler({
      connectionTimeout: Math.min(this.options.requestTimeoutMs, 3000),
      requestTimeout: this.options.requestTimeoutMs,
      throwOnRequestTimeout: true,
    });
  }

  /**
   * Bounds credential resolution as SageMaker calls are bounded (attempts ×
   * timeout). The credentials manager's STS clients have no timeout of their
   * own, so an STS that accepts connections and never answers would
   * otherwise hold every request of the account. A timed-out resolution is
   * retried from scratch by the next request.
   */
  private withDeadline(
    provider: AwsCredentialIdentityProvider,
  ): AwsCredentialIdentityProvider {
    const deadlineMs = this.options.requestTimeoutMs * this.options.maxAttempts;
    return async options => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `the credentials provider (STS) did not answer within ${deadlineMs} ms`,
              ),
            ),
          deadlineMs,
        );
      });
      try {
        return await Promise.race([provider(options), timeout]);
      } finally {
        clearTimeout(timer);
      }
    };
  }
}
