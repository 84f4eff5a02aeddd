import type { FaultControl } from './fault-control.ts';

/** How to start the sandbox (docs/interfaces.md §2). */
export interface SandboxOptions {
  /** Read spec.clusters[].name + labels.platform/region from this fleet.yaml. */
  fleetFile?: string;
  /** Or generate N clusters sbx-0001… (platform aws, region us-east-1). */
  clusters?: number;
  /** 0 = a free port (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where to write the kubeconfig (one context per cluster, named after it). */
  kubeconfigPath?: string;
  /** How long a spec change keeps Progressing=True (default 3000). */
  progressingMs?: number;
  /** The operator's "Available False > 5 min ⇒ Degraded", compressed (default 300000). */
  degradedAfterMs?: number;
  /** The registry Deployment's progressDeadlineSeconds, compressed (default 120000): pods that cannot schedule turn Degraded ProgressDeadlineExceeded after it. */
  progressDeadlineMs?: number;
  /**
   * How long the simulated Deployment controller takes to observe a new registry template (default 0):
   * the real operator's stale Progressing=False window (simulated-operator.ts OperatorTiming). Off by
   * default while test/integration/cli/crash-rerun.test.ts expects Progressing True at the gate's first poll.
   */
  deploymentObserveLagMs?: number;
  /** Seed clusters from `oc get -o yaml` dumps: seedDir/<cluster>/*.yaml. */
  seedDir?: string;
  /**
   * Benchmarks only (test/bench/drift.bench.ts): clients whose TLS server name (SNI) is this name get an
   * ECDSA P-256 certificate for it, signed by the same CA; every other client gets the RSA-2048
   * certificate as without the option. ECDSA signs a handshake for a fraction of RSA's CPU, so the
   * one-threaded sandbox, which terminates every cluster's handshakes where a real fleet has an
   * apiserver per cluster, takes less of the machine while a bench measures the client. Default: off.
   */
  ecdsaServerName?: string;
}

/** Names one object in a cluster. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** Request counters. */
export interface SandboxStats {
  requests: number;
  byCluster: Record<string, { reads: number; writes: number }>;
}

/** A running sandbox fleet (docs/interfaces.md §2). */
export interface Sandbox {
  /** https://127.0.0.1:PORT */
  url: string;
  /** Kubeconfig YAML; also written to kubeconfigPath when given. */
  kubeconfig: string;
  kubeconfigPath?: string;
  /** The sandbox CA (PEM). */
  caPem: string;
  /**
   * Bearer token the `/_sandbox/*` control endpoints require (random per start): without it anyone on
   * the machine could inject faults, rewrite objects or shut the fleet down.
   */
  adminToken: string;
  clusters: string[];
  /** https://127.0.0.1:PORT/clusters/<name> */
  clusterUrl(name: string): string;
  token(name: string, access?: 'admin' | 'readonly'): string;
  /** For AWS SDK clients (S3 with forcePathStyle; trust caPem). */
  aws: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
  faults(name: string): FaultControl;
  /** A person running `oc patch --type merge`: bumps resourceVersion (and generation on spec changes). */
  outsideWrite(name: string, ref: ObjectRef, mergePatch: object): Promise<void>;
  /** Direct read for test assertions (a JSON copy), undefined when absent. */
  getObject(name: string, ref: ObjectRef): unknown;
  stats(): SandboxStats;
  stop(): Promise<void>;
}
