import type { StatusCause } from './api-status.ts';
import type { SchemaNode } from './resource-catalog.ts';

import { parse, type ParseResult } from '@marcbachmann/cel-js';
import { isJsonEqual, isJsonMap as isMap, type JsonMap, type JsonValue } from './json-value.ts';

/** What processing an object against its structural schema found. */
export interface SchemaOutcome {
  /** Validation failures, as Status causes (field paths like `spec.routes[0].name`). */
  causes: StatusCause[];
  /** Fields not in the schema (already pruned from the object), as paths. */
  unknownFields: string[];
}

function joinPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

// Go's %v rendering of a value in field.Invalid messages: strings quoted, numbers bare, objects as JSON.
function renderValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return JSON.stringify(value);
}

function typeOfJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(schema: SchemaNode, value: unknown): boolean {
  if (schema['x-kubernetes-int-or-string'] === true) return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
  const actual = typeOfJson(value);
  switch (schema.type) {
    case undefined:
      return true;
    case 'number':
      return actual === 'number' || actual === 'integer';
    case 'object':
      return actual === 'object';
    default:
      return actual === schema.type;
  }
}

// Go duration syntax (time.ParseDuration), which the apiserver's `duration` format accepts.
const goDuration = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$|^[-+]?0$/;
const dateTime = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const byteFormat = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function checkFormat(format: string | undefined, value: string): boolean {
  switch (format) {
    case 'duration':
      return goDuration.test(value);
    case 'date-time':
      return dateTime.test(value);
    case 'byte':
      return byteFormat.test(value);
    default:
      return true;
  }
}

const patternCache = new Map<string, RegExp>();
function compilePattern(pattern: string): RegExp {
  let compiled = patternCache.get(pattern);
  if (compiled === undefined) {
    compiled = new RegExp(pattern, 'u');
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

// x-kubernetes-validations run on a CEL engine (@marcbachmann/cel-js), compiled once per rule. As in
// the apiserver: integers are CEL ints, `self` is the value at the rule's node, and a transition rule
// (one that reads `oldSelf`) runs only on an update where the node had an old value.
const compiledRules = new Map<string, ParseResult | Error>();
function compileRule(rule: string): ParseResult | Error {
  let compiled = compiledRules.get(rule);
  if (compiled === undefined) {
    try {
      compiled = parse(rule);
    } catch (error) {
      compiled = error instanceof Error ? error : new Error(String(error));
    }
    compiledRules.set(rule, compiled);
  }
  return compiled;
}

function toCel(value: JsonValue): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toCel(item)]));
  return value;
}

/** The rule's verdict: true, false, or the evaluation error's text. */
function runRule(rule: string, self: JsonValue, oldSelf: JsonValue | undefined): boolean | string {
  const compiled = compileRule(rule);
  if (compiled instanceof Error) return `compilation error: ${compiled.message}`;
  try {
    const context: Record<string, unknown> = { self: toCel(self) };
    if (oldSelf !== undefined) context['oldSelf'] = toCel(oldSelf);
    const result: unknown = compiled(context);
    return result === true ? true : result === false ? false : `rule evaluated to ${String(result)}, not a bool`;
  } catch (error) {
    return `rule evaluation error: ${error instanceof Error ? error.message : String(error)}`;
  }
}

class SchemaWalker {
  readonly causes: StatusCause[] = [];
  /** the causes x-kubernetes-validations rules gave */
  readonly ruleCauses = new Set<StatusCause>();
  readonly unknownFields: string[] = [];

