import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { freePort } from './free-port.ts';
import { workerNodes } from './cluster-objects.ts';
import { KubeClient } from './kube-client.ts';
import { startProcess, type ManagedProcess } from './managed-process.ts';
import { TestbedError } from './testbed-error.ts';
import type { TestbedCa } from './testbed-tls.ts';

/** One cluster's control plane: etcd, kube-apiserver (with the OpenShift CRDs), controller-manager, scheduler, KWOK. */
export interface ControlPlane {
  name: string;
  server: string;
  token: string;
  /** a token whose user (system:serviceaccount:regops:readonly, as the sandbox's) may get, list and watch everything and write nothing */
  readonlyToken: string;
  kube: KubeClient;
  kubeconfigFile: string;
  processes: ManagedProcess[];
  dir: string;
  /** the kube-apiserver's audit log (JSON lines, level Metadata; leases, events, watches and health probes left out) */
  auditLog: string;
  /** stops the kube-apiserver (clients get connection refused: the cluster is down) */
  stopApiServer(): Promise<void>;
  /** starts it again with the same flags (etcd kept the data) and returns when /readyz answers */
  startApiServer(): Promise<void>;
}

// Every API request but the chatter (leader leases, events, watches, probes), at level Metadata: who
// (user agent), what (verb, URI) and the answer's code, so a test can count what one client asked.
const auditPolicy = JSON.stringify({
  apiVersion: 'audit.k8s.io/v1', kind: 'Policy', omitStages: ['RequestReceived', 'ResponseStarted'],
  rules: [
    { level: 'None', resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }, { group: '', resources: ['events'] }, { group: 'events.k8s.io' }] },
    { level: 'None', verbs: ['watch'] },
    { level: 'None', nonResourceURLs: ['/healthz*', '/readyz*', '/livez*'] },
    { level: 'Metadata' },
  ],
});

const readonlyUser = 'system:serviceaccount:regops:readonly';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, processes: ManagedProcess[], timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = processes.find((p) => p.exited);
    if (dead !== undefined) throw new TestbedError('process.exited', `${dead.name} exited while waiting for ${what}; its log ${dead.logFile} ends:\n${dead.tail()}`, { process: dead.name });
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new TestbedError('cluster.timeout', `${what} not ready after ${Math.round(timeoutMs / 1000)} s`, { what });
    await sleep(300);
  }
}

function kubeconfigFor(name: string, server: string, token: string, caPem: string): string {
  const ca = Buffer.from(caPem).toString('base64');
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': name,
    clusters: [{ name, cluster: { server, 'certificate-authority-data': ca } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
  });
}

