/**
 * `npm run demo`: the story of regops against a local sandbox fleet started in-process from
 * config/fleet.yaml (short progress and bake times); `npm run demo -- --testbed` tells it on the real
 * testbed instead (demo-fleet.ts). Every step is the real `regops` command line
 * (runRegops, the same code `npx regops` runs), checked for the exit code it should give, so the demo
 * also fails loudly in CI when the story stops being true.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { toError } from '../core/errors.ts';
import type { JsonObject } from '../core/model.ts';
import { validateFleet } from '../engine/load-fleet.ts';
import { LocalConfigSource } from '../adapters/local-fs/local-config-source.ts';
import { startSandboxFleet, startTestbedFleet } from './demo-fleet.ts';
import { DemoError } from './demo-error.ts';
import { findKubectl, runKubectl } from './demo-kubectl.ts';
import { runRegops } from './main.ts';
import { systemClock } from '../adapters/system-clock.ts';
import { registryRefs } from '../core/resource-ref.ts';

const configRef = registryRefs.config;
const bold = (text: string): string => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[0m` : text);
const say = (text: string): void => void process.stdout.write(`${text}\n`);

function heading(title: string, why: string): void {
  say(`\n${bold(`== ${title}`)}\n${why}\n`);
}

async function step(argv: string[], expected: number, meaning: string): Promise<void> {
  say(`$ regops ${argv.join(' ')}`);
  const code = await runRegops(argv);
  say(`(exit ${code}: ${meaning})`);
  if (code !== expected) throw new DemoError(argv[0] ?? '', code, expected, meaning);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

async function main(): Promise<void> {
  const started = Date.now();
  // the SDK's notice about a future Node requirement is noise in a story told on Node 20
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const work = await mkdtemp(join(tmpdir(), 'regops-demo-'));
  const onTestbed = process.argv.slice(2).includes('--testbed');
  heading('0. A fleet to work on', onTestbed ? 'The real testbed: real control planes with the real image registry operator (started below).' : 'The sandbox starts every cluster of config/fleet.yaml on one local HTTPS port, with the image registry operator simulated: AWS clusters Managed on S3, bare metal still Removed.');
  const sandbox = onTestbed ? await startTestbedFleet(work, say) : await startSandboxFleet(work);
  try {
    const kubeconfig = sandbox.kubeconfig;
    if (onTestbed) say(sandbox.intro);
    Object.assign(process.env, sandbox.env);
    say(`${sandbox.clusters.length} clusters at ${sandbox.where}: ${sandbox.clusters.join(', ')}\nkubeconfig ${kubeconfig}`);
    const fleet = await validateFleet({ config: new LocalConfigSource(sandbox.configDir), clock: systemClock });
    const kube = ['--config', sandbox.configDir, '--kubeconfig', kubeconfig];
    const reports = join(work, 'reports');
    const owns = (name: string): boolean => fleet.clusters.find((c) => c.cluster === name)?.objects.some((o) => o.ref.kind === 'Config' && typeof (o.body['spec'] as JsonObject | undefined)?.['replicas'] === 'number') === true;
    const enforced = fleet.clusters.find((c) => c.policy === 'enforce' && owns(c.cluster));
    const informed = fleet.clusters.find((c) => c.policy === 'inform' && owns(c.cluster) && c.labels['platform'] !== 'baremetal');
    const metal = fleet.clusters.find((c) => c.labels['platform'] === 'baremetal' && c.bucket !== undefined);
    const shown = [metal, enforced].flatMap((c) => (c === undefined ? [] : ['--cluster', c.cluster]));

    heading('1. Validate', 'YAML, the real CRD schemas and the registry rules; every finding names FILE:LINE:COL.');
    await step(['validate', '--config', sandbox.configDir], 0, 'valid');

    heading('2. Plan', 'What would change on each cluster: only the fields Git owns, never what the operator fills in (httpSecret, bucket names, defaults). Shown here for the bare-metal cluster and one prod cluster; without --cluster it plans the whole fleet.');
    await step(['plan', ...kube, ...shown], 2, 'changes to make');

    heading('3. Roll out in waves', 'Canary first; each cluster is dry-run, patched with only the changed fields, then must pass the health gate (ClusterOperator Available, not Progressing, not Degraded). Bare metal is bootstrapped: S3 bucket, credentials secret, storage, Managed.');
    await step(['rollout', ...kube, '--bake', '1s', '--timeout', sandbox.gateTimeout, '--report-dir', reports], 0, 'every wave healthy');
    for (const desired of fleet.clusters.filter((c) => c.labels['platform'] === 'baremetal' && c.bucket !== undefined)) {
      const live = await sandbox.getObject(desired.cluster, configRef);
      const spec = (live?.['spec'] ?? {}) as JsonObject;
      say(`${desired.cluster} (bare metal): managementState ${String(spec['managementState'])}, storage ${JSON.stringify(spec['storage'])}, bucket ${desired.bucket?.name ?? ''} provisioned by regops`);
    }
    const kubectl = await findKubectl();
    if (kubectl !== undefined && enforced !== undefined) {
      say(`\nWhat the operator says on ${enforced.cluster} now (AVAILABLE True, PROGRESSING False, DEGRADED False is the health gate):`);
      await runKubectl(kubectl, ['--kubeconfig', kubeconfig, '--context', enforced.cluster, 'get', 'clusteroperators', 'image-registry'], say);
      say('');
    }
    await step(['plan', ...kube, '-o', 'markdown'], 0, 'nothing left to change: applying the same commit again writes nothing');

    heading('4. Someone changes a cluster by hand', 'A person scales the registry down with `kubectl patch` (`oc patch` is the same) on two clusters, outside Git.');
    const patch = { spec: { replicas: 1 } };
    if (kubectl === undefined) say('(kubectl not found: the sandbox applies the same merge patch to each cluster)');
    for (const target of [enforced, informed]) {
      if (target === undefined) continue;
      if (kubectl === undefined) {
        if (sandbox.outsideWrite === undefined) throw new Error('demo --testbed: kubectl is needed for the hand-made change');
        say(`${target.cluster}: merge patch ${JSON.stringify(patch)} on configs.imageregistry.operator.openshift.io/cluster`);
        await sandbox.outsideWrite(target.cluster, configRef, patch);
      } else {
        await runKubectl(kubectl, ['--kubeconfig', kubeconfig, '--context', target.cluster, 'patch', 'configs.imageregistry.operator.openshift.io/cluster', '--type', 'merge', '-p', JSON.stringify(patch)], say);
      }
    }

    heading('5. Drift', 'A read-only scan finds both changes (--no-enforce: report only, even where the policy is enforce).');
    await step(['drift', ...kube, '--no-enforce'], 2, 'drift found');
    heading('6. Drift with the fleet policy', `Clusters whose policy is enforce are corrected through the same apply path and health gate; the reports go to ${reports}.`);
    await step(['drift', ...kube, '--timeout', sandbox.gateTimeout, '--report-dir', reports], 2, 'drift found (and corrected where enforced)');
    if (enforced !== undefined && kubectl !== undefined) {
      say(`\n${enforced.cluster} (policy enforce) has Git's replicas again; ${informed?.cluster ?? 'the inform cluster'} (policy inform) keeps the hand-made ${patch.spec.replicas} until someone acts:`);
      for (const target of [enforced, informed]) {
        if (target !== undefined) await runKubectl(kubectl, ['--kubeconfig', kubeconfig, '--context', target.cluster, 'get', 'configs.imageregistry.operator.openshift.io/cluster', '-o', 'jsonpath={.spec.replicas}{"\\n"}'], say);
      }
    } else if (enforced !== undefined) {
      say(`${enforced.cluster}: spec.replicas is ${String((((await sandbox.getObject(enforced.cluster, configRef)) ?? {})['spec'] as JsonObject)['replicas'])} again (Git's value, read from the sandbox)`);
    }
    say(`\nReport files (JSON, Markdown and the HTML page a team opens):\n  ${(await listFiles(reports)).join('\n  ')}`);
    say(`\n${bold('Done')} in ${((Date.now() - started) / 1000).toFixed(1)} s. Open ${join(reports, 'latest', 'index.html')} in a browser.`);
  } finally {
    await sandbox.stop();
  }
}

main().then(
  () => { process.exitCode = 0; },
  (error: unknown) => {
    process.stderr.write(`regops demo: ${toError(error).message}\n`);
    process.exitCode = 1;
  },
);
