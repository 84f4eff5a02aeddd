/**
 * A hint or message regops prints may send the reader to a document, and that document must be one
 * the reader has: a file in this repository (docs/, config/README.md, …), never a fact sheet outside
 * it (issue 12: core's rule hints cited registry-operator.md, which only a session's shared folder held).
 * Scans the code lines (not comments) of functions/ and infra/ for the .md paths their strings name.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** A path ending in .md inside a string: not a URL, not a property access such as forge.md.sha256. */
const citation = /(?<![\w/:.-])((?:[\w-]+\/)*[\w-]+\.md)(?![\w.])/g;

function codeLines(folder: string): Array<{ file: string; line: number; text: string }> {
  const out: Array<{ file: string; line: number; text: string }> = [];
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    readFileSync(file, 'utf8').split('\n').forEach((text, index) => {
      const trimmed = text.trim();
      if (trimmed.startsWith('//') || trimmed.startsWith('*') || trimmed.startsWith('/*')) return;
      // a trailing comment is not a string either
      out.push({ file, line: index + 1, text: text.replace(/\s\/\/\s.*$/, '') });
    });
  }
  return out;
}

describe('documents cited in user-visible strings', () => {
  it('exist in this repository, section numbers included (docs/registry-operator-facts.md)', () => {
    const missing: string[] = [];
    const cited = new Set<string>();
    const facts = readFileSync('docs/registry-operator-facts.md', 'utf8');
    for (const { file, line, text } of [...codeLines('functions'), ...codeLines('infra')]) {
      for (const match of text.matchAll(citation)) {
        const path = match[1] ?? '';
        cited.add(path);
        if (!existsSync(path)) missing.push(`${file}:${line}: ${path}`);
        // a § after the facts sheet names a heading (§3.9) or an item of §10's list (§10.11) there
        const section = path === 'docs/registry-operator-facts.md' ? /^ §(\d+(?:\.\d+)?)/.exec(text.slice((match.index ?? 0) + path.length))?.[1] : undefined;
        if (section === undefined) continue;
        const [major, minor] = section.split('.');
        const found = new RegExp(`^#+ ${section.replace('.', '\\.')}[ .]`, 'm').test(facts) || (major === '10' && new RegExp(`^## 10\\.[\\s\\S]*^${minor}\\. `, 'm').test(facts));
        if (!found) missing.push(`${file}:${line}: ${path} §${section}`);
      }
    }
    expect(missing).toEqual([]);
    // the scan reads what it should: the rule hints' facts sheet and config/README.md are among them
    expect([...cited]).toEqual(expect.arrayContaining(['docs/registry-operator-facts.md', 'config/README.md']));
  });
});
