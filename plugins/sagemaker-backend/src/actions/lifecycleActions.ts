import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { lifecycleRequestSchema } from '@internal/backstage-plugin-sagemaker-common';
import { SageMakerActionsService } from '../service/actionTypes';
import {
  entityRefField,
  groupField,
  parseWith,
  toEntity,
  serviceOutput,
  versionField,
} from './actionInputs';

/**
 * Registers the lifecycle stage action. It goes through the same
 * permission-checked service as the HTTP route, as the calling user, and the
 * history records it with source `agent`.
 */
export function registerLifecycleActions(
  actionsRegistry: ActionsRegistryService,
  deps: { actions: SageMakerActionsService },
) {
  actionsRegistry.register({
    name: 'set-sagemaker-model-version-lifecycle-stage',
    title: 'Set the lifecycle stage of a model version',
    description:
      "Sets the lifecycle stage (SageMaker's ModelLifeCycle: stage, stage status and an optional description) of one version of a catalog entity's model, as the calling user: it needs the user's sagemaker.model-version.lifecycle permission on the entity (usually its owners), and the stage and status must be ones the portal is configured with (by default Proposal, Development, QA, PreProduction, Production, Archived; PendingApproval, InProgress, OnHold, Approved, Rejected, Retired). The change is written to SageMaker in the user's name and recorded in the audited history as made by an agent acting for the user. A deployment target may require a stage. Confirm with the user before calling it.",
    examples: [
      {
        title: 'Put a version on hold in QA',
        input: {
          entityRef: 'component:default/fraud-detection',
          version: 7,
          stage: 'QA',
          stageStatus: 'OnHold',
          stageDescription: 'Waiting for the bias report',
        },
      },
    ],
    attributes: { destructive: true, readOnly: false, idempotent: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefField(z),
          version: versionField(z, 'The version number within the group.'),
          stage: z.string().max(63).describe('A configured lifecycle stage.'),
          stageStatus: z
            .string()
            .max(63)
            .describe('A configured stage status.'),
          stageDescription: z
            .string()
            .max(800)
            .optional()
            .describe('Why: kept in SageMaker and in the history.'),
          group: groupField(z),
        }),
      output: z =>
        z.object({
          version: z
            .object({ arn: z.string(), version: z.number() })
            .passthrough()
            .describe('The version as it is now, with its modelLifeCycle.'),
          event: z
            .object({
              seq: z.number(),
              actor: z.string(),
              action: z.string(),
              outcome: z.string(),
              source: z.string(),
            })
            .passthrough()
            .describe('The history event that records the change.'),
        }),
    },
    action: async ({ input, credentials }) => {
      const { entityRef, version, ...rest } = input;
      const body = parseWith(lifecycleRequestSchema, rest);
      return {
        output: serviceOutput(
          await deps.actions.setLifecycle(
            toEntity(entityRef),
            { ...body, version },
            { credentials, via: 'agent' },
          ),
        ),
      };
    },
  });
}
