import { describe, expect, it } from 'vitest';
import { decodeProtobufObject, encodeProtobufObject } from '../../../functions/sandbox/protobuf-decoder.ts';
import { findResource } from '../../../functions/sandbox/resource-catalog.ts';

describe('protobuf bodies (kubectl create secret/configmap)', () => {
  it('decodes k8s\\0 + runtime.Unknown into the JSON object, bytes as base64', () => {
    const secretInfo = findResource('v1', 'secrets');
    if (secretInfo === undefined) throw new Error('no secrets');
    const body = encodeProtobufObject('Secret', { metadata: { name: 's', namespace: 'ns', labels: { a: 'b' } }, data: { KEY: Buffer.from('value') }, type: 'Opaque' });
    expect(body.subarray(0, 4)).toEqual(Buffer.from('k8s\0', 'latin1'));
    expect(decodeProtobufObject(body, secretInfo)).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns', labels: { a: 'b' } }, data: { KEY: 'dmFsdWU=' }, type: 'Opaque' });
  });

  it('refuses a body without the magic prefix', () => {
    const configMapInfo = findResource('v1', 'configmaps');
    if (configMapInfo === undefined) throw new Error('no configmaps');
    expect(() => decodeProtobufObject(Buffer.from('{}'), configMapInfo)).toThrow(/protobuf/);
  });
});
