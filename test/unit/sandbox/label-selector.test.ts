import { describe, expect, it } from 'vitest';
import { compileFieldSelector, compileLabelSelector } from '../../../functions/sandbox/label-selector.ts';

const withLabels = (labels: Record<string, string>) => ({ metadata: { name: 'x', namespace: 'ns', labels } });

describe('compileLabelSelector', () => {
  it.each([
    ['env=prod', { env: 'prod' }, true],
    ['env==prod', { env: 'staging' }, false],
    ['env!=prod', { env: 'staging' }, true],
    ['env', {}, false],
    ['!env', {}, true],
    ['env in (prod, staging),tier', { env: 'staging', tier: 'a' }, true],
    ['env notin (prod)', { env: 'prod' }, false],
  ])('%s on %j → %s', (selector, labels, expected) => {
    expect(compileLabelSelector(selector)(withLabels(labels))).toBe(expected);
  });

  it('field selectors match metadata.name and metadata.namespace', () => {
    expect(compileFieldSelector('metadata.name=x,metadata.namespace=ns')(withLabels({}))).toBe(true);
    expect(compileFieldSelector('metadata.name!=x')(withLabels({}))).toBe(false);
  });
});
