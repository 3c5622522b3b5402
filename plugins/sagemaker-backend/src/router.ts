import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  approvalRequestSchema,
  deployRequestSchema,
  rollbackRequestSchema,
  describeZodError,
  endpointAtQuerySchema,
  entityReadinessQuerySchema,
  orgReadinessQuerySchema,
  policiesQuerySchema,
  historyFilterSchema,
  historyPageQuerySchema,
  idempotencyKeySchema,
  entityPathSchema,
  evidenceGatesQuerySchema,
  groupQuerySchema,
  lifecycleRequestSchema,
  listVersionsQuerySchema,
  versionPathSchema,
} from '@internal/backstage-plugin-sagemaker-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { SageMakerRegistryService } from './service/types';
import { SageMakerActionsService } from './service/actionTypes';
import { HistoryService } from './service/HistoryService';
import { DefaultReadinessService } from './readiness/DefaultReadinessService';
import { streamResponse } from './streamResponse';
import { EvidenceGateChecker } from './gates/EvidenceGateChecker';
import { LifecycleConfig } from './config/readGovernanceConfig';
import { versionsJson } from './versionsJson';

function parse<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(describeZodError(result.error));
  }
  return result.data;
}

/** The request's `Idempotency-Key` header, validated; undefined without one. */
function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.header('Idempotency-Key');
  return key === undefined
    ? undefined
    : parse(idempotencyKeySchema.describe('Idempotency-Key'), key);
}

const emptyQuerySchema = z.object({}).strict();

const historyQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(256).optional(),
  })
  .strict();

const deploymentPathSchema = z.object({
  id: z.string().uuid('not a deployment id'),
});

