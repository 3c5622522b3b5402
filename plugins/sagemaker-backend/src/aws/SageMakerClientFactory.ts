import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';

/** Identifies this plugin in CloudTrail's userAgent field. */
export const USER_AGENT = 'backstage-plugin-sagemaker';

/**
 * The only place SageMaker clients are built: one per (account, region),
 * with credentials from the Backstage AWS credentials manager. Endpoints come
 * from the SDK's own resolution, so AWS_ENDPOINT_URL (or
 * AWS_ENDPOINT_URL_SAGEMAKER) points the plugin at another endpoint without any
 * code path of its own.
 */
export class SageMakerClientFactory {
  private readonly clients = new Map<string, Promise<SageMakerClient>>();

  constructor(
    private readonly options: {
      credentialsManager: AwsCredentialsManager;
      requestTimeoutMs: number;
      maxAttempts: number;
    },
  ) {}

  forAccount(accountId: string, region: string): Promise<SageMakerClient> {
    const key = `${accountId}:${region}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.create(accountId, region);
      this.clients.set(key, client);
      client.catch(() => this.clients.delete(key));
    }
    return client;
  }

  private async create(
    accountId: string,
    region: string,
  ): Promise<SageMakerClient> {
    const { sdkCredentialProvider } =
      await this.options.credentialsManager.getCredentialProvider({
        accountId,
      });
    return new SageMakerClient({
      region,
      credentials: sdkCredentialProvider,
      customUserAgent: USER_AGENT,
      maxAttempts: this.options.maxAttempts,
      retryMode: 'standard',
      requestHandler: new NodeHttpHandler({
        connectionTimeout: Math.min(this.options.requestTimeoutMs, 3000),
        requestTimeout: this.options.requestTimeoutMs,
      }),
    });
  }
}
