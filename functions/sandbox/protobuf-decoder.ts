import protobuf from 'protobufjs';
import { ApiStatusError, buildBadRequest, buildUnsupportedMediaType } from './api-status.ts';
import type { JsonMap } from './json-value.ts';
import type { ResourceInfo } from './resource-catalog.ts';

// Message layouts (field numbers) from the Kubernetes generated.proto files, v1.32:
// k8s.io/apimachinery/pkg/runtime/generated.proto (Unknown, TypeMeta),
// k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto (ObjectMeta, OwnerReference),
// k8s.io/api/core/v1/generated.proto (Secret, ConfigMap, Namespace, NamespaceSpec).
// Only the fields a client sends on create are declared; unknown fields are skipped by the decoder.
const descriptor = {
  nested: {
    k8s: {
      nested: {
        TypeMeta: { fields: { apiVersion: { type: 'string', id: 1 }, kind: { type: 'string', id: 2 } } },
        Unknown: {
          fields: {
            typeMeta: { type: 'TypeMeta', id: 1 },
            raw: { type: 'bytes', id: 2 },
            contentEncoding: { type: 'string', id: 3 },
            contentType: { type: 'string', id: 4 },
          },
        },
        OwnerReference: {
          fields: {
            kind: { type: 'string', id: 1 },
            name: { type: 'string', id: 3 },
            uid: { type: 'string', id: 4 },
            apiVersion: { type: 'string', id: 5 },
            controller: { type: 'bool', id: 6 },
            blockOwnerDeletion: { type: 'bool', id: 7 },
          },
        },
        ObjectMeta: {
          fields: {
            name: { type: 'string', id: 1 },
            generateName: { type: 'string', id: 2 },
            namespace: { type: 'string', id: 3 },
            uid: { type: 'string', id: 5 },
            resourceVersion: { type: 'string', id: 6 },
            labels: { keyType: 'string', type: 'string', id: 11 },
            annotations: { keyType: 'string', type: 'string', id: 12 },
            ownerReferences: { rule: 'repeated', type: 'OwnerReference', id: 13 },
            finalizers: { rule: 'repeated', type: 'string', id: 14 },
          },
        },
        Secret: {
          fields: {
            metadata: { type: 'ObjectMeta', id: 1 },
            data: { keyType: 'string', type: 'bytes', id: 2 },
            type: { type: 'string', id: 3 },
            stringData: { keyType: 'string', type: 'string', id: 4 },
            immutable: { type: 'bool', id: 5 },
          },
        },
        ConfigMap: {
          fields: {
            metadata: { type: 'ObjectMeta', id: 1 },
            data: { keyType: 'string', type: 'string', id: 2 },
            binaryData: { keyType: 'string', type: 'bytes', id: 3 },
            immutable: { type: 'bool', id: 4 },
          },
        },
        NamespaceSpec: { fields: { finalizers: { rule: 'repeated', type: 'string', id: 1 } } },
        Namespace: { fields: { metadata: { type: 'ObjectMeta', id: 1 }, spec: { type: 'NamespaceSpec', id: 2 } } },
      },
    },
  },
};
const root = protobuf.Root.fromJSON(descriptor);

const unknownType = root.lookupType('k8s.Unknown');
const messageTypes: Record<string, protobuf.Type> = {
  Secret: root.lookupType('k8s.Secret'),
  ConfigMap: root.lookupType('k8s.ConfigMap'),
  Namespace: root.lookupType('k8s.Namespace'),
};

/** The 4-byte prefix of every Kubernetes protobuf body (k8s.io/apimachinery/pkg/runtime/serializer/protobuf). */
export const protobufMagic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decodes a `application/vnd.kubernetes.protobuf` body (`k8s\0` + runtime.Unknown) into the JSON object it carries. */
export function decodeProtobufObject(body: Buffer, info: ResourceInfo): JsonMap {
  const messageType = messageTypes[info.kind];
  if (messageType === undefined || info.group !== '') throw new ApiStatusError(buildUnsupportedMediaType(['application/json', 'application/yaml']));
  if (body.length < 4 || !body.subarray(0, 4).equals(protobufMagic)) throw new ApiStatusError(buildBadRequest('provided object is not a Kubernetes protobuf message (missing k8s\\0 prefix)'));
  try {
    const envelope = unknownType.toObject(unknownType.decode(body.subarray(4)), { bytes: Array }) as { typeMeta?: { apiVersion?: string; kind?: string }; raw?: number[] };
    if (envelope.typeMeta?.kind !== undefined && envelope.typeMeta.kind !== info.kind) {
      throw new ApiStatusError(buildBadRequest(`the API version in the data (${envelope.typeMeta.apiVersion ?? ''}) does not match the expected API version (v1)`));
    }
    const raw = Buffer.from(envelope.raw ?? []);
    const message = messageType.toObject(messageType.decode(raw), { bytes: String, longs: Number, defaults: false }) as JsonMap;
    return { apiVersion: 'v1', kind: info.kind, ...message };
  } catch (error) {
    if (error instanceof ApiStatusError) throw error;
    throw new ApiStatusError(buildBadRequest(`unable to decode protobuf body: ${error instanceof Error ? error.message : 'invalid'}`));
  }
}

/** Encodes an object as kubectl does (for tests): `k8s\0` + runtime.Unknown{typeMeta, raw}. */
export function encodeProtobufObject(kind: 'Secret' | 'ConfigMap' | 'Namespace', object: Record<string, unknown>): Buffer {
  const messageType = messageTypes[kind];
  if (messageType === undefined) throw new Error(`sandbox: no protobuf type for ${kind}`);
  const raw = messageType.encode(messageType.fromObject(object)).finish();
  const envelope = unknownType.encode(unknownType.fromObject({ typeMeta: { apiVersion: 'v1', kind }, raw })).finish();
  return Buffer.concat([protobufMagic, Buffer.from(envelope)]);
}