/** Starts the processes of one cluster in dependency order and returns when the CRDs are Established. */
export async function startControlPlane(name: string, options: { bin: string; share: string; dir: string; ca: TestbedCa }): Promise<ControlPlane> {
  const { bin, share, dir, ca } = options;
  await mkdir(join(dir, 'etcd'), { recursive: true });
  const processes: ManagedProcess[] = [];
  const log = (process: string): string => join(dir, `${process}.log`);
  try {
    const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    processes.push(startProcess(`${name}/etcd`, join(bin, 'etcd'), [
      '--name=testbed', `--data-dir=${join(dir, 'etcd')}`, `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`, `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`, `--initial-cluster=testbed=http://127.0.0.1:${peerPort}`,
      // a throw-away store: no fsync, small quota, quiet
      '--unsafe-no-fsync=true', '--quota-backend-bytes=536870912', '--log-level=warn',
    ], { logFile: log('etcd') }));

    const token = randomBytes(24).toString('hex');
    const serving = await ca.issue({ dns: ['localhost', 'kubernetes', 'kubernetes.default.svc'], ips: ['127.0.0.1', '10.96.0.1'] }, `${name}-apiserver`);
    const saKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const files = { cert: join(dir, 'apiserver.crt'), key: join(dir, 'apiserver.key'), sa: join(dir, 'sa.key'), tokens: join(dir, 'tokens.csv'), ca: join(dir, 'ca.crt'), kubeconfig: join(dir, 'kubeconfig'), auditPolicy: join(dir, 'audit-policy.json'), auditLog: join(dir, 'audit.log') };
    await writeFile(files.auditPolicy, auditPolicy);
    await writeFile(files.cert, serving.certPem);
    await writeFile(files.key, serving.keyPem, { mode: 0o600 });
    await writeFile(files.sa, saKey, { mode: 0o600 });
    await writeFile(files.ca, ca.caPem);
    const readonlyToken = randomBytes(24).toString('hex');
    await writeFile(files.tokens, `${token},testbed-admin,testbed-admin,system:masters\n${readonlyToken},${readonlyUser},regops-readonly\n`, { mode: 0o600 });
    const server = `https://127.0.0.1:${apiPort}`;
    await writeFile(files.kubeconfig, kubeconfigFor(name, server, token, ca.caPem), { mode: 0o600 });
    const kube = new KubeClient(name, server, token, ca.caPem);

    await waitFor(`${name}: etcd`, processes, 60_000, async () => (await fetch(`${etcdUrl}/health`)).ok);
    const apiServerArgs = [
      `--etcd-servers=${etcdUrl}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
      `--tls-cert-file=${files.cert}`, `--tls-private-key-file=${files.key}`, `--cert-dir=${dir}`, `--token-auth-file=${files.tokens}`,
      '--authorization-mode=RBAC', `--service-account-key-file=${files.sa}`, `--service-account-signing-key-file=${files.sa}`,
      '--service-account-issuer=https://kubernetes.default.svc', '--service-cluster-ip-range=10.96.0.0/16', '--allow-privileged=true',
      // no kubelets and no Service VIPs here: the kubernetes Endpoints would name 127.0.0.1, which validation rejects
      '--endpoint-reconciler-type=none', '--enable-priority-and-fairness=false', '--profiling=false', '--v=1',
      `--audit-policy-file=${files.auditPolicy}`, `--audit-log-path=${files.auditLog}`, '--audit-log-format=json', '--audit-log-mode=blocking',
    ];
    const startApiServerProcess = (): ManagedProcess => startProcess(`${name}/kube-apiserver`, join(bin, 'kube-apiserver'), apiServerArgs, { logFile: log('kube-apiserver') });
    const apiServerIndex = processes.push(startApiServerProcess()) - 1;
    await waitFor(`${name}: kube-apiserver /readyz`, processes, 180_000, async () => (await kube.call('GET', '/readyz')).status === 200);

    // the OpenShift CRDs (share/crds, copied by test/testbed/build.sh), then wait until every one is Established
    const crdNames: string[] = [];
    for (const file of (await readdir(join(share, 'crds'))).sort()) {
      for (const doc of parseAllDocuments(await readFile(join(share, 'crds', file), 'utf8'))) {
        const crd = doc.toJS() as Record<string, unknown> | null;
        if (crd === null || crd['kind'] !== 'CustomResourceDefinition') continue;
        await kube.create('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
        crdNames.push(String((crd['metadata'] as Record<string, unknown>)['name']));
      }
    }
    await waitFor(`${name}: CRDs Established`, processes, 60_000, async () => {
      for (const crd of crdNames) {
        const live = await kube.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd}`);
        const conditions = ((live?.['status'] as Record<string, unknown> | undefined)?.['conditions'] ?? []) as Array<Record<string, unknown>>;
        if (!conditions.some((c) => c['type'] === 'Established' && c['status'] === 'True')) return false;
      }
      return true;
    });

    // the read-only user: RBAC decides what it may do, as on any real cluster
    await kube.create('/apis/rbac.authorization.k8s.io/v1/clusterroles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'regops-readonly' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }] });
    await kube.create('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'regops-readonly' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'regops-readonly' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: readonlyUser }] });

    const kc = `--kubeconfig=${files.kubeconfig}`;
    processes.push(startProcess(`${name}/kube-controller-manager`, join(bin, 'kube-controller-manager'), [
      kc, '--leader-elect=false', '--secure-port=0', `--service-account-private-key-file=${files.sa}`, `--root-ca-file=${files.ca}`,
      '--use-service-account-credentials=false', '--controllers=*', '--concurrent-gc-syncs=5', '--v=1',
    ], { logFile: log('kube-controller-manager') }));
    processes.push(startProcess(`${name}/kube-scheduler`, join(bin, 'kube-scheduler'), [kc, '--leader-elect=false', '--secure-port=0', '--v=1'], { logFile: log('kube-scheduler') }));
    processes.push(startProcess(`${name}/kwok`, join(bin, 'kwok'), [kc, '--manage-all-nodes=true', `--config=${join(share, 'kwok-stages.yaml')}`, '--cidr=10.128.0.0/16', '--node-ip=127.0.0.1'], { logFile: log('kwok') }));
    const stopApiServer = async (): Promise<void> => processes[apiServerIndex]?.stop();
    const startApiServer = async (): Promise<void> => {
      if (processes[apiServerIndex]?.exited !== true) return;
      processes[apiServerIndex] = startApiServerProcess();
      await waitFor(`${name}: kube-apiserver /readyz after a restart`, processes, 180_000, async () => (await kube.call('GET', '/readyz')).status === 200);
    };
    return { name, server, token, readonlyToken, kube, kubeconfigFile: files.kubeconfig, processes, dir, auditLog: files.auditLog, stopApiServer, startApiServer };
  } catch (error) {
    await stopProcesses(processes);
    throw error;
  }
}

/** Stops processes in reverse start order. */
export async function stopProcesses(processes: ManagedProcess[]): Promise<void> {
  for (const process of [...processes].reverse()) await process.stop();
}

/** Waits until the cluster's KWOK nodes (cluster-objects.ts workerNodes) are Ready. */
export async function waitForNodes(plane: ControlPlane, timeoutMs = 90_000): Promise<void> {
  await waitFor(`${plane.name}: KWOK nodes Ready`, plane.processes, timeoutMs, async () => {
    const list = await plane.kube.get('/api/v1/nodes');
    const items = (list?.['items'] ?? []) as Array<{ status?: { conditions?: Array<{ type: string; status: string }> } }>;
    return items.length >= workerNodes.length && items.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true);
  });
}

export { waitFor };