  private invalid(path: string, value: unknown, detail: string): void {
    this.causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${renderValue(value)}: ${path} in body ${detail}`, field: path });
  }

  /**
   * Prunes unknown fields and nulls, injects defaults, validates; returns the value to keep (undefined =
   * drop). `old` is the value at the same path before an update: it feeds transition rules (`oldSelf`)
   * and ratcheting (an unchanged value keeps its errors to itself, as the apiserver's
   * CRDValidationRatcheting, on by default since Kubernetes 1.30, does).
   */
  visit(schema: SchemaNode, value: JsonValue, path: string, old?: JsonValue): JsonValue | undefined {
    const mark = this.causes.length;
    const kept = this.visitNode(schema, value, path, old);
    if (kept !== undefined && kept !== null && matchesType(schema, kept)) this.checkRules(schema, kept, path, old);
    if (old !== undefined && isJsonEqual(value, old)) this.causes.length = mark;
    return kept;
  }

  private checkRules(schema: SchemaNode, value: JsonValue, path: string, old: JsonValue | undefined): void {
    for (const validation of schema['x-kubernetes-validations'] ?? []) {
      const transition = /\boldSelf\b/.test(validation.rule);
      if (transition && old === undefined) continue;
      const verdict = runRule(validation.rule, value, transition ? old : undefined);
      if (verdict === true) continue;
      let message = typeof verdict === 'string' ? verdict : (validation.message ?? `failed rule: ${validation.rule}`);
      if (verdict === false && validation.messageExpression !== undefined) {
        const compiled = compileRule(validation.messageExpression);
        if (!(compiled instanceof Error)) {
          try {
            const text: unknown = compiled({ self: toCel(value) });
            if (typeof text === 'string' && text !== '') message = text;
          } catch {
            // the apiserver falls back to message when messageExpression fails
          }
        }
      }
      const cause: StatusCause = { reason: 'FieldValueInvalid', message: `Invalid value: ${renderValue(typeOfJson(value))}: ${message}`, field: path };
      this.ruleCauses.add(cause);
      this.causes.push(cause);
    }
  }

  private visitNode(schema: SchemaNode, value: JsonValue, path: string, old: JsonValue | undefined): JsonValue | undefined {
    if (value === null) {
      return schema.nullable === true ? null : undefined;
    }
    if (!matchesType(schema, value)) {
      const expected = schema['x-kubernetes-int-or-string'] === true ? 'integer,string' : (schema.type ?? 'object');
      this.causes.push({
        reason: 'FieldValueTypeInvalid',
        message: `Invalid value: ${renderValue(typeOfJson(value))}: ${path} in body must be of type ${expected}: ${renderValue(typeOfJson(value))}`,
        field: path,
      });
      return value;
    }
    if (schema.enum !== undefined && !schema.enum.some((allowed) => allowed === value)) {
      const supported = schema.enum.map((allowed) => renderValue(allowed)).join(', ');
      this.causes.push({ reason: 'FieldValueNotSupported', message: `Unsupported value: ${renderValue(value)}: supported values: ${supported}`, field: path });
    }
    if (typeof value === 'string') this.checkString(schema, value, path);
    else if (typeof value === 'number') this.checkNumber(schema, value, path);
    else if (Array.isArray(value)) return this.visitArray(schema, value, path, Array.isArray(old) ? old : undefined);
    else if (isMap(value)) return this.visitObject(schema, value, path, isMap(old) ? old : undefined);
    return value;
  }

  private checkString(schema: SchemaNode, value: string, path: string): void {
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) {
      this.causes.push({ reason: 'FieldValueTooLong', message: `Too long: may not be more than ${schema.maxLength} bytes`, field: path });
    }
    if (schema.minLength !== undefined && [...value].length < schema.minLength) {
      this.invalid(path, value, `should be at least ${schema.minLength} chars long`);
    }
    if (schema.pattern !== undefined && !compilePattern(schema.pattern).test(value)) {
      this.invalid(path, value, `should match '${schema.pattern}'`);
    }
    if (!checkFormat(schema.format, value)) {
      this.invalid(path, value, `must be of type ${schema.format ?? 'string'}: ${renderValue(value)}`);
    }
  }

  private checkNumber(schema: SchemaNode, value: number, path: string): void {
    if (schema.minimum !== undefined && value < schema.minimum) this.invalid(path, value, `should be greater than or equal to ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) this.invalid(path, value, `should be less than or equal to ${schema.maximum}`);
  }

  // Items of a map list meet their old item by key; other lists' items have no old value (the apiserver correlates only map and set lists).
  private oldItem(schema: SchemaNode, item: JsonValue, old: JsonValue[] | undefined): JsonValue | undefined {
    if (old === undefined) return undefined;
    if (schema['x-kubernetes-list-type'] === 'set') return old.find((candidate) => isJsonEqual(candidate, item));
    if (schema['x-kubernetes-list-type'] !== 'map' || !isMap(item)) return undefined;
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    return old.find((candidate) => isMap(candidate) && keys.every((key) => isJsonEqual(candidate[key] ?? null, item[key] ?? null)));
  }

  private visitArray(schema: SchemaNode, value: JsonValue[], path: string, old: JsonValue[] | undefined): JsonValue[] {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      this.causes.push({ reason: 'FieldValueTooMany', message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`, field: path });
    }
    if (schema.minItems !== undefined && value.length < schema.minItems) this.invalid(path, value, `should have at least ${schema.minItems} items`);
    const itemSchema = schema.items;
    if (itemSchema === undefined) return value;
    const out: JsonValue[] = [];
    value.forEach((item, index) => {
      const kept = this.visit(itemSchema, item, `${path}[${index}]`, this.oldItem(schema, item, old));
      // a null list item is kept as null (the apiserver prunes nulls from objects, not lists)
      out.push(kept === undefined ? null : kept);
    });
    this.checkListType(schema, out, path);
    return out;
  }

  private checkListType(schema: SchemaNode, items: JsonValue[], path: string): void {
    const listType = schema['x-kubernetes-list-type'];
    if (listType === 'set') {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        const key = JSON.stringify(item);
        if (seen.has(key)) this.causes.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${renderValue(item)}`, field: `${path}[${index}]` });
        seen.add(key);
      });
    } else if (listType === 'map') {
      const keys = schema['x-kubernetes-list-map-keys'] ?? [];
      const seen = new Set<string>();
      items.forEach((item, index) => {
        if (!isMap(item)) return;
        const identity: JsonMap = {};
        for (const key of keys) identity[key] = item[key] ?? null;
        const serialized = JSON.stringify(identity);
        if (seen.has(serialized)) this.causes.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${JSON.stringify(identity)}`, field: `${path}[${index}]` });
        seen.add(serialized);
      });
    }
  }

  private visitObject(schema: SchemaNode, value: JsonMap, path: string, old: JsonMap | undefined): JsonMap {
    const properties = schema.properties;
    const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
    const additional = schema.additionalProperties;
    const out: JsonMap = {};
    for (const [key, child] of Object.entries(value)) {
      const childPath = properties !== undefined || additional === undefined ? joinPath(path, key) : `${path}[${key}]`;
      const childSchema = properties?.[key] ?? (typeof additional === 'object' ? additional : undefined);
      if (childSchema !== undefined) {
        const kept = this.visit(childSchema, child, childPath, old?.[key]);
        if (kept !== undefined) out[key] = kept;
      } else if (preserve || additional === true || (properties === undefined && additional === undefined && schema.type === undefined)) {
        out[key] = child;
      } else {
        this.unknownFields.push(childPath);
      }
    }
    // defaults are injected after pruning; a defaulted object is itself walked for nested defaults
    if (properties !== undefined) {
      for (const [key, childSchema] of Object.entries(properties)) {
        if (out[key] !== undefined || childSchema.default === undefined) continue;
        const defaulted = this.visit(childSchema, structuredClone(childSchema.default) as JsonValue, joinPath(path, key));
        if (defaulted !== undefined) out[key] = defaulted;
      }
    }
    for (const required of schema.required ?? []) {
      if (out[required] === undefined) this.causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: joinPath(path, required) });
    }
    if (schema.maxProperties !== undefined && Object.keys(out).length > schema.maxProperties) {
      this.causes.push({ reason: 'FieldValueTooMany', message: `Too many: ${Object.keys(out).length}: must have at most ${schema.maxProperties} items`, field: path });
    }
    if (schema.minProperties !== undefined && Object.keys(out).length < schema.minProperties) {
      this.invalid(path, out, `should have at least ${schema.minProperties} properties`);
    }
    return out;
  }
}

/** Whether a schema has an x-kubernetes-validations rule anywhere (the apiserver then builds a CEL validator for it). */
function hasRules(schema: SchemaNode): boolean {
  if ((schema['x-kubernetes-validations'] ?? []).length > 0) return true;
  const children: unknown[] = [...Object.values(schema.properties ?? {}), schema.items, typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined, ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  return children.some((child) => typeof child === 'object' && child !== null && hasRules(child as SchemaNode));
}

/**
 * Prunes, defaults and validates an object against a CRD structural schema, in the apiserver's order
 * (prune unknown fields and non-nullable nulls, inject `default`s, then validate). Returns the processed
 * object (a new value; the input is not changed) and what was found.
 */
export function applySchema(schema: SchemaNode, object: JsonMap, old?: JsonMap): { object: JsonMap; outcome: SchemaOutcome } {
  const walker = new SchemaWalker();
  const processed = walker.visit(schema, object, '', old);
  let causes = walker.causes;
  // apiextensions-apiserver (registry/customresource/validator.go hasBlockingErr): with a value of the
  // wrong type or outside its enum, a schema's CEL rules are not run, and one cause says so (the real
  // kube-apiserver's answer to an invalid logLevel, test/fidelity/kubectl.test.ts on the testbed)
  if (causes.some((c) => c.reason === 'FieldValueNotSupported' || c.reason === 'FieldValueTypeInvalid') && hasRules(schema)) {
    causes = [...causes.filter((c) => !walker.ruleCauses.has(c)), { reason: 'FieldValueInvalid', message: 'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation', field: '<nil>' }];
  }
  return { object: isMap(processed) ? processed : {}, outcome: { causes, unknownFields: walker.unknownFields } };
}
