/**
 * Validates objects against the real CRD OpenAPI v3 schemas (functions/schemas, vendored from
 * openshift/api): types, enums, patterns, formats, bounds, list uniqueness, unknown fields with a
 * "did you mean". CEL rules (x-kubernetes-validations) are not run here: registry-rules.ts implements
 * the ones that matter. Schemas are compiled once, on first use, into a tree of plain checks.
 */
import { vendoredCrds } from '../schemas/crds.ts';
import type { Json, JsonObject } from './model.ts';
import { appendPath } from './append-path.ts';
import { parseGoDuration } from './go-duration.ts';
import { formatSuggestion } from './suggest-name.ts';

/** One schema violation at a dotted path of the object. Always an error. */
export interface SchemaIssue {
  /** `schema.type`, `schema.enum`, `schema.pattern`, `schema.format`, `schema.minimum`, … `schema.required`. */
  code: string;
  path: string;
  message: string;
  hint: string;
}

export interface SchemaValidateOptions {
  /**
   * Git holds partial objects: with partial, `required` is not enforced on maps (the live object
   * supplies the rest), but it is inside list items, because a list in a merge patch replaces the
   * live list whole (RFC 7386).
   */
  partial: boolean;
}

type RawSchema = Record<string, unknown>;

interface CompiledSchema {
  types: string | undefined;
  nullable: boolean;
  intOrString: boolean;
  preserveUnknown: boolean;
  properties: Map<string, CompiledSchema> | undefined;
  additional: CompiledSchema | boolean | undefined;
  required: string[];
  items: CompiledSchema | undefined;
  enumValues: Json[] | undefined;
  pattern: RegExp | undefined;
  patternText: string;
  format: string | undefined;
  minimum: number | undefined;
  maximum: number | undefined;
  minLength: number | undefined;
  maxLength: number | undefined;
  minItems: number | undefined;
  maxItems: number | undefined;
  listType: string | undefined;
  listMapKeys: string[];
  anyOf: CompiledSchema[] | undefined;
  not: CompiledSchema | undefined;
}

function isRecord(value: unknown): value is RawSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function compilePattern(text: unknown): RegExp | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return new RegExp(text, 'u');
  } catch {
    // a Go RE2 construct JavaScript lacks: the API server still checks it, regops cannot
    return undefined;
  }
}

function compileSchema(raw: RawSchema): CompiledSchema {
  const properties = isRecord(raw['properties'])
    ? new Map(Object.entries(raw['properties']).filter(([, v]) => isRecord(v)).map(([k, v]) => [k, compileSchema(v as RawSchema)]))
    : undefined;
  const additionalRaw = raw['additionalProperties'];
  return {
    types: typeof raw['type'] === 'string' ? raw['type'] : undefined,
    nullable: raw['nullable'] === true,
    intOrString: raw['x-kubernetes-int-or-string'] === true,
    preserveUnknown: raw['x-kubernetes-preserve-unknown-fields'] === true,
    properties,
    additional: isRecord(additionalRaw) ? compileSchema(additionalRaw) : typeof additionalRaw === 'boolean' ? additionalRaw : undefined,
    required: Array.isArray(raw['required']) ? raw['required'].filter((r): r is string => typeof r === 'string') : [],
    items: isRecord(raw['items']) ? compileSchema(raw['items']) : undefined,
    enumValues: Array.isArray(raw['enum']) ? (raw['enum'] as Json[]) : undefined,
    pattern: compilePattern(raw['pattern']),
    patternText: typeof raw['pattern'] === 'string' ? raw['pattern'] : '',
    format: typeof raw['format'] === 'string' ? raw['format'] : undefined,
    minimum: num(raw['minimum']),
    maximum: num(raw['maximum']),
    minLength: num(raw['minLength']),
    maxLength: num(raw['maxLength']),
    minItems: num(raw['minItems']),
    maxItems: num(raw['maxItems']),
    listType: typeof raw['x-kubernetes-list-type'] === 'string' ? raw['x-kubernetes-list-type'] : undefined,
    listMapKeys: Array.isArray(raw['x-kubernetes-list-map-keys']) ? raw['x-kubernetes-list-map-keys'].filter((k): k is string => typeof k === 'string') : [],
    anyOf: Array.isArray(raw['anyOf']) ? raw['anyOf'].filter(isRecord).map(compileSchema) : undefined,
    not: isRecord(raw['not']) ? compileSchema(raw['not']) : undefined,
  };
}

let compiled: Map<string, CompiledSchema> | undefined;

function loadSchemas(): Map<string, CompiledSchema> {
  if (compiled !== undefined) return compiled;
  compiled = new Map();
  for (const { crd } of vendoredCrds) {
    if (!isRecord(crd) || !isRecord(crd['spec'])) continue;
    const { group, names, versions } = crd['spec'];
    if (typeof group !== 'string' || !isRecord(names) || typeof names['kind'] !== 'string' || !Array.isArray(versions)) continue;
    for (const version of versions) {
      if (!isRecord(version) || typeof version['name'] !== 'string' || !isRecord(version['schema'])) continue;
      const root = version['schema']['openAPIV3Schema'];
      if (isRecord(root)) compiled.set(`${group}/${version['name']}/${names['kind']}`, compileSchema(root));
    }
  }
  return compiled;
}

