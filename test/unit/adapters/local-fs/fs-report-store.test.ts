// Reports on disk: keys as relative paths, atomic replace, sorted listing, no escape from the folder.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsReportStore } from '../../../../functions/adapters/local-fs/fs-report-store.ts';

describe('FsReportStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'regops-reports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const store = new FsReportStore(join(dir, 'reports'));

  it('puts, replaces and gets by key; a missing key is undefined', async () => {
    await store.put('latest/drift.json', '{"a":1}', 'application/json');
    await store.put('latest/drift.json', '{"a":2}', 'application/json');
    expect(await store.get('latest/drift.json')).toBe('{"a":2}');
    expect(await store.get('latest/none.json')).toBeUndefined();
    expect(readdirSync(join(dir, 'reports', 'latest'))).toEqual(['drift.json']);
  });

  it('lists keys under a prefix in ascending order', async () => {
    await store.put('history/drift/2026/11/25/2026-11-25T10:00:00Z.json', '{}', 'application/json');
    await store.put('history/drift/2026/11/24/2026-11-24T10:00:00Z.json', '{}', 'application/json');
    await store.put('history/plan/2026/11/24/x.json', '{}', 'application/json');
    expect(await store.list('history/drift/')).toEqual(['history/drift/2026/11/24/2026-11-24T10:00:00Z.json', 'history/drift/2026/11/25/2026-11-25T10:00:00Z.json']);
    expect(await new FsReportStore(join(dir, 'absent')).list('')).toEqual([]);
  });

  it.each(['../escape.json', '/abs.json', 'a//b.json', ''])('refuses the key %j', async (key) => {
    await expect(store.put(key, '{}', 'application/json')).rejects.toMatchObject({ code: 'storage.invalid-key' });
  });
});
