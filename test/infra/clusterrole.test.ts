/**
 * infra/clusterrole.yaml against what regops actually touches: every object and Secret rendered
 * from config/ (the worked example) and the objects the health gate reads must be allowed, with
 * no more than get/list/patch/create, no wildcard, and namespaced kinds only in their namespace.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { findKnownResource } from '../../functions/adapters/kubernetes/known-resources.ts';
import type { ResourceRef } from '../../functions/core/model.ts';
import { renderFleet } from '../../functions/core/render.ts';
import { loadSnapshot } from '../support/load-snapshot.ts';

interface Rule { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }
interface RbacDoc { kind: string; metadata: { name: string; namespace?: string }; rules?: Rule[] }

const docs = parseAllDocuments(readFileSync('infra/clusterrole.yaml', 'utf8')).map((d) => d.toJSON() as RbacDoc);
const clusterRules = docs.filter((d) => d.kind === 'ClusterRole').flatMap((d) => d.rules ?? []);
const namespacedRules = (namespace: string): Rule[] => docs.filter((d) => d.kind === 'Role' && d.metadata.namespace === namespace).flatMap((d) => d.rules ?? []);

function allows(ref: ResourceRef, verb: string, named = true): boolean {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] ?? '' : '';
  const resource = findKnownResource(ref.apiVersion, ref.kind)?.name;
  const rules = ref.namespace === undefined ? clusterRules : namespacedRules(ref.namespace);
  return rules.some((r) => r.apiGroups.includes(group) && resource !== undefined && r.resources.includes(resource) && r.verbs.includes(verb)
    && (r.resourceNames === undefined || (named && r.resourceNames.includes(ref.name))));
}

describe('infra/clusterrole.yaml', () => {
  const rendered = renderFleet(loadSnapshot('config', ''));
  const refs = new Map<string, ResourceRef>();
  for (const cluster of rendered.clusters) {
    for (const ref of [...cluster.objects.map((o) => o.ref), ...cluster.secrets.map((s) => s.ref)]) refs.set(JSON.stringify(ref), ref);
  }

  it('covers every object config/ renders: get and patch by name, create in its namespace', () => {
    expect(refs.size).toBeGreaterThan(3);
    for (const ref of refs.values()) {
      expect(allows(ref, 'get'), `get ${JSON.stringify(ref)}`).toBe(true);
      expect(allows(ref, 'patch'), `patch ${JSON.stringify(ref)}`).toBe(true);
      if (ref.namespace !== undefined) expect(allows(ref, 'create', false), `create ${JSON.stringify(ref)}`).toBe(true);
    }
  });

  it('lets the health gate read the image-registry ClusterOperator and the platform from the Infrastructure, read only', () => {
    const operator = { apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator', name: 'image-registry' };
    const infrastructure = { apiVersion: 'config.openshift.io/v1', kind: 'Infrastructure', name: 'cluster' };
    expect([allows(operator, 'get'), allows(infrastructure, 'get')]).toEqual([true, true]);
    expect([allows(operator, 'patch'), allows(infrastructure, 'patch'), allows({ ...operator, name: 'kube-apiserver' }, 'get')]).toEqual([false, false, false]);
    // the registry Deployment (functions/engine/health-gate.ts), by name, read only
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'image-registry', namespace: 'openshift-image-registry' };
    expect([allows(deployment, 'get'), allows(deployment, 'patch'), allows({ ...deployment, name: 'other' }, 'get')]).toEqual([true, false, false]);
  });

  it('grants no wildcard, no delete, and nothing on secrets cluster-wide', () => {
    const all = docs.flatMap((d) => d.rules ?? []);
    for (const rule of all) {
      expect(rule.verbs.every((v) => ['get', 'list', 'patch', 'create'].includes(v)), rule.verbs.join()).toBe(true);
      expect([...rule.apiGroups, ...rule.resources]).not.toContain('*');
    }
    expect(clusterRules.some((r) => r.resources.includes('secrets') || r.resources.includes('configmaps'))).toBe(false);
  });
});
