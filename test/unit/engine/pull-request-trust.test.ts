import { describe, expect, it } from 'vitest';
import type { ConfigSnapshot } from '../../../functions/core/model.ts';
import { decidePullRequestTrust } from '../../../functions/engine/pull-request-trust.ts';

const fleet = (extra: string): string => `apiVersion: regops/v1\nkind: Fleet\nmetadata: {name: t}\nspec:\n  clusters:\n    - {name: a, connection: {secretId: regops/clusters/a}}\n  waves:\n    - {name: all, selector: {}}\n${extra}`;

/** A ConfigSource over fixed branches that records which refs were read. */
function source(branches: Record<string, Record<string, string>>) {
  const loaded: Array<string | undefined> = [];
  return {
    loaded,
    load: (ref?: string): Promise<ConfigSnapshot> => {
      loaded.push(ref);
      const files = branches[ref ?? ''];
      if (files === undefined) return Promise.reject(new Error(`no ref ${ref ?? ''}`));
      return Promise.resolve({ commit: `c-${ref ?? ''}`, files: Object.entries(files).map(([path, content]) => ({ path, content })) });
    },
  };
}

describe('decidePullRequestTrust', () => {
  it('trusts a PR from a branch of the repository and a plan started by hand, reading nothing', async () => {
    const config = source({});
    expect(await decidePullRequestTrust(config, { fork: false })).toEqual({ mode: 'trusted' });
    expect(await decidePullRequestTrust(config, undefined)).toEqual({ mode: 'trusted' });
    expect(config.loaded).toEqual([]);
  });

  it.each([
    { name: 'no opt-in', files: { 'fleet.yaml': fleet('') } },
    { name: 'forks: ignore', files: { 'fleet.yaml': fleet('  pullRequests: {forks: ignore}\n') } },
    { name: 'a misspelt value', files: { 'fleet.yaml': fleet('  pullRequests: {forks: Plan}\n') } },
    { name: 'no fleet.yaml on the base', files: { 'README.md': 'x' } },
  ])('refuses a fork when the base branch has $name', async ({ files }) => {
    const config = source({ main: files });
    const trust = await decidePullRequestTrust(config, { fork: true, headRepository: 'mallory/fleet', baseRef: 'main' });
    expect(trust).toMatchObject({ mode: 'refused', headRepository: 'mallory/fleet' });
    expect(trust.mode === 'refused' ? trust.reason : '').toContain('fleet.yaml on main does not set spec.pullRequests.forks: plan');
    expect(config.loaded).toEqual(['main']);
  });

  it('refuses a fork whose base branch is unknown without reading anything', async () => {
    const config = source({});
    expect(await decidePullRequestTrust(config, { fork: true, headRepository: 'mallory/fleet' })).toMatchObject({ mode: 'refused' });
    expect(config.loaded).toEqual([]);
  });

  it('restricts a fork the base branch opts in, with the base clusters and their connections', async () => {
    const config = source({ main: { 'fleet.yaml': fleet('  pullRequests: {forks: plan}\n') } });
    const trust = await decidePullRequestTrust(config, { fork: true, headRepository: 'mallory/fleet', baseRef: 'main' });
    expect(trust).toMatchObject({ mode: 'restricted', clusters: [{ name: 'a', connection: { secretId: 'regops/clusters/a' } }] });
  });
});
