import { ModelPackageGroupArn } from '@internal/backstage-plugin-sagemaker-common';
import { ReadinessFacts, VersionArtifacts } from './ReadinessFacts';
import { ArtifactRefs, parseImage, parseS3Url } from './PolicyGenerator';

/** The version whose artifacts stand for a group: the newest of those read. */
export function newestVersion(
  versions: VersionArtifacts[],
): VersionArtifacts | undefined {
  return [...versions].sort((a, b) => b.version - a.version)[0];
}

/**
 * Adds what a group's versions reference to `refs`: the buckets and object
 * keys of their model data, the ECR repositories of their images in
 * configured accounts, and the KMS keys that encrypt the data (each bucket's
 * default key, and the key of the sample version's own objects, resolved to
 * ARNs). Facts are read through the group's account.
 */
export async function addArtifactRefs(
  refs: ArtifactRefs,
  options: {
    facts: ReadinessFacts;
    group: ModelPackageGroupArn;
    versions: VersionArtifacts[];
    sample: VersionArtifacts | undefined;
    accountIds: ReadonlySet<string>;
  },
): Promise<void> {
  const { facts, group, versions, sample, accountIds } = options;
  const at = { accountId: group.accountId, region: group.region };
  const buckets = new Set<string>();
  for (const v of versions) {
    for (const s3 of v.modelDataUrls.map(parseS3Url)) {
      if (s3) {
        const keys = refs.buckets.get(s3.bucket) ?? new Set<string>();
        keys.add(s3.key);
        refs.buckets.set(s3.bucket, keys);
        buckets.add(s3.bucket);
      }
    }
    for (const repo of v.images.map(parseImage)) {
      if (repo && accountIds.has(repo.accountId)) {
        refs.repositories.add(repo.arn);
      }
    }
  }
  const addKey = async (keyId: string) => {
    if (keyId.includes(':key/')) {
      refs.keys.add(keyId);
      return;
    }
    const resolved = await facts.key(at, keyId);
    if (resolved.state === 'present') {
      refs.keys.add(resolved.value);
    }
  };
  for (const bucket of buckets) {
    const key = await facts.bucketDefaultKey(at, bucket);
    if (key.state === 'present' && key.value) {
      await addKey(key.value);
    }
  }
  for (const s3 of (sample?.modelDataUrls ?? []).map(parseS3Url)) {
    const object = s3 && (await facts.object(at, s3.bucket, s3.key));
    if (object?.state === 'present' && object.value.kmsKeyArn) {
      await addKey(object.value.kmsKeyArn);
    }
  }
}
