import { vendoredCrds } from '../schemas/crds.ts';

/** A JSON schema node as found in a CRD's openAPIV3Schema (structural schema subset we act on). */
export interface SchemaNode {
  type?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  default?: unknown;
  nullable?: boolean;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-validations'?: Array<{ rule: string; message?: string; messageExpression?: string }>;
}

/** One API resource the sandbox serves, with what discovery says about it. */
export interface ResourceInfo {
  group: string; // '' for core
  version: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  /** Custom resources (CRD-backed): 415 for strategic merge, PUT needs a resourceVersion, CRD printer columns. */
  custom: boolean;
  /** A status subresource and metadata.generation: every custom resource, and apps/v1 Deployments. */
  statusSubresource: boolean;
  schema: SchemaNode;
  /** `configs.imageregistry.operator.openshift.io` (or just `secrets` for core). */
  qualifiedName: string;
  apiVersion: string;
}

interface CrdShape {
  spec: {
    group: string;
    scope: string;
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames?: string[] };
    versions: Array<{ name: string; served: boolean; storage: boolean; schema: { openAPIV3Schema: SchemaNode } }>;
  };
}

const metadataSchema: SchemaNode = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
const stringMap: SchemaNode = { type: 'object', additionalProperties: { type: 'string' } };
const typeAndObjectMeta: Record<string, SchemaNode> = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: metadataSchema };

// Core kinds: the fields a Secret/ConfigMap/Namespace has in k8s.io/api core/v1 types.go.
const coreSchemas: Record<string, SchemaNode> = {
  Secret: {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: metadataSchema,
      data: { type: 'object', additionalProperties: { type: 'string', format: 'byte' } },
      stringData: stringMap,
      type: { type: 'string' },
      immutable: { type: 'boolean' },
    },
  },
  ConfigMap: {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: metadataSchema,
      data: stringMap,
      binaryData: { type: 'object', additionalProperties: { type: 'string', format: 'byte' } },
      immutable: { type: 'boolean' },
    },
  },
  // The claim fields the registry operator reads and writes (pkg/storage/pvc/pvc.go); the rest is kept as sent.
  PersistentVolumeClaim: {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: metadataSchema,
      spec: {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        properties: {
          accessModes: { type: 'array', items: { type: 'string', enum: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] } },
          storageClassName: { type: 'string' },
          volumeName: { type: 'string' },
          resources: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  },
  // Nodes: only labels (metadata) and spec.taints matter to the simulated scheduler (simulated-scheduler.ts).
  Node: {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: metadataSchema,
      spec: {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        properties: {
          unschedulable: { type: 'boolean' },
          taints: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, value: { type: 'string' }, effect: { type: 'string' } } } },
        },
      },
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  },
  // The registry Deployment the operator writes (pkg/resource/deployment.go): regops's health gate reads its
  // generation, spec.replicas and rollout status (functions/engine/health-gate.ts); the rest is kept as sent.
  Deployment: {
    type: 'object',
    properties: {
      ...typeAndObjectMeta,
      spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { replicas: { type: 'integer' } } },
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  },
  Namespace: {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: metadataSchema,
      spec: { type: 'object', properties: { finalizers: { type: 'array', items: { type: 'string' } } } },
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  },
};

function buildCoreResource(kind: string, plural: string, namespaced: boolean, shortNames: string[], group = ''): ResourceInfo {
  return {
    group,
    version: 'v1',
    plural,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced,
    shortNames,
    custom: false,
    statusSubresource: group === 'apps',
    schema: coreSchemas[kind] ?? metadataSchema,
    qualifiedName: group === '' ? plural : `${plural}.${group}`,
    apiVersion: group === '' ? 'v1' : `${group}/v1`,
  };
}

function buildCustomResource(crd: CrdShape): ResourceInfo {
  const version = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0];
  if (version === undefined) throw new Error(`sandbox: CRD ${crd.spec.names.plural}: no version`);
  const schema = structuredClone(version.schema.openAPIV3Schema);
  // metadata is validated by the API server itself, not by the CRD schema
  schema.properties = { ...schema.properties, metadata: metadataSchema };
  return {
    group: crd.spec.group,
    version: version.name,
    plural: crd.spec.names.plural,
    singular: crd.spec.names.singular,
    kind: crd.spec.names.kind,
    listKind: crd.spec.names.listKind,
    namespaced: crd.spec.scope === 'Namespaced',
    shortNames: crd.spec.names.shortNames ?? [],
    custom: true,
    statusSubresource: true,
    schema,
    qualifiedName: `${crd.spec.names.plural}.${crd.spec.group}`,
    apiVersion: `${crd.spec.group}/${version.name}`,
  };
}

/** Every resource the sandbox serves: the five vendored CRDs, five core kinds and apps/v1 Deployments. */
export const resourceCatalog: readonly ResourceInfo[] = [
  buildCoreResource('Namespace', 'namespaces', false, ['ns']),
  buildCoreResource('Secret', 'secrets', true, []),
  buildCoreResource('ConfigMap', 'configmaps', true, ['cm']),
  buildCoreResource('PersistentVolumeClaim', 'persistentvolumeclaims', true, ['pvc']),
  buildCoreResource('Node', 'nodes', false, ['no']),
  buildCoreResource('Deployment', 'deployments', true, ['deploy'], 'apps'),
  ...vendoredCrds.map((entry) => buildCustomResource(entry.crd as CrdShape)),
];

const byPath = new Map<string, ResourceInfo>();
const byKind = new Map<string, ResourceInfo>();
for (const info of resourceCatalog) {
  byPath.set(`${info.apiVersion}/${info.plural}`, info);
  byKind.set(`${info.apiVersion}/${info.kind}`, info);
}

/** The resource at `<apiVersion>/<plural>` (apiVersion `v1` for core), if served. */
export function findResource(apiVersion: string, plural: string): ResourceInfo | undefined {
  return byPath.get(`${apiVersion}/${plural}`);
}

/** The resource serving `kind` in `apiVersion`, if any. */
export function findResourceByKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  return byKind.get(`${apiVersion}/${kind}`);
}

/** The group/versions served, in discovery order. */
export function listGroupVersions(): Array<{ group: string; version: string }> {
  const seen = new Set<string>();
  const out: Array<{ group: string; version: string }> = [];
  for (const info of resourceCatalog) {
    if (info.group === '' || seen.has(info.apiVersion)) continue;
    seen.add(info.apiVersion);
    out.push({ group: info.group, version: info.version });
  }
  return out;
}
