import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic, Json, JsonObject, SourcePosition } from './model.ts';
import { appendPath } from './append-path.ts';

/** A YAML file as JSON plus where each field was set (dotted path → file, line, col). */
export interface ParsedYaml {
  file: string;
  /** The document as JSON; null for an empty file or when the file does not parse. */
  value: Json;
  /**
   * Dotted path (field-path.ts format) → position of the node that set it. For a map entry, the
   * key's position; for a list item, the item's. `''` is the document itself.
   */
  positions: Record<string, SourcePosition>;
  /** `yaml.syntax` errors (and `yaml.key` for keys JSON cannot hold); empty when the file parsed. */
  diagnostics: Diagnostic[];
}

interface Walk {
  file: string;
  doc: Document;
  lines: LineCounter;
  positions: Record<string, SourcePosition>;
  diagnostics: Diagnostic[];
}

function locate(walk: Walk, offset: number | undefined): SourcePosition {
  const { line, col } = walk.lines.linePos(offset ?? 0);
  return { file: walk.file, line, col };
}

function toJsonScalar(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return String(value);
}

function convertNode(walk: Walk, node: Node | null, path: string, depth: number): Json {
  if (node === null) return null;
  // aliases are resolved to the anchored node; positions stay those of the alias use site
  if (isAlias(node)) {
    if (depth > 64) return null;
    const target = node.resolve(walk.doc);
    return target === undefined ? null : convertNode(walk, target as Node, path, depth + 1);
  }
  if (isScalar(node)) return toJsonScalar(node.value);
  if (isSeq(node)) {
    const out: Json[] = [];
    node.items.forEach((item, index) => {
      const itemPath = appendPath(path, index);
      const itemNode = item as Node | null;
      walk.positions[itemPath] = locate(walk, itemNode?.range?.[0] ?? node.range?.[0]);
      out.push(convertNode(walk, itemNode, itemPath, depth));
    });
    return out;
  }
  if (isMap(node)) {
    const out: JsonObject = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const rawKey = isScalar(keyNode) ? keyNode.value : keyNode === null ? null : keyNode.toJSON();
      const key = typeof rawKey === 'string' ? rawKey : rawKey === null ? '' : String(rawKey);
      const at = locate(walk, keyNode?.range?.[0] ?? node.range?.[0]);
      if (key === '__proto__' || (typeof rawKey === 'object' && rawKey !== null)) {
        walk.diagnostics.push({
          code: 'yaml.key', severity: 'error', file: walk.file, line: at.line, col: at.col,
          message: `key ${JSON.stringify(key)} cannot be used as a field name`,
          hint: 'use a plain string key',
        });
        continue;
      }
      const childPath = appendPath(path, key);
      walk.positions[childPath] = at;
      out[key] = convertNode(walk, pair.value as Node | null, childPath, depth);
    }
    return out;
  }
  return null;
}

/**
 * Parses one YAML document with positions. Syntax errors become `yaml.syntax` diagnostics at the
 * error's FILE:LINE:COL (value null); a file holding more than one document is an error too.
 */
export function parseYamlSource(file: string, content: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(content, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const walk: Walk = { file, doc, lines, positions: {}, diagnostics: [] };
  if (doc.errors.length > 0) {
    // the first error only: the parser's later errors mostly cascade from it
    for (const error of doc.errors.slice(0, 1)) {
      // point at the offending token, not at the indentation before it
      let offset = error.pos[0];
      while (content[offset] === ' ' || content[offset] === '\t') offset += 1;
      const at = locate(walk, offset);
      walk.diagnostics.push({
        code: 'yaml.syntax', severity: 'error', file, line: at.line, col: at.col,
        message: error.code === 'MULTIPLE_DOCS'
          ? 'YAML syntax error: a config file holds exactly one document, this one has more'
          : `YAML syntax error: ${error.message.split('\n')[0] ?? error.code}`,
        hint: error.code === 'MULTIPLE_DOCS'
          ? 'remove the extra `---` document or move it to its own file'
          : 'fix the YAML syntax (indentation, quoting, brackets, duplicate keys) at this position',
      });
    }
    return { file, value: null, positions: {}, diagnostics: walk.diagnostics };
  }
  walk.positions[''] = locate(walk, doc.contents?.range?.[0] ?? 0);
  const value = convertNode(walk, doc.contents as Node | null, '', 0);
  return { file, value, positions: walk.positions, diagnostics: walk.diagnostics };
}
