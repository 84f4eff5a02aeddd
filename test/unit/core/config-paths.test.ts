import { describe, expect, it } from 'vitest';
import { isConfigPath } from '../../../functions/core/config-paths.ts';

describe('isConfigPath', () => {
  it.each([
    { path: 'fleet.yaml', expected: true },
    { path: 'base/registry.yaml', expected: true },
    { path: 'groups/prod/image.yaml', expected: true },
    { path: 'clusters/prod-eu-1/trusted-cas/corp.pem', expected: true },
    { path: 'README.md', expected: false },
    { path: 'docs/fleet.yaml', expected: false },
    { path: 'baseline/registry.yaml', expected: false },
    { path: 'clusters', expected: false },
  ])('$path → $expected', ({ path, expected }) => {
    expect(isConfigPath(path)).toBe(expected);
  });
});
