import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { deployRequestSchema } from '@internal/backstage-plugin-sagemaker-common';
import { SageMakerActionsService } from '../service/actionTypes';
import {
  ActionZod,
  entityRefField,
  idempotencyKeyField,
  idempotencyKeyOf,
  groupField,
  parseWith,
  toEntity,
  serviceOutput,
  versionField,
} from './actionInputs';

const deploymentOutput = (z: ActionZod) =>
  z
    .object({
      id: z.string(),
      entityRef: z.string(),
      version: z.number(),
      target: z.string(),
      endpointName: z.string(),
      status: z.string().describe('in-progress, then succeeded or failed.'),
      phase: z.string(),
      requestedBy: z.string(),
    })
    .passthrough();

/**
 * Registers the deploy action and the one that follows a deployment. The
 * deploy goes through the same permission-checked service as the HTTP
 * route, with its guardrails and readiness preflight, as the calling user.
 */
export function registerDeployActions(
  actionsRegistry: ActionsRegistryService,
  deps: { actions: SageMakerActionsService },
) {
  actionsRegistry.register({
    name: 'deploy-sagemaker-model-version',
    title: 'Deploy a model version',
    description:
      "Deploys an Approved version of a catalog entity's model to a SageMaker endpoint in a configured deployment target (e.g. staging, production), as the calling user: it needs the user's sagemaker.model-version.deploy permission on the entity. The target fixes the account, region, execution role and network; the instance type and count must be among the target's allowed ones. A target may require the version to be InService on another target first. It creates the endpoint, or updates it when it exists, and answers at once with a deployment id: follow it with get-sagemaker-deployment. Recorded in the audited history as requested by an agent acting for the user. Confirm with the user before calling it.",
    examples: [
      {
        title: 'Deploy version 6 to staging on one instance',
        input: {
          entityRef: 'component:default/fraud-detection',
          version: 6,
          target: 'staging',
          endpointName: 'fraud-detection-staging',
          instanceType: 'ml.m5.large',
          instanceCount: 1,
          idempotencyKey: '3f6c2a9e-1b7d-4c55-9a0e-5d2f8b1c7e40',
        },
      },
    ],
    attributes: { destructive: true, readOnly: false, idempotent: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefField(z),
          version: versionField(z, 'The Approved version number to deploy.'),
          target: z
            .string()
            .min(1)
            .describe('A configured deployment target name, e.g. staging.'),
          endpointName: z
            .string()
            .describe(
              'The SageMaker endpoint to create or update: 1-63 letters, digits or dashes; by convention <group name>-<target>.',
            ),
          instanceType: z
            .string()
            .optional()
            .describe(
              "One of the target's allowed instance types, e.g. ml.m5.large; leave out for a serverless target.",
            ),
          instanceCount: z
            .number()
            .int()
            .min(1)
            .optional()
            .describe(
              "How many instances, at most the target's maximum (default 1); leave out for a serverless target.",
            ),
          group: groupField(z),
          idempotencyKey: idempotencyKeyField(z),
        }),
      output: deploymentOutput,
    },
    action: async ({ input, credentials }) => {
      const { entityRef, idempotencyKey, ...request } = input;
      const entity = toEntity(entityRef);
      return {
        output: serviceOutput(
          await deps.actions.deploy(
            entity,
            parseWith(deployRequestSchema, request),
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

  actionsRegistry.register({
    name: 'get-sagemaker-deployment',
    title: 'Get a deployment',
    description:
      "The state of one deployment started by deploy-sagemaker-model-version (or in the portal): status in-progress, succeeded or failed, its phase, the endpoint's SageMaker status, and on failure AWS's error code, message and request id.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          id: z
            .string()
            .uuid()
            .describe('The deployment id a deploy answered.'),
        }),
      output: deploymentOutput,
    },
    action: async ({ input, credentials }) => ({
      output: serviceOutput(
        await deps.actions.getDeployment(input.id, { credentials }),
      ),
    }),
  });
}