/** The compiled schema for an apiVersion/kind, or undefined when none is vendored. */
function findSchema(body: JsonObject): CompiledSchema | undefined {
  const apiVersion = body['apiVersion'];
  const kind = body['kind'];
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  return loadSchemas().get(`${apiVersion}/${kind}`);
}

function describe(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'number') return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

const int32 = { min: -2147483648, max: 2147483647 };
const hostname = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

function checkFormat(schema: CompiledSchema, value: Json): string | undefined {
  switch (schema.format) {
    case 'int32':
      return typeof value === 'number' && (value < int32.min || value > int32.max) ? 'outside the int32 range' : undefined;
    case 'int64':
      return typeof value === 'number' && !Number.isSafeInteger(value) ? 'outside the int64 range regops can represent exactly' : undefined;
    case 'duration':
      return typeof value === 'string' && parseGoDuration(value.replace(/^[-+]/, '')) === undefined ? 'not a duration' : undefined;
    case 'hostname':
      return typeof value === 'string' && !hostname.test(value) ? 'not a hostname' : undefined;
    case 'date-time':
      return typeof value === 'string' && Number.isNaN(Date.parse(value)) ? 'not an RFC 3339 date-time' : undefined;
    default:
      return undefined;
  }
}

function typeMatches(schema: CompiledSchema, value: Json): boolean {
  if (schema.intOrString) return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'string';
  switch (schema.types) {
    case undefined:
      return true;
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

interface Walk {
  issues: SchemaIssue[];
  requiredOnly: boolean;
}

function push(walk: Walk, code: string, path: string, message: string, hint: string): void {
  walk.issues.push({ code, path, message: `${path || '(object)'}: ${message}`, hint });
}

function checkScalar(walk: Walk, schema: CompiledSchema, value: Json, path: string): void {
  if (schema.enumValues !== undefined && !schema.enumValues.some((allowed) => allowed === value)) {
    const names = schema.enumValues.map((v) => JSON.stringify(v));
    push(walk, 'schema.enum', path, `${describe(value)} is not one of ${names.join(', ')}${typeof value === 'string' ? formatSuggestion(value, schema.enumValues.filter((v): v is string => typeof v === 'string' && v !== '')) : ''}`,
      `use one of ${names.join(', ')}`);
  }
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && !schema.pattern.test(value)) {
      // enum-like patterns (`^(Managed|Unmanaged|Force|Removed)$`) can still suggest a near miss
      const alternatives = /^\^\(([A-Za-z|]+)\)\$$/.exec(schema.patternText)?.[1]?.split('|') ?? [];
      push(walk, 'schema.pattern', path, `${JSON.stringify(value)} does not match ${schema.patternText}${formatSuggestion(value, alternatives)}`,
        alternatives.length > 0 ? `use one of ${alternatives.join(', ')}` : `write a value matching ${schema.patternText}`);
    }
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      push(walk, 'schema.min-length', path, `shorter than ${schema.minLength} characters`, `use at least ${schema.minLength} characters`);
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      push(walk, 'schema.max-length', path, `longer than ${schema.maxLength} characters`, `use at most ${schema.maxLength} characters`);
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      push(walk, 'schema.minimum', path, `${value} is below the minimum ${schema.minimum}`, `use a value of at least ${schema.minimum}`);
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      push(walk, 'schema.maximum', path, `${value} is above the maximum ${schema.maximum}`, `use a value of at most ${schema.maximum}`);
    }
  }
  const formatProblem = checkFormat(schema, value);
  if (formatProblem !== undefined) {
    push(walk, 'schema.format', path, `${describe(value)} is ${formatProblem} (format ${schema.format ?? ''})`,
      schema.format === 'duration' ? 'write a Go-style duration such as 30s, 5m or 1h30m' : `write a valid ${schema.format ?? ''} value`);
  }
}

function checkList(walk: Walk, schema: CompiledSchema, value: Json[], path: string): void {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    push(walk, 'schema.min-items', path, `has ${value.length} items, at least ${schema.minItems} required`, `list at least ${schema.minItems} items, or remove the field`);
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    push(walk, 'schema.max-items', path, `has ${value.length} items, at most ${schema.maxItems} allowed`, `list at most ${schema.maxItems} items`);
  }
  if (schema.listType === 'set' || (schema.listType === 'map' && schema.listMapKeys.length > 0)) {
    const seen = new Set<string>();
    value.forEach((item, index) => {
      const key = schema.listType === 'set' ? JSON.stringify(item)
        : JSON.stringify(schema.listMapKeys.map((k) => (typeof item === 'object' && item !== null && !Array.isArray(item) ? (item[k] ?? null) : null)));
      if (seen.has(key)) {
        push(walk, 'schema.duplicate-item', appendPath(path, index), `duplicate item ${key}`, `remove the duplicate (the list is a ${schema.listType}${schema.listMapKeys.length > 0 ? ` keyed by ${schema.listMapKeys.join(', ')}` : ''})`);
      }
      seen.add(key);
    });
  }
  // a list in a merge patch replaces the live list whole: its items must be complete
  if (schema.items !== undefined) value.forEach((item, index) => checkValue(walk, schema.items as CompiledSchema, item, appendPath(path, index), false));
}

