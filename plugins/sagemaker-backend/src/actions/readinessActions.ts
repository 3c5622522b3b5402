import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { entityReadinessQuerySchema } from '@internal/backstage-plugin-sagemaker-common';
import { DefaultReadinessService } from '../readiness/DefaultReadinessService';
import {
  entityRefField,
  groupField,
  parseWith,
  toEntity,
  serviceOutput,
} from './actionInputs';

/** Registers the action that predicts whether a deploy would be refused. */
export function registerReadinessActions(
  actionsRegistry: ActionsRegistryService,
  deps: { readiness: DefaultReadinessService },
) {
  actionsRegistry.register({
    name: 'get-sagemaker-deploy-readiness',
    title: 'Check deploy readiness',
    description:
      "Predicts, before a deploy, whether AWS would refuse deploying a catalog entity's model to a deployment target across accounts: the group's resource policy, S3 artifacts, KMS keys, ECR images, iam:PassRole and role trust. Each check is ok, missing or unknown, with evidence and the fix. Narrow it to one target, and to one version of one group.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefField(z),
          target: z
            .string()
            .optional()
            .describe(
              'A configured deployment target name (e.g. staging); all targets when absent.',
            ),
          group: groupField(z),
          version: z
            .number()
            .int()
            .min(1)
            .optional()
            .describe("Check this version's artifacts; needs `group`."),
        }),
      output: z =>
        z
          .object({
            entityRef: z.string().optional(),
            generatedAt: z.string(),
            accounts: z.array(z.object({}).passthrough()),
            pairs: z.array(z.object({}).passthrough()),
          })
          .passthrough(),
    },
    action: async ({ input, credentials }) => {
      const { entityRef, ...query } = input;
      return {
        output: serviceOutput(
          await deps.readiness.entityReport(
            toEntity(entityRef),
            parseWith(entityReadinessQuerySchema, query),
            credentials,
          ),
        ),
      };
    },
  });
}
