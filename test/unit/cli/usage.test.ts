/** README's `npx regops --help` block is what the CLI prints (issue 12: keep it true), byte for byte. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { usage } from '../../../functions/cli/usage.ts';

describe('usage', () => {
  it("is README's --help block", () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /`npx regops --help`:\n\n```\n([\s\S]*?)```\n/.exec(readme)?.[1];
    expect(block).toBe(usage);
  });

  it('fits 100 columns', () => {
    expect(usage.split('\n').filter((line) => line.length > 100)).toEqual([]);
  });
});
