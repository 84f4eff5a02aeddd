// Which bucket policies count as "denies insecure transport" when inspect() reads them back.
import { describe, expect, it } from 'vitest';
import { buildDenyInsecureTransport, deniesInsecureTransport } from '../../../../functions/adapters/s3/bucket-policy.ts';

describe('bucket policy', () => {
  const cases = [
    { name: "regops' own statement", policy: { Statement: [buildDenyInsecureTransport('b', 'eu-west-1')] }, expected: true },
    { name: 'a single statement object with Action *', policy: { Statement: { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': false } } } }, expected: true },
    { name: 'an Allow over TLS only', policy: { Statement: [{ Effect: 'Allow', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }, expected: false },
    { name: 'a Deny of one action', policy: { Statement: [{ Effect: 'Deny', Action: 's3:GetObject', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }, expected: false },
    { name: 'no statement', policy: {}, expected: false },
  ];
  it.each(cases)('$name → $expected', ({ policy, expected }) => {
    expect(deniesInsecureTransport(policy)).toBe(expected);
  });

  it.each([
    ['eu-west-1', 'arn:aws:s3:::b'],
    ['cn-north-1', 'arn:aws-cn:s3:::b'],
    ['us-gov-west-1', 'arn:aws-us-gov:s3:::b'],
  ])('uses the partition of %s in the resource ARNs', (region, arn) => {
    expect(buildDenyInsecureTransport('b', region).Resource).toEqual([arn, `${arn}/*`]);
  });
});
