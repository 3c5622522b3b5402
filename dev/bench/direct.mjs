// The baselines the plugin is compared with, called from the bench process
// with the AWS SDK: credentials from STS AssumeRole straight at the emulator
// (as the backend gets them), SageMaker calls through the counting proxy.
//   direct:        ListModelPackages (first 50, newest first) + one
//                  BatchDescribeModelPackage of those 50 ARNs;
//   direct+Search: the plugin's three calls, without the plugin: the same,
//                  plus one Search over the page's version range for the
//                  customer metadata, in parallel with the batch describe;
//   naive:         the same ListModelPackages + one DescribeModelPackage per
//                  version (1 + N calls, the N in parallel).
import {
  BatchDescribeModelPackageCommand,
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SearchCommand,
} from '@aws-sdk/client-sagemaker';
import { sageMakerIn } from '../e2e/aws.mjs';

/** The baselines' client: the backend's role, SageMaker through the proxy. */
export function directClient({ stsEndpoint, sageMakerEndpoint, accountId }) {
  return sageMakerIn(stsEndpoint, accountId, {
    sageMakerEndpoint,
    roleName: 'BackstageSageMakerAccess',
    sessionName: 'bench',
  });
}

async function listPage(client, group, limit) {
  const listed = await client.send(
    new ListModelPackagesCommand({
      ModelPackageGroupName: group,
      ModelPackageType: 'Versioned',
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: limit,
    }),
  );
  return listed.ModelPackageSummaryList ?? [];
}

async function batchDescribe(client, arns) {
  const described = await client.send(
    new BatchDescribeModelPackageCommand({ ModelPackageArnList: arns }),
  );
  if (
    Object.keys(described.ModelPackageSummaries ?? {}).length !== arns.length
  ) {
    throw new Error('BatchDescribeModelPackage did not describe every ARN');
  }
}

function searchVersions(client, group, versions) {
  const bound = (Operator, Value) => ({
    Name: 'ModelPackageVersion',
    Operator,
    Value: String(Value),
  });
  return client.send(
    new SearchCommand({
      Resource: 'ModelPackage',
      MaxResults: 100,
      SearchExpression: {
        Operator: 'And',
        Filters: [
          { Name: 'ModelPackageGroupName', Operator: 'Equals', Value: group },
          bound('GreaterThanOrEqualTo', Math.min(...versions)),
          bound('LessThanOrEqualTo', Math.max(...versions)),
        ],
      },
    }),
  );
}

/** ListModelPackages + BatchDescribeModelPackage; returns the page's ARNs. */
export async function directPage(client, group, limit) {
  const arns = (await listPage(client, group, limit)).map(
    p => p.ModelPackageArn,
  );
  await batchDescribe(client, arns);
  return arns;
}

/** The plugin's calls: ListModelPackages, then BatchDescribe ∥ Search. */
export async function directPageWithSearch(client, group, limit) {
  const page = await listPage(client, group, limit);
  const arns = page.map(p => p.ModelPackageArn);
  await Promise.all([
    batchDescribe(client, arns),
    searchVersions(
      client,
      group,
      page.map(p => p.ModelPackageVersion),
    ),
  ]);
  return arns;
}

/** ListModelPackages + one DescribeModelPackage per version. */
export async function naivePage(client, group, limit) {
  const arns = (await listPage(client, group, limit)).map(
    p => p.ModelPackageArn,
  );
  await Promise.all(
    arns.map(arn =>
      client.send(new DescribeModelPackageCommand({ ModelPackageName: arn })),
    ),
  );
  return arns;
}
