import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { SageMakerApi, sageMakerApiRef } from './api';
import sageMakerPlugin, {
  sageMakerEntityContent,
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
  }),
  listGroups: async () => ({
    entityRef: 'component:default/fraud-detection',
    groups: [],
  }),
};

describe('sagemaker plugin (new frontend system)', () => {
  it('provides the API, the entity card and the entity content', () => {
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
      await screen.findByText('No model package groups'),
    ).toBeInTheDocument();
  });
});
