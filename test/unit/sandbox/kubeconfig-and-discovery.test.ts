import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildDiscoveryDocuments } from '../../../functions/sandbox/discovery.ts';
import { renderKubeconfig } from '../../../functions/sandbox/kubeconfig-text.ts';
import { findOpenApiDocument } from '../../../functions/sandbox/openapi-documents.ts';

describe('kubeconfig and discovery', () => {
  it('names cluster, user and context after each cluster, with the CA as certificate-authority-data', () => {
    const text = renderKubeconfig([{ name: 'a', server: 'https://127.0.0.1:1/clusters/a', token: 't-a' }, { name: 'b', server: 'https://127.0.0.1:1/clusters/b', token: 't-b' }], 'PEM');
    const config = parse(text) as { 'current-context': string; clusters: Array<{ name: string; cluster: Record<string, string> }>; contexts: Array<{ name: string; context: { cluster: string; user: string } }> };
    expect(config['current-context']).toBe('a');
    expect(config.clusters[1]).toEqual({ name: 'b', cluster: { server: 'https://127.0.0.1:1/clusters/b', 'certificate-authority-data': Buffer.from('PEM').toString('base64') } });
    expect(config.contexts[1]).toEqual({ name: 'b', context: { cluster: 'b', user: 'b' } });
  });

  it('serves APIGroupList and an APIResourceList with the status subresource', () => {
    const documents = buildDiscoveryDocuments();
    const groups = JSON.parse(documents.get('/apis') ?? '{}') as { groups: Array<{ name: string }> };
    expect(groups.groups.map((group) => group.name).sort()).toEqual(['apps', 'config.openshift.io', 'imageregistry.operator.openshift.io']);
    const resources = JSON.parse(documents.get('/apis/config.openshift.io/v1') ?? '{}') as { resources: Array<{ name: string; shortNames?: string[]; namespaced: boolean }> };
    expect(resources.resources.find((resource) => resource.name === 'clusteroperators')).toMatchObject({ shortNames: ['co'], namespaced: false });
    expect(resources.resources.map((resource) => resource.name)).toContain('clusteroperators/status');
    // the registry Deployment regops's health gate reads, with its status subresource as in apps/v1
    const apps = JSON.parse(documents.get('/apis/apps/v1') ?? '{}') as { resources: Array<{ name: string; shortNames?: string[]; namespaced: boolean }> };
    expect(apps.resources.map((resource) => resource.name)).toEqual(['deployments', 'deployments/status']);
    expect(JSON.parse(documents.get('/version') ?? '{}')).toMatchObject({ major: '1', minor: '32' });
  });

  it('OpenAPI v3: the root points at each group-version; PATCH operations carry the GVK and fieldValidation', () => {
    const root = JSON.parse(findOpenApiDocument('/openapi/v3') ?? '{}') as { paths: Record<string, { serverRelativeURL: string }> };
    expect(Object.keys(root.paths).sort()).toEqual(['api/v1', 'apis/apps/v1', 'apis/config.openshift.io/v1', 'apis/imageregistry.operator.openshift.io/v1']);
    const document = JSON.parse(findOpenApiDocument('/openapi/v3/apis/imageregistry.operator.openshift.io/v1') ?? '{}') as {
      paths: Record<string, { patch?: { 'x-kubernetes-group-version-kind': unknown; parameters: Array<{ name: string }> } }>;
      components: { schemas: Record<string, { 'x-kubernetes-group-version-kind': unknown }> };
    };
    const patch = document.paths['/apis/imageregistry.operator.openshift.io/v1/configs/{name}']?.patch;
    expect(patch?.['x-kubernetes-group-version-kind']).toEqual({ group: 'imageregistry.operator.openshift.io', version: 'v1', kind: 'Config' });
    expect(patch?.parameters.map((parameter) => parameter.name)).toContain('fieldValidation');
    expect(document.components.schemas['io.openshift.operator.imageregistry.v1.Config']?.['x-kubernetes-group-version-kind']).toEqual([{ group: 'imageregistry.operator.openshift.io', version: 'v1', kind: 'Config' }]);
    expect(findOpenApiDocument('/openapi/v2')).toBeUndefined();
  });
});
