/**
 * The settings regops keeps on a cluster's S3 bucket, as one comparable JSON document. This shape
 * is the contract with BucketStore (engine/ports.ts): `inspect()` returns the live bucket in it,
 * `configure(location, settings, create)` writes each top-level key present in `settings`.
 *
 * ```
 * {
 *   region: "eu-west-1",
 *   encryption: { algorithm: "AES256" | "aws:kms", kmsKeyId?: "arn:…", bucketKeyEnabled: true },
 *   publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
 *   lifecycle: { abortIncompleteMultipartUploadDays: 1 },
 *   tags: { "regops.io/cluster": "prod-eu-1", … },
 *   policy: { denyInsecureTransport: true }
 * }
 * ```
 * - encryption: one default-encryption rule with BucketKeyEnabled, as the operator sets it (§3.5).
 * - lifecycle: the adapter writes one rule, ID `cleanup-incomplete-multipart-registry-uploads`,
 *   Status Enabled, prefix "", AbortIncompleteMultipartUpload after 1 day: the operator's own rule
 *   (docs/registry-operator-facts.md §3.5), so the two never fight over a bucket both touch.
 * - tags: `settings.tags` is the whole tag set to write (PutBucketTagging replaces all tags), so the
 *   planner sends live tags merged with Git's; extra live tags are never drift.
 * - policy.denyInsecureTransport: a bucket policy statement denying `aws:SecureTransport` false.
 * - inspect() reports only what it finds: a missing section is absent (e.g. no lifecycle rule with
 *   that ID ⇒ no `lifecycle`), and kmsKeyId only for `aws:kms`.
 */
import type { DesiredBucket, FieldChange, JsonObject } from './model.ts';
import { isJsonObject } from './is-json-object.ts';

/** The lifecycle rule ID the operator uses for the same cleanup (docs/registry-operator-facts.md §3.5). */
export const BUCKET_LIFECYCLE_RULE_ID = 'cleanup-incomplete-multipart-registry-uploads';

/** Builds the desired bucket document from storage.yaml. */
export function buildBucketState(bucket: DesiredBucket): JsonObject {
  const encryption: JsonObject =
    bucket.encryption.type === 'SSE-KMS'
      ? { algorithm: 'aws:kms', kmsKeyId: bucket.encryption.kmsKeyId, bucketKeyEnabled: true }
      : { algorithm: 'AES256', bucketKeyEnabled: true };
  return {
    region: bucket.region,
    encryption,
    publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
    lifecycle: { abortIncompleteMultipartUploadDays: 1 },
    tags: { ...bucket.tags },
    policy: { denyInsecureTransport: true },
  };
}

/**
 * The `settings` for BucketStore.configure(): each top-level section with a change, whole (each is
 * one S3 call that replaces that setting); tags merged over the live tag set.
 */
export function buildBucketSettings(desired: JsonObject, live: JsonObject | undefined, changes: readonly FieldChange[]): JsonObject {
  if (live === undefined) return desired;
  const settings: JsonObject = {};
  for (const change of changes) {
    const section = /^[A-Za-z]+/.exec(change.path)?.[0];
    if (section === undefined || section in settings) continue;
    const value = desired[section];
    if (value === undefined) continue;
    const liveTags = live['tags'];
    settings[section] = section === 'tags' && isJsonObject(value) && isJsonObject(liveTags) ? { ...liveTags, ...value } : value;
  }
  return settings;
}
