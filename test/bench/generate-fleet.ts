// A generated config repository of N clusters with realistic overlays, for the core benchmark (and
// for anything else that needs a big fleet). Pure: the same N gives the same snapshot.
import type { ConfigSnapshot, SourceFile } from '../../functions/core/model.ts';

// the example's mirror CA (config/base/trusted-cas/; a public certificate, see config/README.md)
const mirrorCa = `-----BEGIN CERTIFICATE-----
MIIB0TCCAXegAwIBAgIUJzhAG+Ros3CyRdSSG0JwiRrvUOEwCgYIKoZIzj0EAwIw
NjESMBAGA1UECgwJQWNtZSBDb3JwMSAwHgYDVQQDDBdBY21lIE1pcnJvciBSZWdp
c3RyeSBDQTAeFw0yNjExMjUxNjQ3NTlaFw0zNjExMjIxNjQ3NTlaMDYxEjAQBgNV
BAoMCUFjbWUgQ29ycDEgMB4GA1UEAwwXQWNtZSBNaXJyb3IgUmVnaXN0cnkgQ0Ew
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATAYKg4zuE25Z5caBW5HMzEVrrUmCt0
j26SxJ/iF3o2gMKBE/inENBMKgaaum8nwjC7JTM7aTpRrG9SUF9rVG7xo2MwYTAd
BgNVHQ4EFgQUelhctN7zDHS7GbAjjEaHXhyKgrowHwYDVR0jBBgwFoAUelhctN7z
DHS7GbAjjEaHXhyKgrowDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYw
CgYIKoZIzj0EAwIDSAAwRQIgc+/mkQjrctUi4Oj5Njc93n0h0Tb7ItoITBB71g54
YqICIQC92EhZdJil+aN8ceotEsf1SxjEuqxWU+g+wNe1obj4vA==
-----END CERTIFICATE-----
`;

const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const envs = ['prod', 'staging', 'dev'];

interface GeneratedCluster {
  name: string;
  env: string;
  platform: 'aws' | 'baremetal' | 'vsphere';
  region: string;
  wave: string;
}

function describeCluster(index: number, n: number): GeneratedCluster {
  const name = `c${String(index + 1).padStart(4, '0')}`;
  const platform = index % 20 < 14 ? 'aws' : index % 20 < 17 ? 'baremetal' : 'vsphere';
  const env = envs[index % 3] ?? 'dev';
  const wave = index < Math.max(1, Math.floor(n / 50)) ? 'canary' : env === 'prod' ? 'prod' : 'main';
  return { name, env, platform, region: regions[index % regions.length] ?? 'us-east-1', wave };
}

function fleetFile(clusters: GeneratedCluster[]): string {
  const lines = ['apiVersion: regops/v1', 'kind: Fleet', 'metadata:', '  name: generated', 'spec:', '  clusters:'];
  for (const c of clusters) {
    lines.push(`    - name: ${c.name}`);
    lines.push(`      labels: {env: ${c.env}, platform: ${c.platform}, region: ${c.region}, wave: ${c.wave}}`);
    lines.push(`      connection: {context: ${c.name}, secretId: regops/clusters/${c.name}}`);
  }
  lines.push('  groups:');
  for (const group of ['aws', 'baremetal', 'vsphere']) lines.push(`    - {name: ${group}, selector: {platform: ${group}}}`);
  for (const env of envs) lines.push(`    - {name: ${env}, selector: {env: ${env}}}`);
  lines.push('  waves:');
  lines.push('    - {name: canary, selector: {wave: canary}, maxConcurrency: 1, maxFailures: 0, bakeTime: 30s}');
  lines.push('    - {name: main, selector: {wave: main}, maxConcurrency: 25, maxFailures: 2, bakeTime: 2m}');
  lines.push('    - {name: prod, selector: {wave: prod}, maxConcurrency: 10, maxFailures: 0, bakeTime: 10m}');
  lines.push('  policy:', '    default: inform', '    overrides:', '      - {group: prod, policy: enforce}');
  return `${lines.join('\n')}\n`;
}

