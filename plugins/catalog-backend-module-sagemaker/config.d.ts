import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * Discovery of SageMaker model package groups (and the endpoints that
       * serve their versions) as catalog entities. Credentials are those of
       * `aws.accounts`: every account listed here must be listed there.
       */
      sagemaker?: {
        /**
         * How often discovery runs, and how long one run may take.
         * Default: every 30 minutes, timeout 3 minutes, first run after 15 s.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** The accounts to discover in, each with its regions. */
        accounts: Array<{
          /** A 12-digit account ID, also listed under `aws.accounts`. */
          accountId: string;
          /** Regions to read, e.g. `[us-east-1, eu-west-1]`. */
          regions: string[];
        }>;
        /**
         * The group tag whose value names the owner (a group name, or any
         * entity ref such as `user:default/jane`). Default `owner`.
         */
        ownerTag?: string;
        /** The owner of groups without that tag, e.g. `group:default/ml-platform`. */
        defaultOwner: string;
        /**
         * Group name patterns to discover (`*` and `?` wildcards). Default:
         * every group.
         */
        include?: string[];
        /** Group name patterns to leave out, even when included. */
        exclude?: string[];
        /**
         * Whether groups shared with the accounts through AWS RAM are
         * discovered too (ListModelPackageGroups with
         * `CrossAccountFilterOption: CrossAccount`). Default true.
         */
        crossAccount?: boolean;
        /**
         * Whether the endpoints of the accounts that serve the discovered
         * groups' versions are discovered. Default true.
         */
        endpoints?: boolean;
      };
    };
  };
}
