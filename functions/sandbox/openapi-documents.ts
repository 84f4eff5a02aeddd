import { createHash } from 'node:crypto';
import { resourceCatalog, type ResourceInfo, type SchemaNode } from './resource-catalog.ts';

// Definition names as the apiserver publishes CRDs: reversed group, version, kind
// (imageregistry.operator.openshift.io/v1 Config → io.openshift.operator.imageregistry.v1.Config).
function definitionName(info: ResourceInfo): string {
  if (info.group === '') return `io.k8s.api.core.v1.${info.kind}`;
  if (!info.custom) return `io.k8s.api.${info.group}.${info.version}.${info.kind}`;
  return `${info.group.split('.').reverse().join('.')}.${info.version}.${info.kind}`;
}

function gvk(info: ResourceInfo): { group: string; version: string; kind: string } {
  return { group: info.group, version: info.version, kind: info.kind };
}

const queryParameter = (name: string, description: string): unknown => ({ name, in: 'query', description, schema: { type: 'string', uniqueItems: true } });

// kubectl's validation gate looks for a PATCH operation tagged with the object's GVK and a
// fieldValidation query parameter; then it leaves validation to the server (docs/toolchain-facts.md).
function buildOperations(info: ResourceInfo, reference: string): Record<string, unknown> {
  const common = [queryParameter('dryRun', 'When present, indicates that modifications should not be persisted.'), queryParameter('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.')];
  const fieldValidation = queryParameter('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.');
  const response = { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: reference } } } } };
  const tag = { 'x-kubernetes-group-version-kind': gvk(info) };
  const base = info.namespaced ? `/${info.group === '' ? 'api/v1' : `apis/${info.apiVersion}`}/namespaces/{namespace}/${info.plural}` : `/${info.group === '' ? 'api/v1' : `apis/${info.apiVersion}`}/${info.plural}`;
  const nameParameter = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };
  return {
    [base]: {
      get: { operationId: `list${info.kind}`, responses: response, 'x-kubernetes-action': 'list', ...tag },
      post: { operationId: `create${info.kind}`, parameters: [...common, fieldValidation], responses: response, 'x-kubernetes-action': 'post', ...tag },
    },
    [`${base}/{name}`]: {
      parameters: [nameParameter],
      get: { operationId: `read${info.kind}`, responses: response, 'x-kubernetes-action': 'get', ...tag },
      put: { operationId: `replace${info.kind}`, parameters: [...common, fieldValidation], responses: response, 'x-kubernetes-action': 'put', ...tag },
      patch: {
        operationId: `patch${info.kind}`,
        parameters: [...common, fieldValidation, queryParameter('force', 'Force is going to "force" Apply requests.')],
        requestBody: { content: { 'application/merge-patch+json': { schema: { type: 'object' } }, 'application/apply-patch+yaml': { schema: { type: 'object' } }, 'application/json-patch+json': { schema: { type: 'object' } } } },
        responses: response,
        'x-kubernetes-action': 'patch',
        ...tag,
      },
      delete: { operationId: `delete${info.kind}`, responses: response, 'x-kubernetes-action': 'delete', ...tag },
    },
  };
}

function buildSchema(info: ResourceInfo): SchemaNode & Record<string, unknown> {
  const schema = structuredClone(info.schema) as SchemaNode & Record<string, unknown>;
  if (schema.properties !== undefined) {
    schema.properties = {
      ...schema.properties,
      metadata: { type: 'object', description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata" },
    };
  }
  if (schema.description === undefined) schema.description = `${info.kind} (${info.apiVersion}) as served by the sandbox.`;
  schema['x-kubernetes-group-version-kind'] = [gvk(info)];
  return schema;
}

function buildGroupVersionDocument(resources: ResourceInfo[]): string {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const info of resources) {
    const name = definitionName(info);
    Object.assign(paths, buildOperations(info, `#/components/schemas/${name}`));
    schemas[name] = buildSchema(info);
  }
  return JSON.stringify({ openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.5' }, paths, components: { schemas } });
}

function buildDocuments(): Map<string, string> {
  const documents = new Map<string, string>();
  const byGroupVersion = new Map<string, ResourceInfo[]>();
  for (const info of resourceCatalog) byGroupVersion.set(info.apiVersion, [...(byGroupVersion.get(info.apiVersion) ?? []), info]);
  const rootPaths: Record<string, { serverRelativeURL: string }> = {};
  for (const [apiVersion, resources] of byGroupVersion) {
    const relative = apiVersion === 'v1' ? 'api/v1' : `apis/${apiVersion}`;
    const document = buildGroupVersionDocument(resources);
    const hash = createHash('sha512').update(document).digest('hex').slice(0, 128).toUpperCase();
    documents.set(`/openapi/v3/${relative}`, document);
    rootPaths[relative] = { serverRelativeURL: `/openapi/v3/${relative}?hash=${hash}` };
  }
  documents.set('/openapi/v3', JSON.stringify({ paths: rootPaths }));
  return documents;
}

let documents: Map<string, string> | undefined;

/** The OpenAPI v3 document at `path` (`/openapi/v3` root or a group-version), built once from the CRD schemas. /openapi/v2 is not served (kubectl tolerates its 404). */
export function findOpenApiDocument(path: string): string | undefined {
  documents ??= buildDocuments();
  return documents.get(path.endsWith('/') ? path.slice(0, -1) : path);
}
