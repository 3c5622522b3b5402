import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  APPROVAL_COMMENT_MAX,
  approvalRequestSchema,
} from '@internal/backstage-plugin-sagemaker-common';
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
 * Registers the approve/reject action. It goes through the same
 * permission-checked service as the HTTP route, as the calling user, and the
 * history records it with source `agent`.
 */
export function registerApprovalActions(
  actionsRegistry: ActionsRegistryService,
  deps: { actions: SageMakerActionsService },
) {
  actionsRegistry.register({
    name: 'set-sagemaker-model-version-approval',
    title: 'Approve or reject a model version',
    description:
      "Approves or rejects one version of a catalog entity's model in the SageMaker Model Registry, as the calling user: it needs the user's sagemaker.model-version.approve permission on the entity (usually its owners), and a rejection needs a comment. The change is written to SageMaker in the user's name and recorded in the audited history as made by an agent acting for the user. Only Approved versions can be deployed. Confirm with the user before calling it.",
    examples: [
      {
        title: 'Reject a version, saying why',
        input: {
          entityRef: 'component:default/fraud-detection',
          version: 7,
          decision: 'reject',
          comment: 'Recall dropped below the 0.85 baseline',
        },
      },
    ],
    attributes: { destructive: true, readOnly: false, idempotent: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefField(z),
          version: versionField(z, 'The version number within the group.'),
          decision: z
            .enum(['approve', 'reject'])
            .describe('approve sets Approved; reject sets Rejected.'),
          comment: z
            .string()
            .max(APPROVAL_COMMENT_MAX)
            .optional()
            .describe(
              'Why: kept in SageMaker and in the history. Required to reject.',
            ),
          group: groupField(z),
        }),
      output: z =>
        z.object({
          version: z
            .object({
              arn: z.string(),
              version: z.number(),
              approvalStatus: z.string(),
            })
            .passthrough()
            .describe('The version as it is now.'),
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
      const { entityRef, version, decision, ...rest } = input;
      const entity = toEntity(entityRef);
      const body = parseWith(approvalRequestSchema, {
        ...rest,
        status: decision === 'approve' ? 'Approved' : 'Rejected',
      });
      return {
        output: serviceOutput(
          await deps.actions.setApproval(
            entity,
            { ...body, version },
            { credentials, via: 'agent' },
          ),
        ),
      };
    },
  });
}
