import { listGroupVersions, resourceCatalog, type ResourceInfo } from './resource-catalog.ts';

/** The Kubernetes version the sandbox reports: OpenShift 4.19 runs 1.32, and the kubectl dispatcher picks kubectl 1.32 from it. */
export const serverVersion = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.5',
  gitCommit: '9894294ef13a5b32803e3ca2c0d620a088cc84d1',
  gitTreeState: 'clean',
  buildDate: '2025-05-15T09:57:21Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const customVerbs = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];
const coreVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const namespaceVerbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function describeResources(resources: ResourceInfo[]): unknown[] {
  const out: unknown[] = [];
  for (const info of resources) {
    const entry: Record<string, unknown> = {
      name: info.plural,
      singularName: info.singular,
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: info.plural === 'namespaces' ? namespaceVerbs : info.custom ? customVerbs : coreVerbs,
    };
    if (info.shortNames.length > 0) entry['shortNames'] = info.shortNames;
    out.push(entry);
    if (info.statusSubresource || info.plural === 'namespaces') {
      out.push({ name: `${info.plural}/status`, singularName: '', namespaced: info.namespaced, kind: info.kind, verbs: ['get', 'patch', 'update'] });
    }
  }
  return out;
}

/** Precomputed discovery documents (JSON text) keyed by path: /api, /apis, /api/v1, /apis/G, /apis/G/V, /version. */
export function buildDiscoveryDocuments(): Map<string, string> {
  const documents = new Map<string, string>();
  documents.set('/version', JSON.stringify(serverVersion, null, 2));
  documents.set('/api', JSON.stringify({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] }));
  documents.set('/api/v1', JSON.stringify({ kind: 'APIResourceList', groupVersion: 'v1', resources: describeResources(resourceCatalog.filter((info) => info.group === '')) }));
  const groups = new Map<string, string[]>();
  for (const { group, version } of listGroupVersions()) groups.set(group, [...(groups.get(group) ?? []), version]);
  const groupDocs = [...groups.entries()].map(([name, versions]) => ({
    name,
    versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
    preferredVersion: { groupVersion: `${name}/${versions[0] ?? 'v1'}`, version: versions[0] ?? 'v1' },
  }));
  documents.set('/apis', JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups: groupDocs }));
  for (const group of groupDocs) {
    documents.set(`/apis/${group.name}`, JSON.stringify({ kind: 'APIGroup', apiVersion: 'v1', ...group }));
    for (const { version } of group.versions) {
      const resources = resourceCatalog.filter((info) => info.group === group.name && info.version === version);
      documents.set(`/apis/${group.name}/${version}`, JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group.name}/${version}`, resources: describeResources(resources) }));
    }
  }
  return documents;
}