/**
 * The plugin's HTTP API, mounted at /api/sagemaker.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  registry: SageMakerRegistryService;
  actions: SageMakerActionsService;
  history: HistoryService;
  readiness: DefaultReadinessService;
  gates: EvidenceGateChecker;
  lifecycle: LifecycleConfig;
}): Promise<express.Router> {
  const { httpAuth, registry, actions, history, readiness, gates } = options;
  const router = Router();
  router.use(express.json());

  const credentials = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const userCredentials = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.get('/targets', async (req, res) => {
    parse(emptyQuerySchema, req.query);
    res.json(
      await registry.listTargets({ credentials: await credentials(req) }),
    );
  });

  router.get('/entities/:kind/:namespace/:name/groups', async (req, res) => {
    const entity = parse(entityPathSchema, req.params);
    parse(emptyQuerySchema, req.query);
    res.json(
      await registry.listGroups(entity, {
        credentials: await credentials(req),
      }),
    );
  });

  router.get('/entities/:kind/:namespace/:name/versions', async (req, res) => {
    const entity = parse(entityPathSchema, req.params);
    const query = parse(listVersionsQuerySchema, req.query);
    const versions = await registry.listVersions(entity, query, {
      credentials: await credentials(req),
    });
    res.type('json').send(versionsJson(versions));
  });

  router.get(
    '/entities/:kind/:namespace/:name/versions/:version',
    async (req, res) => {
      const { version, ...entity } = parse(versionPathSchema, req.params);
      const { group } = parse(groupQuerySchema, req.query);
      res.json(
        await registry.getVersion(
          entity,
          { group, version },
          { credentials: await credentials(req) },
        ),
      );
    },
  );

  router.get('/entities/:kind/:namespace/:name/endpoints', async (req, res) => {
    const entity = parse(entityPathSchema, req.params);
    parse(emptyQuerySchema, req.query);
    res.json(
      await registry.listEndpoints(entity, {
        credentials: await credentials(req),
      }),
    );
  });

  router.post(
    '/entities/:kind/:namespace/:name/versions/:version/approval',
    async (req, res) => {
      const { version, ...entity } = parse(versionPathSchema, req.params);
      const body = parse(approvalRequestSchema, req.body);
      res.json(
        await actions.setApproval(
          entity,
          { ...body, version },
          { credentials: await userCredentials(req) },
        ),
      );
    },
  );

  router.get('/lifecycle-stages', async (req, res) => {
    parse(emptyQuerySchema, req.query);
    await credentials(req);
    res.json(options.lifecycle);
  });

  router.post(
    '/entities/:kind/:namespace/:name/versions/:version/lifecycle',
    async (req, res) => {
      const { version, ...entity } = parse(versionPathSchema, req.params);
      const body = parse(lifecycleRequestSchema, req.body);
      res.json(
        await actions.setLifecycle(
          entity,
          { ...body, version },
          { credentials: await userCredentials(req) },
        ),
      );
    },
  );

  router.get('/entities/:kind/:namespace/:name/gates', async (req, res) => {
    const entity = parse(entityPathSchema, req.params);
    const query = parse(evidenceGatesQuerySchema, req.query);
    res.json(await gates.preview(entity, query, await credentials(req)));
  });

  router.post(
    '/entities/:kind/:namespace/:name/deployments',
    async (req, res) => {
      const entity = parse(entityPathSchema, req.params);
      const body = parse(deployRequestSchema, req.body);
      const idempotencyKey = idempotencyKeyOf(req);
      res.status(202).json(
        await actions.deploy(entity, body, {
          credentials: await userCredentials(req),
          idempotencyKey,
        }),
      );
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/rollbacks',
    async (req, res) => {
      const entity = parse(entityPathSchema, req.params);
      const body = parse(rollbackRequestSchema, req.body);
      const idempotencyKey = idempotencyKeyOf(req);
      res.status(202).json(
        await actions.rollback(entity, body, {
          credentials: await userCredentials(req),
          idempotencyKey,
        }),
      );
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/deployments',
    async (req, res) => {
      const entity = parse(entityPathSchema, req.params);
      parse(emptyQuerySchema, req.query);
      res.json(
        await actions.listDeployments(entity, {
          credentials: await credentials(req),
        }),
      );
    },
  );

  router.get('/deployments/:id', async (req, res) => {
    const { id } = parse(deploymentPathSchema, req.params);
    parse(emptyQuerySchema, req.query);
    res.json(
      await actions.getDeployment(id, { credentials: await credentials(req) }),
    );
  });

  router.get('/entities/:kind/:namespace/:name/history', async (req, res) => {
    const entity = parse(entityPathSchema, req.params);
    const query = parse(historyQuerySchema, req.query);
    res.json(
      await actions.listHistory(entity, query, {
        credentials: await credentials(req),
      }),
    );
  });

  router.get('/history', async (req, res) => {
    const query = parse(historyPageQuerySchema, req.query);
    res.json(
      await history.query(query, { credentials: await credentials(req) }),
    );
  });

  router.get('/history/export', async (req, res) => {
    const { format, ...filter } = parse(historyFilterSchema, req.query);
    const { contentType, body } = await history.export(filter, format, {
      credentials: await credentials(req),
    });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    res.attachment(`sagemaker-history-${stamp}.${format}`);
    res.type(contentType);
    await streamResponse(body, res);
  });

  router.get('/history/facets', async (req, res) => {
    parse(emptyQuerySchema, req.query);
    res.json(await history.facets({ credentials: await credentials(req) }));
  });

  router.get('/history/verify', async (req, res) => {
    parse(emptyQuerySchema, req.query);
    res.json(await history.verify({ credentials: await credentials(req) }));
  });

  router.get('/history/endpoint-at', async (req, res) => {
    const query = parse(endpointAtQuerySchema, req.query);
    res.json(
      await history.endpointAt(query, { credentials: await credentials(req) }),
    );
  });

  router.get('/entities/:kind/:namespace/:name/readiness', async (req, res) => {
    const entity = parse(entityPathSchema, req.params);
    const query = parse(entityReadinessQuerySchema, req.query);
    res.json(
      await readiness.entityReport(entity, query, await credentials(req)),
    );
  });

  router.get('/entities/:kind/:namespace/:name/policies', async (req, res) => {
    const entity = parse(entityPathSchema, req.params);
    const query = parse(policiesQuerySchema, req.query);
    res.json(
      await readiness.entityPolicies(entity, query, await credentials(req)),
    );
  });

  router.get('/readiness', async (req, res) => {
    const query = parse(orgReadinessQuerySchema, req.query);
    res.json(await readiness.orgReport(query, await credentials(req)));
  });

  router.get('/policies', async (req, res) => {
    const query = parse(policiesQuerySchema, req.query);
    res.json(await readiness.orgPolicies(query, await credentials(req)));
  });

  return router;
}
