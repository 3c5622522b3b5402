import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  listVersionsQuerySchema,
  MODEL_APPROVAL_STATUSES,
  ModelVersionDetails,
  VERSIONS_PAGE_LIMITS,
} from '@internal/backstage-plugin-sagemaker-common';
import { SageMakerRegistryService } from '../service/types';
import {
  entityRefField,
  groupField,
  parseWith,
  toEntity,
  serviceOutput,
  versionField,
} from './actionInputs';

/** Fields of a version compared by `compare-sagemaker-model-versions`. */
const COMPARED_FIELDS = [
  'groupName',
  'approvalStatus',
  'packageStatus',
  'description',
  'createdAt',
  'createdBy',
  'images',
  'realtimeInstanceTypes',
  'transformInstanceTypes',
  'supportedContentTypes',
  'supportedResponseMimeTypes',
  'containers',
  'metricsReports',
  'customerMetadata',
  'approvalDescription',
  'lastModifiedBy',
  'lastModifiedAt',
  'modelLifeCycle',
  'domain',
  'task',
  'samplePayloadUrl',
] as const satisfies ReadonlyArray<keyof ModelVersionDetails>;

/**
 * The differences between two versions: every metric side by side, and the
 * other fields whose values differ.
 */
export function compareVersions(
  a: ModelVersionDetails,
  b: ModelVersionDetails,
) {
  const names = [
    ...new Set([...Object.keys(a.metrics), ...Object.keys(b.metrics)]),
  ].sort();
  const metrics = names.map(name => {
    const va = a.metrics[name];
    const vb = b.metrics[name];
    return {
      name,
      a: va ?? null,
      b: vb ?? null,
      delta:
        va === undefined || vb === undefined
          ? null
          : Number((vb - va).toPrecision(12)),
    };
  });
  const differences = COMPARED_FIELDS.filter(
    field => JSON.stringify(a[field]) !== JSON.stringify(b[field]),
  ).map(field => ({ field, a: a[field] ?? null, b: b[field] ?? null }));
  return { metrics, differences };
}

/**
 * Registers the actions that read an entity's model versions: list, one
 * version's details, and a comparison of two.
 */
export function registerVersionActions(
  actionsRegistry: ActionsRegistryService,
  deps: { registry: SageMakerRegistryService },
) {
  const { registry } = deps;

  actionsRegistry.register({
    name: 'list-sagemaker-model-versions',
    title: 'List model versions',
    description:
      "Lists the SageMaker Model Registry versions of a catalog entity's model package groups, newest first, with approval status, creation time and creator, and key metrics. Filter by approval status; page with nextCursor (and the group it belongs to). Only the groups the entity's annotation names are read, with the caller's catalog access.",
    examples: [
      {
        title: 'The two newest approved versions',
        input: {
          entityRef: 'component:default/fraud-detection',
          status: 'Approved',
          limit: 2,
        },
      },
    ],
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefField(z),
          group: groupField(z),
          status: z
            .enum(MODEL_APPROVAL_STATUSES)
            .optional()
            .describe('Only versions in this approval status.'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(VERSIONS_PAGE_LIMITS.max)
            .optional()
            .describe(
              `At most this many versions per group (default ${VERSIONS_PAGE_LIMITS.default}).`,
            ),
          cursor: z
            .string()
            .optional()
            .describe(
              "A group's nextCursor from a previous answer; needs that group in `group`.",
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          groups: z.array(
            z
              .object({
                groupArn: z.string(),
                groupName: z.string(),
                accountId: z.string(),
                region: z.string(),
                versions: z.array(
                  z
                    .object({
                      version: z.number(),
                      approvalStatus: z.string(),
                      createdAt: z.string(),
                      metrics: z.record(z.number()),
                    })
                    .passthrough(),
                ),
                nextCursor: z.string().optional(),
              })
              .passthrough(),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const { entityRef, ...query } = input;
      const entity = toEntity(entityRef);
      return {
        output: serviceOutput(
          await registry.listVersions(
            entity,
            parseWith(listVersionsQuerySchema, query),
            { credentials },
          ),
        ),
      };
    },
  });

  actionsRegistry.register({
    name: 'get-sagemaker-model-version',
    title: 'Get a model version',
    description:
      "Everything the SageMaker Model Registry holds about one version of a catalog entity's model: approval status and description, who last changed it, containers and images, metrics and their reports, customer metadata, lifecycle stage.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefField(z),
          version: versionField(
            z,
            'The version number within the group (1, 2, …).',
          ),
          group: groupField(z),
        }),
      output: z =>
        z
          .object({
            arn: z.string(),
            groupName: z.string(),
            version: z.number(),
            approvalStatus: z.string(),
            metrics: z.record(z.number()),
          })
          .passthrough(),
    },
    action: async ({ input, credentials }) => ({
      output: serviceOutput(
        await registry.getVersion(
          toEntity(input.entityRef),
          { group: input.group, version: input.version },
          { credentials },
        ),
      ),
    }),
  });

  actionsRegistry.register({
    name: 'compare-sagemaker-model-versions',
    title: 'Compare two model versions',
    description:
      "Compares two versions of a catalog entity's model: every metric of either, side by side with the change from `a` to `b`, and the other fields (status, images, containers, metadata, lifecycle…) whose values differ. Use it to answer 'what changed since the version in production?'.",
    examples: [
      {
        title: 'What changed from version 6 to version 7',
        input: { entityRef: 'fraud-detection', a: 6, b: 7 },
      },
    ],
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefField(z),
          a: versionField(z, 'The first version, usually the older one.'),
          b: versionField(z, 'The second version, usually the newer one.'),
          group: groupField(z),
        }),
      output: z =>
        z.object({
          a: z.object({ version: z.number(), arn: z.string() }).passthrough(),
          b: z.object({ version: z.number(), arn: z.string() }).passthrough(),
          metrics: z
            .array(
              z.object({
                name: z.string(),
                a: z.number().nullable(),
                b: z.number().nullable(),
                delta: z.number().nullable(),
              }),
            )
            .describe('Every metric of either version; delta is b - a.'),
          differences: z
            .array(
              z.object({
                field: z.string(),
                a: z.unknown(),
                b: z.unknown(),
              }),
            )
            .describe('The fields, other than metrics, that differ.'),
        }),
    },
    action: async ({ input, credentials }) => {
      const entity = toEntity(input.entityRef);
      const [a, b] = await Promise.all(
        [input.a, input.b].map(version =>
          registry.getVersion(
            entity,
            { group: input.group, version },
            { credentials },
          ),
        ),
      );
      const summary = (v: ModelVersionDetails) => ({
        version: v.version,
        arn: v.arn,
        approvalStatus: v.approvalStatus,
        createdAt: v.createdAt,
      });
      return {
        output: { a: summary(a), b: summary(b), ...compareVersions(a, b) },
      };
    },
  });
}
