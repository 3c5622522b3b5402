import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  describeZodError,
  entityPathSchema,
  listVersionsQuerySchema,
} from '@internal/backstage-plugin-sagemaker-common';
import express from 'express';
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

  router.get('/entities/:kind/:namespace/:name/versions', async (req, res) => {
    const entity = parse(entityPathSchema, req.params);
    const query = parse(listVersionsQuerySchema, req.query);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await registry.listVersions(entity, query, { credentials }));
  });

  return router;
}