const shared: Record<string, string> = {
  'base/registry.yaml': `apiVersion: imageregistry.operator.openshift.io/v1
kind: Config
metadata:
  name: cluster
spec:
  managementState: Managed
  logLevel: Normal
  operatorLogLevel: Normal
  disableRedirect: false
  requests:
    read: {maxRunning: 100, maxInQueue: 500, maxWaitInQueue: 2m}
    write: {maxRunning: 20, maxInQueue: 100, maxWaitInQueue: 5m}
  resources:
    requests: {cpu: 100m, memory: 256Mi}
`,
  'base/pruner.yaml': `apiVersion: imageregistry.operator.openshift.io/v1
kind: ImagePruner
metadata:
  name: cluster
spec:
  suspend: false
  keepTagRevisions: 3
  keepYoungerThanDuration: 60m
  ignoreInvalidImageReferences: true
`,
  'base/trusted-cas/mirror.acme.internal..5000.pem': mirrorCa,
  'groups/aws/registry.yaml': 'spec:\n  replicas: 2\n  rolloutStrategy: RollingUpdate\n',
  'groups/baremetal/registry.yaml': 'spec:\n  replicas: 2\n  rolloutStrategy: RollingUpdate\n',
  'groups/baremetal/storage.yaml': `apiVersion: regops/v1
kind: RegistryStorage
spec:
  s3:
    bucket: gen-registry-\${cluster}
    region: us-east-1
    encryption: {type: SSE-S3}
    tags: {team: platform, fleet: generated}
`,
  'groups/vsphere/registry.yaml': `metadata:
  annotations:
    regops.io/pvc-access-mode: ReadWriteOnce
spec:
  replicas: 1
  rolloutStrategy: Recreate
  storage:
    pvc:
      claim: registry-storage
`,
  'groups/prod/registry.yaml': `spec:
  replicas: 3
  defaultRoute: true
  routes:
    - name: public-registry
      hostname: registry.apps.acme.example
  tolerations:
    - {key: node-role.kubernetes.io/infra, operator: Exists, effect: NoSchedule}
`,
  'groups/prod/pruner.yaml': 'spec:\n  schedule: "0 3 * * *"\n  keepTagRevisions: 5\n  keepYoungerThanDuration: 72h\n',
  'groups/prod/image.yaml': `apiVersion: config.openshift.io/v1
kind: Image
metadata:
  name: cluster
spec:
  allowedRegistriesForImport:
    - {domainName: quay.io, insecure: false}
    - {domainName: mirror.acme.internal:5000, insecure: false}
`,
  'groups/dev/registry.yaml': 'spec:\n  logLevel: Debug\n',
};

function clusterFiles(c: GeneratedCluster, index: number): Record<string, string> {
  const files: Record<string, string> = {};
  const base = `clusters/${c.name}`;
  // vSphere keeps one replica on its RWO claim: prod's 3 replicas are overridden per cluster
  const replicas = c.platform === 'vsphere' ? '  replicas: 1\n' : '';
  if (c.env === 'prod' && c.platform !== 'vsphere') {
    files[`${base}/registry.yaml`] = `spec:\n  routes:\n    - name: public-registry\n      hostname: registry.apps.acme.example\n    - name: ${c.name}-registry\n      hostname: registry.${c.name}.acme.example\n  nodeSelector:\n    node-role.kubernetes.io/infra: ""\n`;
  } else {
    files[`${base}/registry.yaml`] = `spec:\n${replicas}  proxy:\n    noProxy: .cluster.local,.svc,10.0.0.0/16\n  disableRedirect: ${index % 2 === 0 ? 'false' : 'null'}\n`;
  }
  if (index % 4 === 0) files[`${base}/pruner.yaml`] = `spec:\n  schedule: "${index % 60} ${index % 24} * * *"\n`;
  if (c.platform === 'vsphere' && c.env === 'prod') files[`${base}/registry.yaml`] += '  defaultRoute: false\n';
  return files;
}

/** A config repository of `n` clusters (c0001 …): 70% AWS, 15% bare metal with S3 regops provisions, 15% vSphere on RWO claims. */
export function generateFleetSnapshot(n: number, prefix = 'config/'): ConfigSnapshot {
  const clusters = Array.from({ length: n }, (_, i) => describeCluster(i, n));
  const files: SourceFile[] = [{ path: `${prefix}fleet.yaml`, content: fleetFile(clusters) }];
  for (const [path, content] of Object.entries(shared)) files.push({ path: prefix + path, content });
  clusters.forEach((c, i) => {
    for (const [path, content] of Object.entries(clusterFiles(c, i))) files.push({ path: prefix + path, content });
  });
  return { commit: `generated-${n}`, files };
}
