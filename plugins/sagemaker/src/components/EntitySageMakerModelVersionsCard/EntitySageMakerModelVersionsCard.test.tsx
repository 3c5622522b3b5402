import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  EntityModelVersionsResponse,
  SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION,
} from '@internal/backstage-plugin-sagemaker-common';
import { RouteRef } from '@backstage/core-plugin-api';
import { SageMakerApi, sageMakerApiRef } from '../../api';
import { entityContentRouteRef } from '../../routes';
import { EntitySageMakerModelVersionsCard } from './EntitySageMakerModelVersionsCard';
import {
  makeEndpoint,
  productionTarget,
  stagingTarget,
} from '../../__testUtils__/fixtures';

const GROUP_ARN =
  'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud-detection';

const entity = (annotated = true): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'fraud-detection',
    namespace: 'default',
    annotations: annotated
      ? { [SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION]: GROUP_ARN }
      : {},
  },
});

const response: EntityModelVersionsResponse = {
  entityRef: 'component:default/fraud-detection',
  groups: [
    {
      groupArn: GROUP_ARN,
      groupName: 'fraud-detection',
      accountId: '111111111111',
      region: 'us-east-1',
      versions: [
        {
          arn: `${GROUP_ARN.replace('-group', '')}/12`,
          groupName: 'fraud-detection',
          version: 12,
          approvalStatus: 'PendingManualApproval',
          description: 'Retrained on October data',
          createdAt: '2026-11-01T10:00:00.000Z',
          metrics: {},
          images: [],
          realtimeInstanceTypes: [],
        },
        {
          arn: `${GROUP_ARN.replace('-group', '')}/11`,
          groupName: 'fraud-detection',
          version: 11,
          approvalStatus: 'Approved',
          description: 'Adds merchant category features',
          createdAt: '2026-10-01T10:00:00.000Z',
          metrics: {},
          images: [],
          realtimeInstanceTypes: [],
        },
      ],
    },
  ],
};

const noEndpoints = () =>
  jest.fn().mockResolvedValue({
    entityRef: 'component:default/fraud-detection',
    endpoints: [],
  });

function render(
  api: Partial<SageMakerApi>,
  annotated = true,
  mountedRoutes?: Record<string, RouteRef>,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[[sageMakerApiRef, { listEndpoints: noEndpoints(), ...api }]]}
    >
      <EntityProvider entity={entity(annotated)}>
        <EntitySageMakerModelVersionsCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes },
  );
}

describe('EntitySageMakerModelVersionsCard', () => {
  it('lists the latest versions with their approval status', async () => {
    const listVersions = jest.fn().mockResolvedValue(response);
    await render({ listVersions });

    expect(
      await screen.findByText('Model versions: fraud-detection'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Account 111111111111, us-east-1'),
    ).toBeInTheDocument();
    expect(screen.getByText('Retrained on October data')).toBeInTheDocument();
    expect(screen.getByText('Pending approval')).toBeInTheDocument();
    expect(screen.getByText('Approved')).toBeInTheDocument();
    expect(listVersions).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'fraud-detection' },
      { limit: 5 },
    );
    expect(screen.getAllByText('Not deployed')).toHaveLength(2);
  });

  it('shows key metrics, links each version to its details on the tab, and links to all versions', async () => {
    const withMetrics: EntityModelVersionsResponse = {
      ...response,
      groups: [
        {
          ...response.groups[0],
          versions: response.groups[0].versions.map(version => ({
            ...version,
            metrics: { latency_ms: 12, accuracy: 0.931, auc: 0.95 },
          })),
        },
      ],
    };
    await render(
      { listVersions: jest.fn().mockResolvedValue(withMetrics) },
      true,
      {
        '/catalog/default/component/fraud-detection/sagemaker':
          entityContentRouteRef,
      },
    );

    const row = (
      await screen.findByRole('link', { name: 'Version 12 of fraud-detection' })
    ).closest('tr')!;
    expect(
      screen.getByRole('link', { name: 'Version 12 of fraud-detection' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/fraud-detection/sagemaker?version=12',
    );
    // The best-known metrics, not every number the version records.
    expect(row).toHaveTextContent('accuracy 0.931');
    expect(row).toHaveTextContent('auc 0.95');
    expect(row).not.toHaveTextContent('latency_ms');
    expect(
      screen.getByRole('link', { name: 'View all versions' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/fraud-detection/sagemaker',
    );
  });

  it('shows where each version is deployed, with the endpoint status', async () => {
    const listVersions = jest.fn().mockResolvedValue(response);
    const [v12, v11] = response.groups[0].versions;
    const listEndpoints = jest.fn().mockResolvedValue({
      entityRef: 'component:default/fraud-detection',
      endpoints: [
        makeEndpoint(stagingTarget, 'fraud-detection-staging', v12, 'Updating'),
        makeEndpoint(productionTarget, 'fraud-detection-production', v11),
      ],
    });
    await render({ listVersions, listEndpoints });

    const row12 = (
      await screen.findByText('Retrained on October data')
    ).closest('tr')!;
    expect(
      within(row12).getByText(/staging: fraud-detection-staging/),
    ).toBeInTheDocument();
    expect(within(row12).getByText('Updating')).toBeInTheDocument();
    const row11 = screen
      .getByText('Adds merchant category features')
      .closest('tr')!;
    expect(
      within(row11).getByText(/production: fraud-detection-production/),
    ).toBeInTheDocument();
    expect(within(row11).getByText('InService')).toBeInTheDocument();
  });

  it('still lists the versions when the endpoints cannot be read', async () => {
    const listVersions = jest.fn().mockResolvedValue(response);
    const listEndpoints = jest
      .fn()
      .mockRejectedValue(new Error('Could not assume role in 222222222222'));
    await render({ listVersions, listEndpoints });
    expect(
      await screen.findByText(/Could not load where the versions are deployed/),
    ).toHaveTextContent('Could not assume role in 222222222222');
    expect(screen.getByText('Retrained on October data')).toBeInTheDocument();
  });

  it('explains a missing annotation without calling the backend', async () => {
    const listVersions = jest.fn();
    await render({ listVersions }, false);
    expect(
      await screen.findByText(SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION, {
        selector: 'code',
      }),
    ).toBeInTheDocument();
    expect(listVersions).not.toHaveBeenCalled();
  });

  it("shows the backend's message and retries", async () => {
    const failure = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'AwsGatewayError',
            message:
              'Could not get credentials for AWS account 111111111111 (STS AssumeRole failed)',
          },
          response: { statusCode: 502 },
        }),
        { status: 502, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    const listVersions = jest
      .fn()
      .mockRejectedValueOnce(failure)
      .mockResolvedValueOnce(response);
    await render({ listVersions });

    expect(
      (await screen.findAllByText(/STS AssumeRole failed/))[0],
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText('Retrained on October data'),
    ).toBeInTheDocument();
    expect(listVersions).toHaveBeenCalledTimes(2);
  });

  it('says so when a group has no versions yet', async () => {
    const listVersions = jest.fn().mockResolvedValue({
      ...response,
      groups: [{ ...response.groups[0], versions: [] }],
    });
    await render({ listVersions });
    expect(
      await screen.findByText(
        'No versions are registered in fraud-detection yet.',
      ),
    ).toBeInTheDocument();
  });
});
