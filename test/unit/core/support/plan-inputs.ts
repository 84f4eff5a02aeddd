/** Builders for planCluster inputs in core tests: live fixtures and desired clusters. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { DesiredCluster, DesiredObject, DesiredSecret, JsonObject, ResourceRef, SourcePosition } from '../../../../functions/core/model.ts';
import { OWNED_FIELDS_ANNOTATION } from '../../../../functions/core/model.ts';
import { formatRefKey } from '../../../../functions/core/resource-ref.ts';
import type { LiveCluster } from '../../../../functions/core/plan.ts';

export const configRef: ResourceRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' };
export const prunerRef: ResourceRef = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'ImagePruner', name: 'cluster' };
export const imageRef: ResourceRef = { apiVersion: 'config.openshift.io/v1', kind: 'Image', name: 'cluster' };
export const caRef: ResourceRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'registry-cas', namespace: 'openshift-config' };
export const userSecretRef: ResourceRef = { apiVersion: 'v1', kind: 'Secret', name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' };

/** A live object from test/fixtures/live-objects (a fresh copy each call). */
export function loadLive(name: string): JsonObject {
  return parse(readFileSync(new URL(`../../../fixtures/live-objects/${name}.yaml`, import.meta.url), 'utf8')) as JsonObject;
}

/** Positions for every path given, in the named file, one line each from line 5. */
export function positionsFor(file: string, paths: readonly string[]): Record<string, SourcePosition> {
  return Object.fromEntries(paths.map((path, i) => [path, { file, line: 5 + i, col: 3 }]));
}

/** A desired object with the body's spec/data given; positions for the listed paths. */
export function desiredObject(ref: ResourceRef, fields: JsonObject, positioned: readonly string[] = []): DesiredObject {
  const metadata: JsonObject = ref.namespace === undefined ? { name: ref.name } : { name: ref.name, namespace: ref.namespace };
  return {
    ref,
    body: { apiVersion: ref.apiVersion, kind: ref.kind, ...fields, metadata: { ...metadata, ...((fields['metadata'] as JsonObject | undefined) ?? {}) } },
    positions: positionsFor('clusters/prod-eu-1/registry.yaml', positioned),
  };
}

export function desiredCluster(parts: Partial<DesiredCluster> = {}): DesiredCluster {
  return { cluster: 'prod-eu-1', labels: { env: 'prod' }, groups: ['prod'], policy: 'enforce', objects: [], secrets: [], allow: [], ...parts };
}

export function desiredSecret(keys: readonly string[]): DesiredSecret {
  return {
    ref: userSecretRef,
    data: Object.fromEntries(keys.map((key) => [key, { source: 'secretsmanager' as const, id: 'regops/prod-eu-1/registry-s3', key }])),
    origin: { file: 'clusters/prod-eu-1/storage.yaml', line: 7, col: 3 },
  };
}

/** A LiveCluster from objects (keyed by their own apiVersion/kind/metadata). */
export function liveCluster(objects: readonly JsonObject[], extra: Partial<LiveCluster> = {}): LiveCluster {
  const byKey: Record<string, JsonObject> = {};
  for (const object of objects) {
    const metadata = object['metadata'] as JsonObject;
    const ref: ResourceRef = { apiVersion: String(object['apiVersion']), kind: String(object['kind']), name: String(metadata['name']) };
    if (typeof metadata['namespace'] === 'string') ref.namespace = metadata['namespace'];
    byKey[formatRefKey(ref)] = object;
  }
  return { objects: byKey, secretDigests: {}, ...extra };
}

/** Sets the owned-fields annotation on a live object, as an earlier apply would have. */
export function withOwned(object: JsonObject, paths: readonly string[]): JsonObject {
  const metadata = { ...(object['metadata'] as JsonObject) };
  metadata['annotations'] = { ...((metadata['annotations'] as JsonObject | undefined) ?? {}), [OWNED_FIELDS_ANNOTATION]: JSON.stringify(paths) };
  return { ...object, metadata };
}

/** A full sha256 digest made of one repeated hex digit (tests only need distinct digests). */
export function digestOf(hex: string): string {
  return `sha256:${hex.repeat(64).slice(0, 64)}`;
}
