// The endpoints-panel variant of `yarn bench`: the staging account gets
// ENDPOINTS endpoints, two of them serving fraud-detection (one tagged with
// its group as the plugin tags what it deploys, one made outside Backstage)
// and the rest tagged with other teams' groups. The plugin's panel is
// compared with today's approach from the bench process: ListEndpoints, then
// DescribeEndpoint, DescribeEndpointConfig and DescribeModel per endpoint
// (models described once per scan, 5 in flight).
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  paginateListEndpoints,
} from '@aws-sdk/client-sagemaker';
import { sageMakerIn } from '../e2e/aws.mjs';

export const ENDPOINTS = 500;
const STAGING = '222222222222';
const REGISTRY = '111111111111';
const GROUP_TAG = 'backstage:model-package-group-arn';
const groupArn = name =>
  `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package-group/${name}`;
const IN_FLIGHT = 25;

/** A model and endpoint config in staging serving a registry version. */
async function configFor(client, group, version) {
  const name = `bench-${group}-v${version}`;
  await client.send(
    new CreateModelCommand({
      ModelName: name,
      ExecutionRoleArn: `arn:aws:iam::${STAGING}:role/SageMakerExecutionRole`,
      Containers: [
        {
          ModelPackageName: `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package/${group}/${version}`,
        },
      ],
    }),
  );
  await client.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: name,
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: name,
          InstanceType: 'ml.m5.large',
          InitialInstanceCount: 1,
        },
      ],
    }),
  );
  return name;
}

/** Creates the endpoints straight at the emulator (not counted). */
export async function seedEndpoints(emulatorEndpoint) {
  const client = await sageMakerIn(emulatorEndpoint, STAGING, {
    roleName: 'BackstageSageMakerAccess',
    sessionName: 'bench-seed',
  });
  const fraud = await configFor(client, 'fraud-detection', 1);
  const churn = await configFor(client, 'churn-prediction', 1);
  const specs = [
    { name: 'bench-fraud-tagged', config: fraud, group: 'fraud-detection' },
    { name: 'bench-fraud-outside', config: fraud },
  ];
  for (let i = specs.length; i < ENDPOINTS; i += 1) {
    specs.push({
      name: `bench-other-${i}`,
      config: churn,
      group: `other-team-${i % 40}`,
    });
  }
  for (let i = 0; i < specs.length; i += IN_FLIGHT) {
    await Promise.all(
      specs.slice(i, i + IN_FLIGHT).map(({ name, config, group }) =>
        client.send(
          new CreateEndpointCommand({
            EndpointName: name,
            EndpointConfigName: config,
            Tags: group ? [{ Key: GROUP_TAG, Value: groupArn(group) }] : [],
          }),
        ),
      ),
    );
  }
  return { fraudEndpoints: ['bench-fraud-outside', 'bench-fraud-tagged'] };
}

/** The baseline's client: the backend's role in staging, through the proxy. */
export function stagingClient(emulatorEndpoint, sageMakerEndpoint) {
  return sageMakerIn(emulatorEndpoint, STAGING, {
    sageMakerEndpoint,
    roleName: 'BackstageSageMakerAccess',
    sessionName: 'bench',
  });
}

/**
 * Today's approach: every endpoint listed and resolved to the version it
 * serves; returns the names of those serving the group.
 */
export async function scanEndpoints(client, group) {
  const names = [];
  for await (const page of paginateListEndpoints(
    { client, pageSize: 100 },
    {},
  )) {
    names.push(...(page.Endpoints ?? []).map(e => e.EndpointName));
  }
  const models = new Map();
  const versionOf = modelName => {
    if (!models.has(modelName)) {
      models.set(
        modelName,
        client
          .send(new DescribeModelCommand({ ModelName: modelName }))
          .then(m =>
            [m.PrimaryContainer, ...(m.Containers ?? [])]
              .map(c => c?.ModelPackageName)
              .find(Boolean),
          ),
      );
    }
    return models.get(modelName);
  };
  const serving = [];
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++];
      const endpoint = await client.send(
        new DescribeEndpointCommand({ EndpointName: name }),
      );
      const config = await client.send(
        new DescribeEndpointConfigCommand({
          EndpointConfigName: endpoint.EndpointConfigName,
        }),
      );
      for (const variant of config.ProductionVariants ?? []) {
        const version = await versionOf(variant.ModelName);
        if (version?.includes(`:model-package/${group}/`)) serving.push(name);
      }
    }
  };
  await Promise.all(Array.from({ length: 5 }, worker));
  return [...new Set(serving)].sort();
}
