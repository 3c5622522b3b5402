import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { SageMakerActionsService } from '../service/actionTypes';
import { entityRefField, toEntity, serviceOutput } from './actionInputs';

/** Registers the action that reads an entity's approval and deploy history. */
export function registerHistoryActions(
  actionsRegistry: ActionsRegistryService,
  deps: { actions: SageMakerActionsService },
) {
  actionsRegistry.register({
    name: 'get-sagemaker-model-history',
    title: "Get a model's history",
    description:
      "The audited history of a catalog entity's model versions, newest first: every approval, rejection, deploy request and outcome, and refused attempts. Each event says who (`actor`, a user entity ref), when, what (`action`, `outcome`), which version and target, and through what (`source`: `backstage` for the portal, `agent` for an agent acting for the user through these actions, `sagemaker` for changes made outside Backstage). Page with nextCursor.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefField(z),
          limit: z
            .number()
            .int()
            .min(1)
            .max(200)
            .optional()
            .describe('At most this many events (default 20).'),
          cursor: z
            .string()
            .min(1)
            .max(256)
            .optional()
            .describe('nextCursor from a previous answer, for older events.'),
        }),
      output: z =>
        z.object({
          events: z.array(
            z
              .object({
                seq: z.number(),
                at: z.string(),
                actor: z.string(),
                action: z.string(),
                outcome: z.string(),
                source: z.string(),
                entityRef: z.string(),
                version: z.number().optional(),
                target: z.string().optional(),
                comment: z.string().optional(),
              })
              .passthrough(),
          ),
          nextCursor: z.string().optional(),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: serviceOutput(
        await deps.actions.listHistory(
          toEntity(input.entityRef),
          { limit: input.limit ?? 20, cursor: input.cursor },
          { credentials },
        ),
      ),
    }),
  });
}
