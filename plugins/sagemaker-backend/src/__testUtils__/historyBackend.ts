import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { HistorySigningKey } from '@internal/backstage-plugin-sagemaker-common';
import { Knex } from 'knex';
import { sagemakerPlugin } from '../plugin';

/**
 * Starts the plugin on a database with history signing keys and no AWS
 * account: enough for the history routes, which read only the database.
 */
export async function startHistoryBackend(
  knex: Knex,
  signingKeys: HistorySigningKey[],
) {
  const { server } = await startTestBackend({
    features: [
      sagemakerPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          sagemaker: {
            history: { signingKeys: signingKeys.map(k => ({ ...k })) },
          },
        },
      }),
      catalogServiceMock.factory({ entities: [] }),
    ],
  });
  return server;
}
