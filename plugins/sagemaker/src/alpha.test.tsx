import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { SageMakerApi, sageMakerApiRef } from './api';
import sageMakerPlugin, {
  sageMakerEntityContent,
  sageMakerHistoryPage,
  sageMakerModelVersionsEntityCard,
} from './alpha';
import { modelEntity } from './__testUtils__/fixtures';

const api: Partial<SageMakerApi> = {
  listVersions: async () => ({
    entityRef: 'component:default/fraud-detection',
    groups: [
      {
        groupArn:
          'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud-detection',
        groupName: 'fraud-detection',
        accountId: '111111111111',
        region: 'us-east-1',
        versions: [],
      },
    ],
  }),
  listEndpoints: async () => ({
    entityRef: 'component:default/fraud-detection',
    endpoints: [],
    discoveryTruncated: [],
  }),
  listGroups: async () => ({
    entityRef: 'component:default/fraud-detection',
    groups: [],
  }),
  queryHistory: async () => ({
    events: [
      {
        seq: 7,
        at: '2026-06-01T12:07:00.000Z',
        actor: 'user:default/ana',
        action: 'approve',
        outcome: 'succeeded',
        source: 'backstage',
        entityRef: 'component:default/fraud-detection',
        version: 3,
        comment: 'Recall is up',
        prevHash: 'hash-6',
        hash: 'hash-7',
      },
    ],
  }),
  getHistoryFacets: async () => ({
    entities: ['component:default/fraud-detection'],
    actors: ['user:default/ana'],
    targets: [],
    endpoints: [],
  }),
};

// A whole app renders before these pages load: on a busy 2-core machine that
// takes longer than findBy's default second.
const SLOW = { timeout: 10_000 };

describe('sagemaker plugin (new frontend system)', () => {
  it('provides the API, the entity card, the entity content and the history page', () => {
    expect(sageMakerPlugin.id).toBe('sagemaker');
    // The plugin gives each extension its namespace, and so its id.
    expect(sageMakerPlugin.getExtension('api:sagemaker')).toMatchObject({
      kind: 'api',
      namespace: 'sagemaker',
    });
    expect(
      sageMakerPlugin.getExtension('entity-card:sagemaker/model-versions'),
    ).toMatchObject({
      kind: 'entity-card',
      name: 'model-versions',
      namespace: 'sagemaker',
    });
    expect(
      sageMakerPlugin.getExtension('entity-content:sagemaker/model-versions'),
    ).toMatchObject({
      kind: 'entity-content',
      name: 'model-versions',
      namespace: 'sagemaker',
    });
    expect(
      sageMakerPlugin.getExtension('page:sagemaker/history'),
    ).toMatchObject({ kind: 'page', name: 'history', namespace: 'sagemaker' });
    expect(sageMakerPlugin.routes.history).toBeDefined();
    expect(
      sageMakerPlugin.getExtension('page:sagemaker/readiness'),
    ).toMatchObject({
      kind: 'page',
      name: 'readiness',
      namespace: 'sagemaker',
    });
    expect(sageMakerPlugin.routes.readiness).toBeDefined();
  });

  it('shows the card only on entities with the annotation', async () => {
    const tester = createExtensionTester(sageMakerModelVersionsEntityCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(modelEntity())).toBe(true);
    expect(filter(modelEntity([]))).toBe(false);

    renderInTestApp(
      <EntityProvider entity={modelEntity()}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[sageMakerApiRef, api]] },
    );
    expect(
      await screen.findByText(
        'No versions are registered in fraud-detection yet.',
      ),
    ).toBeInTheDocument();
  });

  it('mounts the "Model versions" tab at /sagemaker for annotated entities', async () => {
    const tester = createExtensionTester(sageMakerEntityContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Model versions',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(modelEntity(['fraud-detection'], { kind: 'Resource' }))).toBe(
      true,
    );
    expect(filter(modelEntity([]))).toBe(false);

    renderInTestApp(
      <EntityProvider entity={modelEntity()}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[sageMakerApiRef, api]] },
    );
    expect(
      await screen.findByText('No model package groups', undefined, SLOW),
    ).toBeInTheDocument();
  });

  it('mounts the history page at /sagemaker/history, as a nav item, with its own header', async () => {
    const tester = createExtensionTester(sageMakerHistoryPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/sagemaker/history');
    // A page with a title and an icon is what the app's nav lists.
    expect(tester.get(coreExtensionData.title)).toBe('Model history');
    expect(tester.get(coreExtensionData.icon)).toBeTruthy();

    renderInTestApp(tester.reactElement(), {
      apis: [[sageMakerApiRef, api], mockApis.permission()],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(
      await screen.findByText('Recall is up', undefined, SLOW),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'fraud-detection' }),
    ).toHaveAttribute('href', '/catalog/default/component/fraud-detection');
    expect(
      screen.getAllByRole('heading', { name: 'Model history' }),
    ).toHaveLength(1);
  });
});
