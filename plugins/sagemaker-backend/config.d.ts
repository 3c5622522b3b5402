import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Settings of the SageMaker plugin. AWS accounts and credentials live under `aws` (@backstage/integration-aws-node). */
  sagemaker?: {
    /** Registry reads cache. */
    cache?: {
      /** How long registry reads stay cached, e.g. `{ seconds: 60 }` or `PT1M`. Default 60 s. */
      ttl?: HumanDuration | string;
      /**
       * How long the catalog's answer to one user's (or service's) lookup of
       * one entity is reused by the registry reads, instead of asking the
       * catalog again on each request. Only that principal is served it; a
       * change of ownership or annotation may take this long to show.
       * Zero turns it off. Default 5 s.
       */
      entityTtl?: HumanDuration | string;
    };
    /**
     * Whether approvals and deployments assume the account's role with a
     * session named after the Backstage user (e.g. `guest@default`), so that
     * CloudTrail and SageMaker's LastModifiedBy show who it was. Default true.
     */
    attributeWritesToUser?: boolean;
    /**
     * ModelMetrics reports (model quality, data quality, bias,
     * explainability), read from S3 through the registry account's role.
     */
    reports?: {
      /** Reports larger than this many bytes are not read. Default 1048576 (1 MiB). */
      maxBytes?: number;
      /** How long one report read may take, retries included. Default 5 s. */
      timeout?: HumanDuration | string;
      /** How long a report read stays cached (reports do not change). Default 1 day. */
      cacheTtl?: HumanDuration | string;
      /**
       * The metrics version cards show first, per model package group (its
       * name or ARN). Groups not listed show their problem type's defaults
       * (binary: auc, accuracy, f1, precision, recall; multiclass: accuracy,
       * weighted_f1…; regression: rmse, mae, r2, mse).
       */
      keyMetrics?: Array<{ group: string; metrics: string[] }>;
    };
    /** The endpoints panel. */
    endpoints?: {
      /**
       * Pages of 100 endpoints without the plugin's group tag (made outside
       * Backstage) read per account and region and cache TTL to find those
       * serving an entity's versions; beyond them the panel says it may miss
       * some (`discoveryTruncated`). 1 to 50, default 3.
       */
      discoveryMaxPages?: number;
    };
    /** Deployments. */
    deployments?: {
      /** How often in-flight deployments are followed. Default 5 s. */
      pollInterval?: HumanDuration | string;
      /**
       * How many earlier successful deployments per endpoint keep their model
       * and endpoint config (what a rollback goes back to); an update deletes
       * those of the one before them. 1 to 50, default 2.
       */
      keepPrevious?: number;
      /**
       * How long the replica following a deployment holds it without
       * renewing. It renews three times per lease; when a replica dies,
       * another takes its deployments over once their lease runs out.
       * At least twice pollInterval. Default 15 s.
       */
      lease?: HumanDuration | string;
    };
    /** The sync that records changes made outside Backstage. */
    sync?: {
      /**
       * How often it runs. Default 30 minutes: the SageMaker events bring
       * changes in seconds, and the sync is the backstop for any event lost.
       */
      interval?: HumanDuration | string;
      /**
       * After its first complete run, each run searches for the versions
       * modified since the last complete run began, minus this overlap:
       * SageMaker's Search index lags behind writes, and clocks differ.
       * Default 10 minutes.
       */
      searchOverlap?: HumanDuration | string;
    };
    /** SageMaker's EventBridge events, delivered through the events system. */
    events?: {
      /**
       * The events topic they arrive on (a topic of
       * events.modules.awsSqs.awsSqsConsumingEventPublisher), or a list of
       * topics, one per queue. Default `sagemaker`.
       */
      topic?: string | string[];
    };
    /** How the plugin calls AWS. */
    aws?: {
      /**
       * Per-attempt timeout of one AWS call (STS included). A request that
       * finds AWS unresponsive answers 503 (502 for STS) after at most
       * maxAttempts × requestTimeout plus backoff. Default 5 s.
       */
      requestTimeout?: HumanDuration | string;
      /**
       * Attempts per AWS call, retries of throttling and network errors
       * included (1–10), with the SDK's standard backoff. Default 5: with
       * 30% of calls throttled, one call then fails 0.24% of the time
       * (0.3^5), against 2.7% with the SDK's default of 3.
       */
      maxAttempts?: number;
    };
    /** The append-only, hash-chained history of approvals and deployments. */
    history?: {
      /**
       * Keys that sign the history (HMAC-SHA256), so that a database writer
       * without the key cannot rewrite or add an event unnoticed. The first
       * key signs new events; every listed key verifies, so rotate by adding
       * the new key first and keeping the old ones. Without any key, events
       * are hashed unkeyed (version 1) and the backend warns at startup.
       */
      signingKeys?: Array<{
        /** Stored with each event it signs; letters, digits, `.`, `_`, `-`. */
        id: string;
        /**
         * At least 32 characters, e.g. `openssl rand -base64 48`.
         * @visibility secret
         */
        secret: string;
      }>;
    };
    /** Cross-account readiness checks (preflight). */
    readiness?: {
      /**
       * Whether a deploy is refused (409, naming the check and its fix) when a
       * readiness check says AWS would refuse it. Default true.
       */
      preflightOnDeploy?: boolean;
    };
    /**
     * Where versions may be deployed. The execution role, VPC, KMS key and tags
     * come from here, never from the request.
     */
    deploymentTargets?: Array<{
      /** Unique id, lowercase letters, digits and dashes, e.g. `staging`. */
      name: string;
      /** Shown in the UI, e.g. `Staging (222222222222)`. */
      title?: string;
      /** The 12-digit account; it must also be listed under aws.accounts. */
      accountId: string;
      /** The region endpoints are created in. */
      region: string;
      /** The SageMaker execution role for created models; in the target account. */
      executionRoleArn: string;
      /** Instance types a deployer may choose; none for a serverless target. */
      instanceTypes?: string[];
      /** Highest initial instance count a deployer may choose. Default 1. */
      maxInstanceCount?: number;
      /** VPC settings applied to created models. */
      vpcConfig?: {
        subnets: string[];
        securityGroupIds: string[];
      };
      /** KMS key for the endpoint's storage volume. */
      kmsKeyId?: string;
      /** Whether created models run with network isolation. Default false. */
      enableNetworkIsolation?: boolean;
      /** Tags added to every resource created in this target. */
      tags?: { [key: string]: string };
      /** Names of targets the same version must already be InService on. */
      requires?: string[];
      /**
       * Evidence a version must show before it is deployed here, checked on
       * the server at deploy time (an unmet gate is a 409 naming the rule
       * and the value found) and shown in the deploy dialog.
       */
      gates?: {
        /** Metric thresholds, e.g. `{ metric: auc, min: 0.9 }`: min, max or both. */
        metrics?: Array<{ metric: string; min?: number; max?: number }>;
        /** The ModelLifeCycle stage the version must be in, one of `lifecycle.stages`. */
        lifecycleStage?: string;
        /** With lifecycleStage: the stage status it must have, one of `lifecycle.statuses`. */
        lifecycleStageStatus?: string;
        /** The approver must not be who registered the version (CreatedBy). Default false. */
        approverNotRegistrant?: boolean;
        /** The deployer must not be who approved the version. Default false. */
        deployerNotApprover?: boolean;
      };
      /**
       * Deployment guardrails for updates of an existing endpoint
       * (UpdateEndpoint's DeploymentConfig); a new endpoint has no traffic to
       * shift. Set blueGreen or rollingUpdate. Without it, SageMaker switches
       * all traffic at once with no baking period.
       */
      deploymentConfig?: {
        blueGreen?: {
          trafficRouting: 'ALL_AT_ONCE' | 'CANARY' | 'LINEAR';
          /** The first share of traffic; required for CANARY. */
          canarySize?: {
            type: 'INSTANCE_COUNT' | 'CAPACITY_PERCENT';
            value: number;
          };
          /** Each step's share of traffic; required for LINEAR. */
          linearStepSize?: {
            type: 'INSTANCE_COUNT' | 'CAPACITY_PERCENT';
            value: number;
          };
          /** Baking period after each shift, 0 s to 1 h, e.g. `{ minutes: 10 }`. */
          waitInterval: HumanDuration | string;
          /** How long the old fleet is kept after the switch, 0 s to 1 h. */
          terminationWait?: HumanDuration | string;
          /** Longest the whole update may take, 10 min to 8 h. */
          maximumExecutionTimeout?: HumanDuration | string;
        };
        rollingUpdate?: {
          maximumBatchSize: {
            type: 'INSTANCE_COUNT' | 'CAPACITY_PERCENT';
            value: number;
          };
          /** Baking period after each batch, 0 s to 1 h. */
          waitInterval: HumanDuration | string;
          maximumExecutionTimeout?: HumanDuration | string;
          rollbackMaximumBatchSize?: {
            type: 'INSTANCE_COUNT' | 'CAPACITY_PERCENT';
            value: number;
          };
        };
        /**
         * Up to 10 CloudWatch alarm names in the target account; one in ALARM
         * during the update rolls it back to the previous configuration.
         */
        autoRollbackAlarms?: string[];
      };
      /**
       * Makes the target serverless: endpoints get this ServerlessConfig and
       * the deployer chooses no instance type or count (leave instanceTypes
       * out). No deploymentConfig: SageMaker has no guardrails for serverless.
       */
      serverless?: {
        /** 1024, 2048, 3072, 4096, 5120 or 6144. */
        memorySizeInMB: number;
        /** 1 to 200. */
        maxConcurrency: number;
      };
    }>;
    /**
     * The ModelLifeCycle stages and stage statuses users may set. Default:
     * SageMaker's staging-construct template (stages Proposal, Development,
     * QA, PreProduction, Production, Archived; statuses PendingApproval,
     * InProgress, OnHold, Approved, Rejected, Retired).
     */
    lifecycle?: {
      stages?: string[];
      statuses?: string[];
    };
  };
}
