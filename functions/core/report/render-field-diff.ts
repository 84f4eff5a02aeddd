/**
 * A plan entry's field changes as unified-diff lines, the way `kubectl diff` shows an object: `-`
 * for the live value, `+` for Git's, one hunk header per field with where Git set it. Multi-line
 * strings (PEM bundles) print line by line under the field, as YAML block scalars do.
 */
import type { FieldChange, Json } from '../model.ts';
import { formatValue, isMultiline, shortenDigests } from './format-value.ts';
import { maskCredentials } from './mask-credentials.ts';

/** One diff line: its kind picks the colour in text output. */
export interface DiffLine {
  kind: 'header' | 'hunk' | 'removed' | 'added';
  text: string;
}

function valueLines(prefix: '-' | '+', path: string, raw: Json): string[] {
  const value = maskCredentials(path, raw) ?? null;
  if (!isMultiline(value)) return [`${prefix}${path}: ${formatValue(value)}`];
  const body = value.endsWith('\n') ? value.slice(0, -1) : value;
  return [`${prefix}${path}: |`, ...body.split('\n').map((line) => `${prefix}  ${shortenDigests(line)}`)];
}

/**
 * Unified-diff lines for the changes of one object (`--- live/<name>`, `+++ git/<name>`, a hunk per
 * field). An object to create is one hunk from `/dev/null`, as `kubectl diff` shows a new object.
 */
export function renderFieldDiff(name: string, changes: readonly FieldChange[], options: { created?: boolean } = {}): DiffLine[] {
  if (changes.length === 0) return [];
  if (options.created === true) {
    const lines: DiffLine[] = [
      { kind: 'header', text: '--- /dev/null' },
      { kind: 'header', text: `+++ git/${name}` },
      { kind: 'hunk', text: `@@ new ${name} @@` },
    ];
    for (const change of changes) {
      if (change.after !== undefined) for (const text of valueLines('+', change.path, change.after)) lines.push({ kind: 'added', text });
    }
    return lines;
  }
  const lines: DiffLine[] = [
    { kind: 'header', text: `--- live/${name}` },
    { kind: 'header', text: `+++ git/${name}` },
  ];
  for (const change of changes) {
    const where = change.origin === undefined ? '' : ` ${change.origin.file}:${change.origin.line}:${change.origin.col}`;
    lines.push({ kind: 'hunk', text: `@@ ${change.path} (${change.op})${where} @@` });
    if (change.before !== undefined) for (const text of valueLines('-', change.path, change.before)) lines.push({ kind: 'removed', text });
    if (change.after !== undefined) for (const text of valueLines('+', change.path, change.after)) lines.push({ kind: 'added', text });
  }
  return lines;
}
