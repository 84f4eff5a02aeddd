/**
 * Bucket ownership (issue 10 item 7), through the real CLI, client-node and @aws-sdk/client-s3
 * against the sandbox fleet and its S3: the bucket lab-bm-1's storage.yaml names already exists,
 * made by another cluster's regops (its tags say so) with settings of its own. regops plans it as
 * "exists, not ours" and an apply changes nothing on it; with `adopt: true` in storage.yaml the
 * next apply configures it and tags it as lab-bm-1's.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand, GetBucketEncryptionCommand, GetBucketPolicyCommand, GetBucketTaggingCommand, PutBucketEncryptionCommand, PutBucketTaggingCommand, S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRegops } from '../../../functions/cli/main.ts';
import { startSandbox, type Sandbox } from '../../../functions/sandbox/index.ts';
import { captureOutput } from '../../support/capture-output.ts';
import { buildSandboxAwsSettings } from '../../support/sandbox-aws-settings.ts';

const bucket = 'acme-registry-lab-bm-1';
const foreignTags = [{ Key: 'regops.io/cluster', Value: 'lab-bm-2' }, { Key: 'regops.io/managed-by', Value: 'regops' }, { Key: 'owner', Value: 'storage-team' }];

let sandbox: Sandbox;
let s3: S3Client;
let work: string;

async function regops(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { result: code, stdout, stderr } = await captureOutput(() => runRegops(argv));
  return { code, stdout, stderr };
}

async function readBucket(): Promise<{ tags: Record<string, string>; algorithm: string | undefined; policy: string | undefined }> {
  const tags = await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }));
  const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
  const policy = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket })).catch(() => undefined);
  return {
    tags: Object.fromEntries((tags.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    algorithm: encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    policy: policy?.Policy,
  };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'regops-foreign-bucket-'));
  sandbox = await startSandbox({ fleetFile: 'config/fleet.yaml', kubeconfigPath: join(work, 'kubeconfig'), progressingMs: 50 });
  await writeFile(join(work, 'ca.pem'), sandbox.caPem);
  Object.assign(process.env, { REGOPS_CA_FILE: join(work, 'ca.pem'), AWS_ENDPOINT_URL: sandbox.aws.endpoint, AWS_REGION: sandbox.aws.region, AWS_ACCESS_KEY_ID: sandbox.aws.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.aws.secretAccessKey, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  s3 = new S3Client({ ...buildSandboxAwsSettings(sandbox), forcePathStyle: true });
  // another cluster's bucket, with its own encryption and no policy
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: foreignTags } }));
  await s3.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:us-east-1:111122223333:key/other' } }] } }));
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
});

describe('a bucket regops did not create', { timeout: 120_000 }, () => {
  it('is planned "exists, not ours" and an apply leaves it untouched', async () => {
    const before = await readBucket();
    const kube = ['--config', 'config', '--kubeconfig', join(work, 'kubeconfig'), '--timeout', '60s'];
    const plan = await regops('plan', '--cluster', 'lab-bm-1', ...kube.slice(0, 4));
    expect(plan.stdout).toContain(`Bucket/${bucket} skipped: exists, not ours: no regops.io/managed-by=regops and regops.io/cluster=lab-bm-1 tags`);
    const json = JSON.parse((await regops('plan', '--cluster', 'lab-bm-1', ...kube.slice(0, 4), '-o', 'json')).stdout) as { clusters: Array<{ entries: Array<{ target: { type: string }; action: string; patch?: unknown }> }> };
    expect(json.clusters[0]?.entries.find((e) => e.target.type === 'bucket')).toMatchObject({ action: 'skipped' });

    const applied = await regops('apply', '--cluster', 'lab-bm-1', ...kube);
    expect(applied.code, applied.stderr).toBe(0);
    expect(await readBucket()).toEqual(before);
    expect(before).toMatchObject({ tags: { 'regops.io/cluster': 'lab-bm-2' }, algorithm: 'aws:kms', policy: undefined });
  });

  it('with adopt: true in storage.yaml, the next apply configures it and tags it as this cluster\'s', async () => {
    const config = join(work, 'config');
    await cp('config', config, { recursive: true });
    const storageFile = join(config, 'clusters', 'lab-bm-1', 'storage.yaml');
    await writeFile(storageFile, (await readFile(storageFile, 'utf8')).replace('    region: us-east-1\n', '    region: us-east-1\n    adopt: true\n'));
    const kube = ['--config', config, '--kubeconfig', join(work, 'kubeconfig'), '--timeout', '60s'];
    const plan = await regops('plan', '--cluster', 'lab-bm-1', ...kube.slice(0, 4));
    expect(plan.stdout).toContain(`Bucket/${bucket} configured`);
    const applied = await regops('apply', '--cluster', 'lab-bm-1', ...kube);
    expect(applied.code, applied.stderr).toBe(0);
    const after = await readBucket();
    // regops' tags replace the other cluster's, Git's tags are set, tags of others are kept
    expect(after.tags).toMatchObject({ 'regops.io/cluster': 'lab-bm-1', 'regops.io/managed-by': 'regops', team: 'platform', owner: 'storage-team' });
    expect(after.algorithm).toBe('AES256');
    expect(after.policy).toContain('aws:SecureTransport');
    // now ours: the next plan has nothing to do on it
    expect((await regops('plan', '--cluster', 'lab-bm-1', ...kube.slice(0, 4))).stdout).toContain(`Bucket/${bucket} unchanged`);
  });
});