function checkMap(walk: Walk, schema: CompiledSchema, value: JsonObject, path: string, partial: boolean): void {
  if (!partial) {
    for (const name of schema.required) {
      if (value[name] === undefined) push(walk, 'schema.required', appendPath(path, name), 'required field is missing', `set ${appendPath(path, name)}`);
    }
  }
  for (const key of Object.keys(value)) {
    const child = value[key] as Json;
    const childPath = appendPath(path, key);
    const property = schema.properties?.get(key);
    if (property !== undefined) checkValue(walk, property, child, childPath, partial);
    else if (typeof schema.additional === 'object') checkValue(walk, schema.additional, child, childPath, partial);
    else if (!walk.requiredOnly && schema.properties !== undefined && schema.additional !== true && !schema.preserveUnknown) {
      const known = [...schema.properties.keys()];
      push(walk, 'schema.unknown-field', childPath, `unknown field${formatSuggestion(key, known)}`,
        `the API server would drop it; fields here are: ${known.join(', ')}`);
    }
  }
}

function checkValue(walk: Walk, schema: CompiledSchema, value: Json, path: string, partial: boolean): void {
  if (value === null) {
    if (!walk.requiredOnly && !schema.nullable && !schema.preserveUnknown) {
      push(walk, 'schema.type', path, 'null is not allowed here', 'give a value, or remove the field (in an overlay, null means "not owned" and is dropped)');
    }
    return;
  }
  if (!typeMatches(schema, value)) {
    if (!walk.requiredOnly) {
      const wanted = schema.intOrString ? 'an integer or a string' : schema.types === 'object' ? 'a map' : schema.types === 'array' ? 'a list' : schema.types === 'integer' ? 'an integer' : `a ${schema.types ?? 'value'}`;
      push(walk, 'schema.type', path, `expected ${wanted}, got ${describe(value)}`, `write ${wanted} here`);
    }
    return;
  }
  if (schema.anyOf !== undefined && !walk.requiredOnly) {
    const passes = schema.anyOf.some((branch) => {
      const trial: Walk = { issues: [], requiredOnly: false };
      checkValue(trial, branch, value, path, false);
      return trial.issues.length === 0;
    });
    if (!passes) push(walk, 'schema.any-of', path, 'matches none of the allowed shapes', 'see the CRD schema for the allowed combinations');
  }
  if (schema.not !== undefined && !walk.requiredOnly) {
    const trial: Walk = { issues: [], requiredOnly: false };
    checkValue(trial, schema.not, value, path, false);
    if (trial.issues.length === 0) push(walk, 'schema.not', path, 'matches a shape the schema forbids', 'see the CRD schema for the allowed combinations');
  }
  if (Array.isArray(value)) {
    if (!walk.requiredOnly) checkList(walk, schema, value, path);
    else if (schema.items !== undefined) value.forEach((item, i) => checkValue(walk, schema.items as CompiledSchema, item, appendPath(path, i), false));
    return;
  }
  if (typeof value === 'object') {
    if (schema.preserveUnknown && schema.properties === undefined) return;
    checkMap(walk, schema, value, path, partial);
    return;
  }
  if (!walk.requiredOnly) checkScalar(walk, schema, value, path);
}

/** True when a CRD schema is vendored for the object's apiVersion and kind. */
export function hasObjectSchema(body: JsonObject): boolean {
  return findSchema(body) !== undefined;
}

/**
 * Validates an object against the CRD schema of its apiVersion/kind. Kinds without a vendored CRD
 * (core v1 ConfigMap, Secret) give no issues; an unknown regops-rendered kind is a `schema.unknown-kind`.
 */
export function validateObjectSchema(body: JsonObject, options: SchemaValidateOptions): SchemaIssue[] {
  const schema = findSchema(body);
  if (schema === undefined) {
    if (body['apiVersion'] === 'v1') return [];
    return [{ code: 'schema.unknown-kind', path: 'kind', message: `kind: no schema for ${String(body['apiVersion'])} ${String(body['kind'])}`, hint: 'regops manages Config, ImagePruner and Image objects' }];
  }
  const walk: Walk = { issues: [], requiredOnly: false };
  checkValue(walk, schema, body, '', options.partial);
  return walk.issues;
}

/**
 * Plan-time check of `required` on the object as it will stand on the cluster (live merged with the
 * patch), e.g. spec.replicas of the Config (docs/registry-operator-facts.md §2). Only `schema.required` issues.
 */
export function checkRequiredFields(mergedBody: JsonObject): SchemaIssue[] {
  const schema = findSchema(mergedBody);
  if (schema === undefined) return [];
  // status is the operator's (a status subresource): regops never writes it, so never blames it
  const { status: _status, ...written } = mergedBody;
  const walk: Walk = { issues: [], requiredOnly: true };
  checkValue(walk, schema, written, '', false);
  return walk.issues;
}
