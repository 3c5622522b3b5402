import type { Entity } from '@backstage/catalog-model';
import {
  getModelPackageGroupArnValues,
  isSageMakerAvailable,
  parseModelPackageGroupArn,
  SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION,
} from './annotations';

const entity = (annotation?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'fraud',
    annotations:
      annotation === undefined
        ? {}
        : { [SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION]: annotation },
  },
});

describe('parseModelPackageGroupArn', () => {
  it('takes a group ARN apart', () => {
    expect(
      parseModelPackageGroupArn(
        'arn:aws:sagemaker:eu-west-1:111111111111:model-package-group/image-classifier',
      ),
    ).toEqual({
      arn: 'arn:aws:sagemaker:eu-west-1:111111111111:model-package-group/image-classifier',
      partition: 'aws',
      region: 'eu-west-1',
      accountId: '111111111111',
      name: 'image-classifier',
    });
  });

  it.each([
    'arn:aws:sagemaker:us-east-1:11111111111:model-package-group/short-account',
    'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud/1',
    'arn:aws:s3:::bucket',
    'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/-leading-dash',
    'arn:aws:sagemaker:US-EAST-1:111111111111:model-package-group/fraud',
    `arn:aws:sagemaker:us-east-1:111111111111:model-package-group/${'a'.repeat(
      64,
    )}`,
    'not an arn',
  ])('refuses %s', value => {
    expect(parseModelPackageGroupArn(value)).toBeUndefined();
  });
});

describe('getModelPackageGroupArnValues', () => {
  it('splits, trims and de-duplicates the annotation', () => {
    expect(
      getModelPackageGroupArnValues(
        entity(
          ' arn:aws:sagemaker:us-east-1:111111111111:model-package-group/a ,arn:aws:sagemaker:us-east-1:111111111111:model-package-group/b,arn:aws:sagemaker:us-east-1:111111111111:model-package-group/a,',
        ),
      ),
    ).toEqual([
      'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/a',
      'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/b',
    ]);
  });

  it('is empty without the annotation', () => {
    expect(getModelPackageGroupArnValues(entity())).toEqual([]);
    expect(isSageMakerAvailable(entity())).toBe(false);
    expect(isSageMakerAvailable(entity(' , '))).toBe(false);
    expect(isSageMakerAvailable(entity('arn:x'))).toBe(true);
  });
});
