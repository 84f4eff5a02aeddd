/**
 * The bundles are what Lambda runs, so they are exercised too: every function bundle imports and
 * exports `handler`, and the plan-waves and reconcile-cluster code, bundled with the same esbuild
 * options (ESM, minified, the AWS SDK bundled, the whatwg-url shim and the function shims, which
 * throw if reached), plans and applies a sandbox cluster with the real client-node, AWS SDK and octokit.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../functions/core/model.ts';
import { startSandbox, type Sandbox } from '../../../functions/sandbox/index.ts';
import { bundleHandler, bundleOptions, handlerNames } from '../../../infra/bundle.ts';
import { startGitHubStandIn, type GitHubStandIn } from '../../support/github-stand-in.ts';
import { loadSnapshot } from '../../support/load-snapshot.ts';
import { buildSandboxAwsSettings } from '../../support/sandbox-aws-settings.ts';

type Entry = typeof import('./bundle-entry.ts');

let sandbox: Sandbox;
let github: GitHubStandIn;

beforeAll(async () => {
  sandbox = await startSandbox({ fleetFile: 'config/fleet.yaml', progressingMs: 100 });
  github = await startGitHubStandIn();
}, 60_000);
afterAll(async () => {
  await Promise.all([sandbox?.stop(), github?.stop()]);
});

describe('function bundles', { timeout: 120_000 }, () => {
  it.each([...handlerNames])('%s bundles, imports in Node and exports handler', async (name) => {
    const bundle = bundleHandler(name, join('cdk.out', 'test-bundles'));
    const module = (await import(pathToFileURL(bundle.file).href)) as { handler?: unknown };
    expect(typeof module.handler).toBe('function');
  });

  it('a bundled handler throws errors under their class names (Lambda errorType, Retry and Catch match on them)', async () => {
    const bundle = bundleHandler('publish-report', join('cdk.out', 'test-bundles'));
    const module = (await import(pathToFileURL(bundle.file).href)) as { handler: (input: unknown) => Promise<unknown> };
    // the entry point reads REGOPS_REPOSITORY on first use; this test process does not set it
    expect(process.env['REGOPS_REPOSITORY']).toBeUndefined();
    // the handler may throw at once (settings are read when the runtime is built) or reject
    const thrown = await Promise.resolve().then(() => module.handler({ kind: 'drift', commit: 'abc', reportKey: 'latest/drift.json' })).then(() => undefined, (error: unknown) => error);
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).name).toBe('SettingsError');
    expect((thrown as { code?: string }).code).toBe('settings.invalid');
  });

  it('the bundled plan-waves and reconcile-cluster roll a sandbox cluster out', async () => {
    const out = join('cdk.out', 'test-bundles', 'entry.mjs');
    await build(bundleOptions(join('test', 'integration', 'serverless', 'bundle-entry.ts'), out));
    const entry = (await import(pathToFileURL(out).href)) as Entry;

    const files = Object.fromEntries(loadSnapshot('config', '').files.map((f) => [f.path, f.content]));
    const sha = github.addCommit('acme', 'fleet', files, 'main');
    const aws = buildSandboxAwsSettings(sandbox);
    await new S3Client({ ...aws, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'bundle-reports' }));
    const env = { REGOPS_REPOSITORY: 'acme/fleet', REGOPS_BRANCH: 'main', REPORTS_BUCKET: 'bundle-reports', REGOPS_FIRST_LOOK_MS: '30000' };
    const quiet = { aws, githubBaseUrl: github.url, write: () => undefined };
    const plan = entry.createPlanWavesHandler(entry.buildAwsStepRuntime(env, 'plan-waves', quiet, { github: entry.createGitHubAccess }));
    const reconcile = entry.createReconcileClusterHandler(entry.buildAwsStepRuntime(env, 'reconcile-cluster', quiet, { cluster: entry.createAwsClusterAccess }));

    const planned = await plan({ kind: 'rollout', commit: sha, expectedWaves: ['canary', 'main', 'prod'] });
    expect(planned.waves.map((w) => w.name)).toEqual(['canary', 'main', 'prod']);
    const done = await reconcile({ phase: 'apply', kind: 'rollout', commit: sha, cluster: 'aws-main-1', wave: 'main' });
    expect(done).toMatchObject({ phase: 'done', outcome: 'succeeded' });
    const live = sandbox.getObject('aws-main-1', { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' }) as JsonObject;
    expect(((live['metadata'] as JsonObject)['annotations'] as JsonObject)['regops.io/applied-commit']).toBe(sha);
  });
});
