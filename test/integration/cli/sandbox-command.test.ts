/**
 * `regops sandbox up` as a user runs it (bin/regops.mjs in its own process): it prints where the
 * clusters are, writes a kubeconfig with one context per cluster, serves until `regops sandbox down`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const bin = resolve('bin/regops.mjs');

describe('regops sandbox', () => {
  it('up serves a generated fleet and writes its kubeconfig; down stops it (exit 0)', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'regops-sandbox-cmd-'));
    const up = spawn(process.execPath, [bin, 'sandbox', 'up', '--clusters', '3', '--kubeconfig', 'fleet.kubeconfig'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const exited = new Promise<number | null>((done) => up.once('exit', done));
    await new Promise<void>((done, fail) => {
      createInterface({ input: up.stdout }).on('line', (line) => {
        lines.push(line);
        if (line.startsWith('Ctrl-C')) done();
      });
      up.once('exit', (code) => fail(new Error(`sandbox up exited ${String(code)}: ${lines.join('\n')}`)));
    });
    expect(lines[0]).toMatch(/^regops sandbox: 3 clusters at https:\/\/127\.0\.0\.1:\d+\/clusters\/<name>$/);
    expect(lines.slice(1, 4).map((l) => l.trim())).toEqual(['sbx-0001', 'sbx-0002', 'sbx-0003']);
    const kubeconfig = await readFile(join(cwd, 'fleet.kubeconfig'), 'utf8');
    for (const name of ['sbx-0001', 'sbx-0002', 'sbx-0003']) expect(kubeconfig).toContain(`name: ${name}`);

    const down = spawnSync(process.execPath, [bin, 'sandbox', 'down'], { cwd, encoding: 'utf8' });
    expect(down.status).toBe(0);
    expect(down.stdout).toMatch(/^regops sandbox: stopped https:\/\/127\.0\.0\.1:\d+/);
    expect(await exited).toBe(0);
  });
});
