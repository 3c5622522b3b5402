import { SignInPage } from '@backstage/core-components';
import { createApp } from '@backstage/frontend-defaults';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import sageMakerPlugin from '@internal/backstage-plugin-sagemaker/alpha';

/** Guest sign-in, as in the classic demo app. */
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => props => <SignInPage {...props} providers={['guest']} />,
  },
});

/**
 * The demo on Backstage's new frontend system: the catalog and the SageMaker
 * plugin's extensions (API, entity card, entity tab, history and readiness
 * pages), discovered from the plugins rather than wired by hand.
 */
export const app = createApp({
  features: [
    catalogPlugin,
    sageMakerPlugin,
    createFrontendModule({ pluginId: 'app', extensions: [signInPage] }),
  ],
});
