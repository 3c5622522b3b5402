import { toLineage } from './lineage';

describe('toLineage', () => {
  it('reads MetadataProperties, source algorithms and drift baselines, with console links', () => {
    const lineage = toLineage(
      {
        $metadata: {},
        ModelPackageName: 'fraud',
        ModelPackageArn:
          'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud/3',
        CreationTime: new Date(0),
        ModelPackageStatus: 'Completed',
        ModelPackageStatusDetails: { ValidationStatuses: [] },
        MetadataProperties: {
          CommitId: '4f1c2e9',
          Repository: 'https://github.com/acme/fraud',
          GeneratedBy:
            'arn:aws:sagemaker:us-east-1:444444444444:training-job/fraud-train-3',
          ProjectId: 'p-abc123',
        },
        SourceAlgorithmSpecification: {
          SourceAlgorithms: [
            {
              AlgorithmName: 'xgboost',
              ModelDataUrl: 's3://ml-models-111111111111/fraud/v3/model.tar.gz',
            },
          ],
        },
        DriftCheckBaselines: {
          ModelQuality: {
            Constraints: {
              S3Uri: 's3://ml-models-111111111111/fraud/v3/constraints.json',
              ContentType: 'application/json',
            },
          },
        },
      },
      'us-east-1',
    );
    expect(lineage).toEqual({
      commitId: '4f1c2e9',
      repository: 'https://github.com/acme/fraud',
      generatedBy:
        'arn:aws:sagemaker:us-east-1:444444444444:training-job/fraud-train-3',
      projectId: 'p-abc123',
      sourceAlgorithms: [
        {
          algorithmName: 'xgboost',
          modelDataUrl: 's3://ml-models-111111111111/fraud/v3/model.tar.gz',
        },
      ],
      driftCheckBaselines: [
        {
          kind: 'ModelQuality.Constraints',
          s3Uri: 's3://ml-models-111111111111/fraud/v3/constraints.json',
        },
      ],
      links: [
        {
          label: 'Training job fraud-train-3 (account 444444444444, us-east-1)',
          url: 'https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/jobs/fraud-train-3',
        },
        {
          label: 'Repository https://github.com/acme/fraud',
          url: 'https://github.com/acme/fraud',
        },
        {
          label: 'Model data of xgboost',
          url: 'https://s3.console.aws.amazon.com/s3/object/ml-models-111111111111?region=us-east-1&prefix=fraud%2Fv3%2Fmodel.tar.gz',
        },
        {
          label: 'Baseline ModelQuality.Constraints',
          url: 'https://s3.console.aws.amazon.com/s3/object/ml-models-111111111111?region=us-east-1&prefix=fraud%2Fv3%2Fconstraints.json',
        },
      ],
    });
  });

  it('links no repository that is not a web address, and is empty without metadata', () => {
    const lineage = toLineage(
      {
        $metadata: {},
        MetadataProperties: { Repository: 'git@github.com:acme/fraud.git' },
      } as any,
      'eu-west-1',
    );
    expect(lineage.links).toEqual([]);
    expect(lineage.sourceAlgorithms).toEqual([]);
  });
});
