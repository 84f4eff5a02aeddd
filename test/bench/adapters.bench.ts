// Adapter figures: (1) KubeClusterClient reads against the sandbox with the pooled keep-alive agent
// versus client-node's stock agent (a new TLS connection per request), (2) GitHubConfigSource on a
// generated 1,000-cluster config repository: requests and time for a first load and for the next
// commit (blob cache). Printed, never asserted. Run: npx tsx test/bench/adapters.bench.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterClient } from '../../functions/engine/ports.ts';
import { GitHubConfigSource } from '../../functions/adapters/github/github-config-source.ts';
import { KubeClusterClient, createKubeClusterClient } from '../../functions/adapters/kubernetes/kube-cluster-client.ts';
import type { ResourceRef } from '../../functions/core/model.ts';
import { startSandbox } from '../../functions/sandbox/index.ts';
import { startGitHubStandIn } from '../support/github-stand-in.ts';

const CLUSTERS = 100;
const CONCURRENCY = 25;
const refs: ResourceRef[] = [
  { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' },
  { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'ImagePruner', name: 'cluster' },
  { apiVersion: 'config.openshift.io/v1', kind: 'Image', name: 'cluster' },
  { apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator', name: 'image-registry' },
  { apiVersion: 'v1', kind: 'Secret', name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' },
];

async function runPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const item = items[next];
        next += 1;
        if (item !== undefined) await work(item);
      }
    }),
  );
}

async function benchKube(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'regops-bench-'));
  const sandbox = await startSandbox({ clusters: CLUSTERS, kubeconfigPath: join(dir, 'kubeconfig'), progressingMs: 50 });
  try {
    const base = new KubeConfig();
    base.loadFromFile(join(dir, 'kubeconfig'));
    const configFor = (name: string): KubeConfig => {
      const kc = new KubeConfig();
      kc.loadFromOptions({ clusters: base.clusters, users: base.users, contexts: base.contexts, currentContext: name });
      return kc;
    };
    const variants: Array<[string, (name: string) => Promise<ClusterClient>]> = [
      ['pooled keep-alive agent', (name) => createKubeClusterClient(name, configFor(name))],
      ["client-node's stock agent", (name) => Promise.resolve(new KubeClusterClient(name, configFor(name), undefined))],
    ];
    for (const [label, build] of variants) {
      const clients = await Promise.all(sandbox.clusters.map(build));
      // two rounds: the first pays connection set-up, the second is what a later scan pays
      for (const round of [1, 2]) {
        const started = performance.now();
        await runPool(clients, CONCURRENCY, async (client) => {
          for (const ref of refs) await client.get(ref);
        });
        const ms = performance.now() - started;
        const requests = clients.length * refs.length;
        console.log(`kube ${label}, round ${round}: ${requests} GETs over ${clients.length} clusters at concurrency ${CONCURRENCY}: ${ms.toFixed(0)} ms, ${((requests / ms) * 1000).toFixed(0)} GET/s, ${(ms / clients.length).toFixed(2)} ms wall per cluster`);
      }
    }
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchGitHub(): Promise<void> {
  const standIn = await startGitHubStandIn();
  try {
    const files: Record<string, string> = {
      'fleet.yaml': `apiVersion: regops/v1\nkind: Fleet\nspec:\n  clusters:\n${Array.from({ length: 1000 }, (_, i) => `    - name: c-${i}\n`).join('')}`,
      'base/registry.yaml': 'spec:\n  replicas: 2\n',
      'base/pruner.yaml': 'spec:\n  schedule: "0 0 * * *"\n',
      'README.md': '# fleet\n',
    };
    for (let i = 0; i < 1000; i += 1) {
      files[`clusters/c-${i}/registry.yaml`] = `spec:\n  replicas: ${2 + (i % 3)}\n  logLevel: Normal # c-${i}\n`;
      files[`clusters/c-${i}/storage.yaml`] = `kind: RegistryStorage\nspec:\n  bucket: regops-c-${i}\n`;
    }
    const first = standIn.addCommit('acme', 'fleet', files);
    const second = standIn.addCommit('acme', 'fleet', { ...files, 'clusters/c-7/registry.yaml': 'spec:\n  replicas: 5\n' });
    const source = new GitHubConfigSource({ owner: 'acme', repo: 'fleet', baseUrl: standIn.url, blobConcurrency: 16 });
    for (const [label, sha] of [
      ['first load', first],
      ['next commit, same source', second],
    ] as const) {
      const before = standIn.requests.length;
      const started = performance.now();
      const snapshot = await source.load(sha);
      const ms = performance.now() - started;
      const sent = standIn.requests.slice(before);
      console.log(
        `github ${label}: ${snapshot.files.length} files, ${sent.length} requests (${sent.filter((r) => r.path.includes('/git/trees/')).length} tree, ${sent.filter((r) => r.path.includes('/git/blobs/')).length} blobs), ${ms.toFixed(0)} ms`,
      );
    }
  } finally {
    await standIn.stop();
  }
}

await benchKube();
await benchGitHub();
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
