import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { SageMakerRegistryService } from '../service/types';
import { entityRefField, toEntity, serviceOutput } from './actionInputs';

/** Registers the action that lists the endpoints serving an entity's versions. */
export function registerEndpointActions(
  actionsRegistry: ActionsRegistryService,
  deps: { registry: SageMakerRegistryService },
) {
  actionsRegistry.register({
    name: 'list-sagemaker-endpoints',
    title: 'List the endpoints serving a model',
    description:
      "Lists the SageMaker endpoints, in the configured deployment targets (e.g. staging, production), that serve versions of a catalog entity's model: for each, its target, status (Creating, Updating, InService, Failed…) and, per production variant, the version it serves and its instance type and count. Answers 'which version is in production?'.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z => z.object({ entityRef: entityRefField(z) }),
      output: z =>
        z.object({
          entityRef: z.string(),
          endpoints: z.array(
            z
              .object({
                target: z.string(),
                endpointName: z.string(),
                status: z.string(),
                variants: z.array(
                  z
                    .object({
                      variantName: z.string(),
                      version: z.number().optional(),
                      versionArn: z.string().optional(),
                    })
                    .passthrough(),
                ),
              })
              .passthrough(),
          ),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: serviceOutput(
        await deps.registry.listEndpoints(toEntity(input.entityRef), {
          credentials,
        }),
      ),
    }),
  });
}
