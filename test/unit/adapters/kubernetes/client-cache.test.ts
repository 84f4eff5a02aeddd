import { describe, expect, it } from 'vitest';
import { ClientCache } from '../../../../functions/adapters/kubernetes/client-cache.ts';

describe('ClientCache', () => {
  it('builds once per name and hands back the same promise', async () => {
    const cache = new ClientCache<string>();
    const built: string[] = [];
    const build = (name: string) => () => {
      built.push(name);
      return Promise.resolve(`client ${name}`);
    };
    const first = cache.get('a', build('a'));
    expect(cache.get('a', build('a'))).toBe(first);
    await expect(cache.get('b', build('b'))).resolves.toBe('client b');
    await expect(first).resolves.toBe('client a');
    expect(built).toEqual(['a', 'b']);
  });

  it('drops a failed build, so the next get builds again', async () => {
    const cache = new ClientCache<string>();
    let attempts = 0;
    const build = (): Promise<string> => {
      attempts += 1;
      return attempts === 1 ? Promise.reject(new Error('no context')) : Promise.resolve('client');
    };
    await expect(cache.get('a', build)).rejects.toThrow('no context');
    await expect(cache.get('a', build)).resolves.toBe('client');
    await expect(cache.get('a', build)).resolves.toBe('client');
    expect(attempts).toBe(2);
  });
});
