import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  describeZodError,
  entityPathSchema,
  groupQuerySchema,
  listVersionsQuerySchema,
  versionPathSchema,
} from '@internal/backstage-plugin-sagemaker-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { SageMakerRegistryService } from './service/types';

function parse<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(describeZodError(result.error));
  }
  return result.data;
}

const emptyQuerySchema = z.object({}).strict();

/**
 * The plugin's HTTP API, mounted at /api/sagemaker.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  registry: SageMakerRegistryService;
}): Promise<express.Router> {
  const { httpAuth, registry } = options;
  const router = Router();
  router.use(express.json());

  const credentials = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

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
    res.json(
      await registry.listVersions(entity, query, {
        credentials: await credentials(req),
      }),
    );
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

  return router;
}
