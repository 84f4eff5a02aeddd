import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic, Json, JsonObject, SourcePosition } from './model.ts';
import { appendPath } from './append-path.ts';
import { INPUT_LIMITS } from './input-limits.ts';

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
  /** Nodes produced through aliases so far (INPUT_LIMITS.aliasNodes). */
  aliasNodes: number;
  /** Expanded node count per anchored node, so each anchor is measured once. */
  sizes: Map<Node, number>;
  /** Set by a fatal finding (alias limit, duplicate key): the file's value becomes null. */
  failed: boolean;
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

function fail(walk: Walk, at: SourcePosition, code: string, message: string, hint: string): void {
  walk.failed = true;
  walk.diagnostics.push({ code, severity: 'error', file: walk.file, line: at.line, col: at.col, message, hint });
}

/**
 * How many nodes a node becomes once its aliases are expanded, without expanding them: each anchored
 * node is measured once (memoised), so nine nested aliases of ten items cost nine measurements, not 10^9.
 * A cycle (an alias inside its own anchor) counts as infinite.
 */
function expandedSize(walk: Walk, node: Node | null, open: Set<Node>): number {
  if (node === null) return 1;
  if (isAlias(node)) {
    const target = node.resolve(walk.doc) as Node | undefined;
    return target === undefined ? 1 : expandedSize(walk, target, open);
  }
  const known = walk.sizes.get(node);
  if (known !== undefined) return known;
  if (open.has(node)) return Infinity;
  open.add(node);
  let size = 1;
  if (isSeq(node)) for (const item of node.items) size += expandedSize(walk, item as Node | null, open);
  if (isMap(node)) for (const pair of node.items) if (isPair(pair)) size += 1 + expandedSize(walk, pair.value as Node | null, open);
  open.delete(node);
  walk.sizes.set(node, size);
  return size;
}

/** A map key as a JSON field name; undefined for a key JSON cannot hold (a map, a list, an alias to one). */
function readKey(walk: Walk, keyNode: Node | null): string | undefined {
  if (keyNode === null) return '';
  const node = isAlias(keyNode) ? (keyNode.resolve(walk.doc) as Node | undefined) : keyNode;
  if (!isScalar(node)) return undefined;
  const raw = node.value;
  return typeof raw === 'string' ? raw : raw === null || raw === undefined ? '' : String(raw);
}

/**
 * YAML node → JSON, recording positions. `viaAlias`: inside an expansion already counted against the
 * alias budget. Duplicate keys are found here with one lookup per key (the yaml library's own
 * `uniqueKeys` check compares each key with every earlier one: 80,000 keys took 33 s).
 */
function convertNode(walk: Walk, node: Node | null, path: string, viaAlias: boolean): Json {
  if (node === null || walk.failed) return null;
  // aliases are resolved to the anchored node; positions stay those of the alias use site
  if (isAlias(node)) {
    const target = node.resolve(walk.doc) as Node | undefined;
    if (target === undefined) return null;
    if (!viaAlias) {
      walk.aliasNodes += expandedSize(walk, target, new Set());
      if (walk.aliasNodes > INPUT_LIMITS.aliasNodes) {
        fail(walk, locate(walk, node.range?.[0]), 'yaml.alias-limit',
          `alias *${node.source} expands the file past ${INPUT_LIMITS.aliasNodes} nodes made through aliases (a "billion laughs" file, or an alias inside its own anchor)`,
          'write the values out, or use fewer and smaller aliases');
        return null;
      }
    }
    return convertNode(walk, target, path, true);
  }
  if (isScalar(node)) return toJsonScalar(node.value);
  if (isSeq(node)) {
    const out: Json[] = [];
    node.items.forEach((item, index) => {
      const itemPath = appendPath(path, index);
      const itemNode = item as Node | null;
      walk.positions[itemPath] = locate(walk, itemNode?.range?.[0] ?? node.range?.[0]);
      out.push(convertNode(walk, itemNode, itemPath, viaAlias));
    });
    return out;
  }
  if (isMap(node)) {
    const out: JsonObject = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const key = readKey(walk, keyNode);
      const at = locate(walk, keyNode?.range?.[0] ?? node.range?.[0]);
      if (key === '__proto__' || key === undefined) {
        walk.diagnostics.push({
          code: 'yaml.key', severity: 'error', file: walk.file, line: at.line, col: at.col,
          message: `key ${key === undefined ? '(a map or a list)' : JSON.stringify(key)} cannot be used as a field name`,
          hint: 'use a plain string key',
        });
        continue;
      }
      const childPath = appendPath(path, key);
      if (Object.hasOwn(out, key)) {
        const first = walk.positions[childPath];
        fail(walk, at, 'yaml.syntax', `YAML syntax error: map keys must be unique: ${JSON.stringify(key)} is already set${first === undefined ? '' : ` at line ${first.line}`}`,
          'fix the YAML syntax (indentation, quoting, brackets, duplicate keys) at this position');
        return null;
      }
      walk.positions[childPath] = at;
      out[key] = convertNode(walk, pair.value as Node | null, childPath, viaAlias);
    }
    return out;
  }
  return null;
}

/**
 * Parses one YAML document with positions. Syntax errors become `yaml.syntax` diagnostics at the
 * error's FILE:LINE:COL (value null); a file holding more than one document is an error too, and so
 * are duplicate keys and aliases expanding past INPUT_LIMITS.aliasNodes (input-limits.ts).
 */
export function parseYamlSource(file: string, content: string): ParsedYaml {
  const lines = new LineCounter();
  // uniqueKeys off: convertNode checks duplicates in linear time
  const doc = parseDocument(content, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const walk: Walk = { file, doc, lines, positions: {}, diagnostics: [], aliasNodes: 0, sizes: new Map(), failed: false };
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
  const value = convertNode(walk, doc.contents as Node | null, '', false);
  if (walk.failed) return { file, value: null, positions: {}, diagnostics: walk.diagnostics };
  return { file, value, positions: walk.positions, diagnostics: walk.diagnostics };
}
