import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { itWhere, startCliTarget, timeoutFor, type CliTarget } from '../support/cli-target.ts';

// The real kubectl against the target REGOPS_TEST_TARGET names (test/support/cli-target.ts): the sandbox,
// or the testbed, whose real kube-apiserver and real operator are the reference the sandbox must match
// (docs/toolchain-facts.md "What kubectl v1.32 asks an API server for"). What differs by target is the version
// each reports (the sandbox says v1.32 so the dispatcher picks kubectl 1.32) and the names derived
// from the cluster (bucket, operator version), read from the cluster itself.
// kubectl.1.32 is called directly; /usr/bin/kubectl (the dispatcher) is checked once for the version it picks.
const pinned = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const kubectlBinary = existsSync(pinned) ? pinned : 'kubectl';
const cluster = 'fid-1';
const configRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let target: CliTarget;
let dir: string;
let fleetDir: string;

function kubectl(args: string[], options: { binary?: string; token?: string } = {}): Promise<Run> {
  const full = ['--kubeconfig', target.kubeconfig, '--context', cluster, '--cache-dir', join(dir, 'cache'), ...(options.token === undefined ? [] : ['--token', options.token]), ...args];
  return new Promise((resolve) => {
    execFile(options.binary ?? kubectlBinary, full, { env: { ...process.env, HOME: dir }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

async function writeManifest(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

async function readConfig(): Promise<{ metadata: { generation: number; resourceVersion: string }; spec: Record<string, unknown> }> {
  return (await target.getObject(cluster, configRef)) as { metadata: { generation: number; resourceVersion: string }; spec: Record<string, unknown> };
}

beforeAll(async () => {
  fleetDir = await mkdtemp(join(tmpdir(), 'regops-fidelity-fleet-'));
  const fleet = join(fleetDir, 'fleet.yaml');
  await writeFile(
    fleet,
    `apiVersion: regops/v1\nkind: Fleet\nmetadata: {name: fidelity}\nspec:\n  clusters:\n    - name: ${cluster}\n      labels: {platform: aws, region: eu-west-1}\n`,
  );
  target = await startCliTarget('fidelity', { fleetFile: fleet });
  dir = target.work;
});

afterAll(async () => {
  await target?.stop();
  for (const folder of [dir, fleetDir]) if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

describe(`kubectl v1.32 against the ${process.env['REGOPS_TEST_TARGET'] ?? 'sandbox'}`, () => {
  it('the /usr/bin/kubectl dispatcher picks kubectl 1.32 from the reported server version', async () => {
    const dispatcher = existsSync('/usr/bin/kubectl') ? '/usr/bin/kubectl' : kubectlBinary;
    const run = await kubectl(['version', '-o', 'json'], { binary: dispatcher });
    expect(run.code).toBe(0);
    const version = JSON.parse(run.stdout) as { serverVersion: { gitVersion: string } };
    // the testbed's kube-apiserver is the one test/testbed/build.sh pins (functions/testbed/README.md)
    expect(version.serverVersion.gitVersion).toMatch(target.kind === 'testbed' ? /^v1\.35\./ : /^v1\.32\./);
  });

  it('get -o yaml shows the bootstrapped AWS Config', async () => {
    // the real operator fills spec.storage.s3 in over a few syncs (bucket first, region a little later: measured on the testbed)
    const settled = await kubectl(['wait', '--for=jsonpath={.spec.storage.s3.region}=eu-west-1', 'configs.imageregistry.operator.openshift.io/cluster', '--timeout=60s']);
    expect(settled.code, settled.stderr).toBe(0);
    const run = await kubectl(['get', 'configs.imageregistry.operator.openshift.io', 'cluster', '-o', 'yaml']);
    expect(run.code, run.stderr).toBe(0);
    const config = parse(run.stdout) as { spec: { managementState: string; replicas: number; storage: { s3: { bucket: string; region: string } } } };
    expect(config.spec.managementState).toBe('Managed');
    expect(config.spec.replicas).toBe(2);
    expect(config.spec.storage.s3.region).toBe('eu-west-1');
    // the operator names it <infrastructureName>-image-registry-<region>[-suffix] (pkg/storage/util GenerateDeterministicStorageName)
    const infrastructure = parse((await kubectl(['get', 'infrastructures.config.openshift.io', 'cluster', '-o', 'yaml'])).stdout) as { status: { infrastructureName: string } };
    expect(config.spec.storage.s3.bucket.startsWith(`${infrastructure.status.infrastructureName}-image-registry-eu-west-1`)).toBe(true);
  });

  it("patch --type merge with the documentation's own body sets the field and bumps generation", async () => {
    const before = (await readConfig()).metadata.generation;
    const run = await kubectl(['patch', 'configs.imageregistry.operator.openshift.io/cluster', '--type', 'merge', '-p', '{"spec":{"defaultRoute":true}}']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('config.imageregistry.operator.openshift.io/cluster patched');
    const after = (await readConfig());
    expect(after.spec['defaultRoute']).toBe(true);
    expect(after.metadata.generation).toBe(before + 1);
  });

  it('patch --type json replaces a field', async () => {
    const run = await kubectl(['patch', 'configs.imageregistry.operator.openshift.io', 'cluster', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]']);
    expect(run.code, run.stderr).toBe(0);
    expect((await readConfig()).spec['replicas']).toBe(3);
  });

  it('patch without --type (strategic merge) on a custom resource is refused with 415 as a real server does', async () => {
    const run = await kubectl(['patch', 'configs.imageregistry.operator.openshift.io', 'cluster', '-p', '{"spec":{"replicas":2}}']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
  });

  it('an invalid enum gets the real Invalid message naming the field', async () => {
    const run = await kubectl(['patch', 'configs.imageregistry.operator.openshift.io', 'cluster', '--type', 'merge', '-p', '{"spec":{"logLevel":"Loud"}}']);
    expect(run.code).toBe(1);
    // the Config CRD has CEL rules, which the apiserver does not run on a value outside its enum, and says so
    expect(run.stderr.trim()).toBe('The Config "cluster" is invalid: \n* spec.logLevel: Unsupported value: "Loud": supported values: "", "Normal", "Debug", "Trace", "TraceAll"\n* <nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation');
  });

  it('a stale replace gets the real Conflict message', async () => {
    const got = await kubectl(['get', 'configs.imageregistry.operator.openshift.io', 'cluster', '-o', 'yaml']);
    const file = await writeManifest('stale.yaml', got.stdout);
    await target.outsideWrite(cluster, configRef, { spec: { readOnly: true } });
    const run = await kubectl(['replace', '-f', file]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `Error from server (Conflict): error when replacing "${file}": Operation cannot be fulfilled on configs.imageregistry.operator.openshift.io "cluster": the object has been modified; please apply your changes to the latest version and try again`,
    );
  });

  it('replace with the live resourceVersion succeeds', async () => {
    const got = await kubectl(['get', 'configs.imageregistry.operator.openshift.io', 'cluster', '-o', 'yaml']);
    const live = parse(got.stdout) as { spec: Record<string, unknown> };
    live.spec['readOnly'] = false;
    const file = await writeManifest('fresh.json', JSON.stringify(live));
    const run = await kubectl(['replace', '-f', file]);
    expect(run.code, run.stderr).toBe(0);
    expect((await readConfig()).spec['readOnly']).toBe(false);
  });

  it('an unknown field under fieldValidation=Strict is a BadRequest naming it', async () => {
    const file = await writeManifest('unknown.yaml', 'apiVersion: imageregistry.operator.openshift.io/v1\nkind: ImagePruner\nmetadata:\n  name: cluster\nspec:\n  schedule: ""\n  foo: 1\n');
    const run = await kubectl(['replace', '-f', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('strict decoding error: unknown field "spec.foo"');
  });

  it('kubectl diff shows the change without persisting it (dryRun=All)', async () => {
    const generationBefore = (await readConfig()).metadata.generation;
    const file = await writeManifest('diff.yaml', 'apiVersion: imageregistry.operator.openshift.io/v1\nkind: Config\nmetadata:\n  name: cluster\nspec:\n  replicas: 3\n  logLevel: Trace\n');
    const run = await kubectl(['diff', '-f', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('+  logLevel: Trace');
    expect(run.stdout).toContain('-  logLevel: Normal');
    expect((await readConfig()).spec['logLevel']).toBe('Normal');
    expect((await readConfig()).metadata.generation).toBe(generationBefore);
  });

  it('apply --server-side creates, conflicts with another manager, and wins with --force-conflicts', async () => {
    const file = await writeManifest('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: team-cas\n  namespace: openshift-config\ndata:\n  a: "1"\n');
    const created = await kubectl(['apply', '--server-side', '-f', file]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trim()).toBe('configmap/team-cas serverside-applied');
    await target.outsideWrite(cluster, { apiVersion: 'v1', kind: 'ConfigMap', name: 'team-cas', namespace: 'openshift-config' }, { data: { a: '2' } });
    const conflict = await kubectl(['apply', '--server-side', '-f', file]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/^error: Apply failed with 1 conflict: conflict with "kubectl-patch" using v1: \.data\.a\n/);
    const forced = await kubectl(['apply', '--server-side', '--force-conflicts', '-f', file]);
    expect(forced.code, forced.stderr).toBe(0);
    const cm = await target.getObject(cluster, { apiVersion: 'v1', kind: 'ConfigMap', name: 'team-cas', namespace: 'openshift-config' }) as { data: Record<string, string> };
    expect(cm.data).toEqual({ a: '1' });
  });

  it('client-side apply configures, then reports unchanged', async () => {
    const file = await writeManifest('cm2.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: client-side\n  namespace: openshift-config\ndata:\n  k: v\n');
    const first = await kubectl(['apply', '-f', file]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe('configmap/client-side created');
    const second = await kubectl(['apply', '-f', file]);
    expect(second.stdout.trim()).toBe('configmap/client-side unchanged');
  });

  it('create secret generic --from-literal (sent as protobuf) stores the data', async () => {
    const run = await kubectl([
      'create', 'secret', 'generic', 'image-registry-private-configuration-user',
      '--from-literal=REGISTRY_STORAGE_S3_ACCESSKEY=AKIAEXAMPLE', '--from-literal=REGISTRY_STORAGE_S3_SECRETKEY=example-secret',
      '-n', 'openshift-image-registry',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('secret/image-registry-private-configuration-user created');
    const secret = await target.getObject(cluster, { apiVersion: 'v1', kind: 'Secret', name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' }) as { type: string; data: Record<string, string> };
    expect(secret.type).toBe('Opaque');
    expect(Buffer.from(secret.data['REGISTRY_STORAGE_S3_ACCESSKEY'] ?? '', 'base64').toString()).toBe('AKIAEXAMPLE');
    const back = await kubectl(['get', 'secret', 'image-registry-private-configuration-user', '-n', 'openshift-image-registry', '-o', 'jsonpath={.data.REGISTRY_STORAGE_S3_SECRETKEY}']);
    expect(Buffer.from(back.stdout, 'base64').toString()).toBe('example-secret');
  });

  it('create configmap --from-file (sent as protobuf) stores the file under the given key', async () => {
    const pem = await writeManifest('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const run = await kubectl(['create', 'configmap', 'registry-config', `--from-file=registry.example.com..5000=${pem}`, '-n', 'openshift-config']);
    expect(run.code, run.stderr).toBe(0);
    const back = await kubectl(['get', 'configmap', 'registry-config', '-n', 'openshift-config', '-o', 'yaml']);
    const cm = parse(back.stdout) as { data: Record<string, string> };
    expect(cm.data['registry.example.com..5000']).toBe('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  });

  it("the documentation's additionalTrustedCA patch: a missing ConfigMap degrades the ClusterOperator, the created one clears it", async () => {
    const degradedOf = async (): Promise<string> =>
      (await kubectl(['get', 'clusteroperators.config.openshift.io', 'image-registry', '-o', 'jsonpath={.status.conditions[?(@.type=="Degraded")].status}/{.status.conditions[?(@.type=="Degraded")].reason}'])).stdout;
    const missing = await kubectl(['patch', 'image.config.openshift.io/cluster', '--patch', '{"spec":{"additionalTrustedCA":{"name":"no-such-cm"}}}', '--type=merge']);
    expect(missing.code, missing.stderr).toBe(0);
    const waitDegraded = await kubectl(['wait', '--for=condition=Degraded=True', 'clusteroperators.config.openshift.io/image-registry', '--timeout=30s']);
    expect(waitDegraded.code, waitDegraded.stderr).toBe(0);
    expect(await degradedOf()).toBe('True/ImageRegistryCertificatesControllerError');
    const fixed = await kubectl(['patch', 'image.config.openshift.io/cluster', '--patch', '{"spec":{"additionalTrustedCA":{"name":"registry-config"}}}', '--type=merge']);
    expect(fixed.code, fixed.stderr).toBe(0);
    const waitHealthy = await kubectl(['wait', '--for=condition=Degraded=False', 'clusteroperators.config.openshift.io/image-registry', '--timeout=30s']);
    expect(waitHealthy.code, waitHealthy.stderr).toBe(0);
  });

  it('explain configs.spec reads the CRD description from OpenAPI v3', async () => {
    const run = await kubectl(['explain', 'configs.spec']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('ImageRegistrySpec defines the specs for the running registry.');
    expect(run.stdout).toContain('managementState');
  });

  it('a missing object prints the real NotFound message', async () => {
    const run = await kubectl(['get', 'configs.imageregistry.operator.openshift.io', 'nope']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('Error from server (NotFound): configs.imageregistry.operator.openshift.io "nope" not found');
  });

  it('the readonly token reads but is Forbidden to write', async () => {
    const token = target.readonlyToken(cluster);
    const read = await kubectl(['get', 'configs.imageregistry.operator.openshift.io', 'cluster', '-o', 'name'], { token });
    expect(read.stdout.trim()).toBe('config.imageregistry.operator.openshift.io/cluster');
    const write = await kubectl(['patch', 'configs.imageregistry.operator.openshift.io', 'cluster', '--type', 'merge', '-p', '{"spec":{"replicas":2}}'], { token });
    expect(write.code).toBe(1);
    expect(write.stderr.trim()).toBe(
      'Error from server (Forbidden): configs.imageregistry.operator.openshift.io "cluster" is forbidden: User "system:serviceaccount:regops:readonly" cannot patch resource "configs" in API group "imageregistry.operator.openshift.io" at the cluster scope',
    );
  });

  itWhere(['s3-checks-keys'], 'wrong keys in the user secret keep the registry Progressing with reason Error; deleting the secret lets kubectl wait see it settle', async () => {
    // the secret created above holds keys the sandbox S3 does not know (operator-test-cases.md TestAWSUpdateCredentials)
    const reason = await kubectl(['get', 'configs.imageregistry.operator.openshift.io', 'cluster', '-o', 'jsonpath={.status.conditions[?(@.type=="StorageExists")].reason}']);
    expect(reason.stdout).toBe('InvalidAccessKeyId');
    const progressing = await kubectl(['get', 'clusteroperators.config.openshift.io', 'image-registry', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].status}/{.status.conditions[?(@.type=="Progressing")].reason}']);
    expect(progressing.stdout).toBe('True/Error');
    const removed = await kubectl(['delete', 'secret', 'image-registry-private-configuration-user', '-n', 'openshift-image-registry']);
    expect(removed.code, removed.stderr).toBe(0);
    const run = await kubectl(['wait', '--for=condition=Progressing=False', 'clusteroperators.config.openshift.io/image-registry', '--timeout=30s']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('clusteroperator.config.openshift.io/image-registry condition met');
  });

  it('a deleted ImagePruner is recreated by the operator', async () => {
    const before = (await target.getObject(cluster, { apiVersion: configRef.apiVersion, kind: 'ImagePruner', name: 'cluster' }) as { metadata: { uid: string } }).metadata.uid;
    const run = await kubectl(['delete', 'imagepruners.imageregistry.operator.openshift.io', 'cluster']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('imagepruner.imageregistry.operator.openshift.io "cluster" deleted');
    const wait = await kubectl(['wait', '--for=jsonpath={.spec.keepTagRevisions}=3', 'imagepruners.imageregistry.operator.openshift.io/cluster', '--timeout=30s']);
    expect(wait.code, wait.stderr).toBe(0);
    const after = (await target.getObject(cluster, { apiVersion: configRef.apiVersion, kind: 'ImagePruner', name: 'cluster' }) as { metadata: { uid: string } }).metadata.uid;
    expect(after).not.toBe(before);
  });

  it('get without -o prints the server-side Table columns (ClusterOperator printer columns)', async () => {
    const run = await kubectl(['get', 'clusteroperators.config.openshift.io']);
    expect(run.code, run.stderr).toBe(0);
    const [header, row] = run.stdout.trim().split('\n');
    expect(header?.split(/\s+/)).toEqual(['NAME', 'VERSION', 'AVAILABLE', 'PROGRESSING', 'DEGRADED', 'SINCE']);
    const operator = parse((await kubectl(['get', 'clusteroperators.config.openshift.io', 'image-registry', '-o', 'yaml'])).stdout) as { status: { versions: Array<{ name: string; version: string }> } };
    const version = operator.status.versions.find((v) => v.name === 'operator')?.version;
    expect(row?.split(/\s+/).slice(0, 5)).toEqual(['image-registry', version, 'True', 'False', 'False']);
  });

  it('get -w streams Table rows as the ClusterOperator moves through Progressing', async () => {
    const args = ['--kubeconfig', target.kubeconfig, '--context', cluster, '--cache-dir', join(dir, 'cache'), 'get', 'clusteroperators.config.openshift.io', '-w'];
    const child = spawn(kubectlBinary, args, { env: { ...process.env, HOME: dir } });
    let output = '';
    const rows = (): string[] => output.split('\n').slice(1).filter((line) => line.trim() !== '');
    const waiters: Array<{ test: () => boolean; done: () => void }> = [];
    const until = (test: () => boolean): Promise<void> => new Promise((resolve) => (test() ? resolve() : waiters.push({ test, done: resolve })));
    const ended = new Promise<never>((_resolve, reject) => child.on('exit', () => reject(new Error(`kubectl get -w ended early: ${output}`))));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      for (const waiter of waiters.filter((w) => w.test())) waiter.done();
    });
    const timeline = (pattern: RegExp, after: number) => () => pattern.test(rows().slice(after).join('\n'));
    try {
      await Promise.race([until(() => rows().length >= 1), ended]);
      // a nodeSelector no node matches: the new registry pods stay Pending, so Progressing holds (on the
      // real operator a logLevel change settles before KWOK's pods are even watched, measured on the testbed)
      const listed = rows().length;
      await target.outsideWrite(cluster, configRef, { spec: { nodeSelector: { 'regops.io/no-such-node': 'true' } } });
      await Promise.race([until(timeline(/True\s+True\s+False/, listed)), ended]);
      const progressing = rows().length;
      await target.outsideWrite(cluster, configRef, { spec: { nodeSelector: null } });
      await Promise.race([until(timeline(/True\s+False\s+False/, progressing)), ended]);
    } finally {
      child.kill();
    }
    expect(output.split('\n')[0]?.split(/\s+/)).toEqual(['NAME', 'VERSION', 'AVAILABLE', 'PROGRESSING', 'DEGRADED', 'SINCE']);
  }, timeoutFor(60_000));

  it('a bad token is Unauthorized', async () => {
    const run = await kubectl(['get', 'namespaces'], { token: 'not-a-token' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
  });
});
