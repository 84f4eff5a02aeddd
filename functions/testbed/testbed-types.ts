/** What the testbed runs: one real control plane per cluster, the real operator, moto for AWS. */

/** One cluster to start: the platform decides the Infrastructure object and what the operator bootstraps. */
export interface TestbedClusterSpec {
  name: string;
  /** fleet label `platform`: aws, baremetal, vsphere or none */
  platform: string;
  region: string;
}

export interface TestbedOptions {
  /** clusters from a fleet.yaml (spec.clusters[].name, labels.platform, labels.region) */
  fleetFile?: string;
  /** or the clusters themselves */
  clusters?: TestbedClusterSpec[];
  /** start only these clusters of the fleet file */
  only?: string[];
  /** where to write the kubeconfig (one context per cluster) */
  kubeconfigPath?: string;
  /** where the processes keep data and logs; default a new temporary folder, removed by stop() */
  workDir?: string;
  /** the folder with the built binaries; default: `test/testbed/build.sh --print-dir` or REGOPS_TESTBED_DIR */
  buildDir?: string;
  /** how long to wait for each cluster's ClusterOperator to be Available (default 240 s) */
  readyTimeoutMs?: number;
  /** progress lines (default: none) */
  log?: (line: string) => void;
}

/** What one started cluster is, and what it cost. */
export interface TestbedClusterInfo {
  name: string;
  platform: string;
  region: string;
  server: string;
  /** infrastructure name: the AWS operator's bucket is `<infrastructureName>-image-registry-<region>` */
  infrastructureName: string;
  startMs: number;
  /** resident memory of this cluster's processes (etcd, apiserver, controller-manager, scheduler, kwok, operator), MiB */
  rssMiB: number;
  logDir: string;
}

export interface TestbedAws {
  /** plain-HTTP moto endpoint for regops (S3 path style, Secrets Manager, SSM) */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** the HTTPS endpoint the operator uses (Infrastructure serviceEndpoints), virtual-host style */
  s3OperatorEndpoint: string;
  /** CA of s3OperatorEndpoint (and of every API server) */
  caFile: string;
}

export interface Testbed {
  kubeconfigPath: string;
  kubeconfig: string;
  contexts: string[];
  clusters: TestbedClusterInfo[];
  caPem: string;
  caFile: string;
  aws: TestbedAws;
  workDir: string;
  /** A cluster's read-only token: user system:serviceaccount:regops:readonly, RBAC get/list/watch on everything (the sandbox's readonly token's user). */
  readonlyToken(cluster: string): string;
  /** Stops a cluster's kube-apiserver (down: true; clients get connection refused, etcd keeps the data) or starts it again (false). */
  setApiServerDown(cluster: string, down: boolean): Promise<void>;
  /** The requests a cluster's kube-apiserver answered so far, oldest first (its audit log; leases, events, watches and probes left out). */
  apiRequests(cluster: string): Promise<TestbedApiRequest[]>;
  /** SIGTERM to every process (the operator first, so it releases its lease), then removes workDir if it made it */
  stop(): Promise<void>;
}

/** One request from a kube-apiserver's audit log (audit.k8s.io/v1 Event, level Metadata). */
export interface TestbedApiRequest {
  verb: string;
  requestURI: string;
  userAgent: string;
  code: number;
  /** when the answer was complete (ISO time, microseconds) */
  time: string;
}
