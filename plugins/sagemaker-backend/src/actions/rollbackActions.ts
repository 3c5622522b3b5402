import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { rollbackRequestSchema } from '@internal/backstage-plugin-sagemaker-common';
import { SageMakerActionsService } from '../service/actionTypes';
import {
  entityRefField,
  idempotencyKeyField,
  idempotencyKeyOf,
  parseWith,
  serviceOutput,
  toEntity,
} from './actionInputs';

/**
 * Registers the rollback action: the same permission-checked service call
 * as the HTTP route, as the calling user; the server picks the version.
 */
export function registerRollbackActions(
  actionsRegistry: ActionsRegistryService,
  deps: { actions: SageMakerActionsService },
) {
  actionsRegistry.register({
    name: 'roll-back-sagemaker-endpoint',
    title: 'Roll back an endpoint',
    description:
      "Deploys again, to an endpoint of a catalog entity's model, the version that served it before its latest successful deployment through Backstage (the server finds it in the deployments history; the caller does not choose it), with the same instances, as the calling user: it needs the user's sagemaker.model-version.deploy permission on the entity, and the version must still be Approved. The target's guardrails apply. Answers at once with a deployment id (follow it with get-sagemaker-deployment); 404 when the endpoint served no earlier version. Recorded in the audited history as a rollback of the deployment it undoes, requested by an agent acting for the user. Confirm with the user before calling it.",
    examples: [
      {
        title: 'Roll back the production endpoint',
        input: {
          entityRef: 'component:default/fraud-detection',
          target: 'production',
          endpointName: 'fraud-detection-production',
        },
      },
    ],
    attributes: { destructive: true, readOnly: false, idempotent: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefField(z),
          target: z
            .string()
            .min(1)
            .describe(
              'The deployment target of the endpoint, e.g. production.',
            ),
          endpointName: z
            .string()
            .describe('The SageMaker endpoint to roll back.'),
          idempotencyKey: idempotencyKeyField(z),
        }),
      output: z => z.object({ id: z.string() }).passthrough(),
    },
    action: async ({ input, credentials }) => {
      const { entityRef, idempotencyKey, ...request } = input;
      return {
        output: serviceOutput(
          await deps.actions.rollback(
            toEntity(entityRef),
            parseWith(rollbackRequestSchema, request),
            {
              credentials,
              via: 'agent',
              idempotencyKey: idempotencyKeyOf(idempotencyKey),
            },
          ),
        ),
      };
    },
  });
}
