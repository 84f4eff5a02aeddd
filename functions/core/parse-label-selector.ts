/**
 * `--selector` as Kubernetes reads a label selector (kubectl get -l; k8s.io/apimachinery
 * pkg/labels/selector.go Parse, documented at
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors):
 * requirements joined by `,` (all must hold), each one of `key=value`, `key==value`, `key!=value`,
 * `key in (a,b)`, `key notin (a,b)`, `key` (exists), `!key` (does not exist), `key>N`, `key<N`.
 * `!=` and `notin` also match a cluster without the label. Keys and values are checked as label keys
 * and values; anything else is LabelSelectorError `select.bad-selector` naming the offending part.
 */
import { RegopsError } from './errors.ts';

export type LabelOperator = 'in' | 'notin' | 'exists' | '!' | '>' | '<';

/** One requirement of a label selector; `values` is empty for exists and `!`. */
export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: readonly string[];
}

/** A `--selector` that is not a Kubernetes label selector. */
export class LabelSelectorError extends RegopsError {}

// apimachinery pkg/util/validation: a qualified name is [prefix/]name, name ≤ 63 characters of
// [A-Za-z0-9_.-] starting and ending alphanumeric; prefix a DNS-1123 subdomain ≤ 253; a value is empty or a name
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const INTEGER = /^-?[0-9]+$/;

type Token = { kind: 'word' | 'in' | 'notin' | '=' | '==' | '!=' | '!' | '>' | '<' | '(' | ')' | ','; text: string } | { kind: 'end'; text: '' };

// the lexer of selector.go: these characters end an identifier
const SPECIAL = /[\s,=!()<>]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '==' || two === '!=') {
      tokens.push({ kind: two, text: two });
      i += 2;
      continue;
    }
    if (c === '=' || c === '!' || c === '(' || c === ')' || c === ',' || c === '<' || c === '>') {
      tokens.push({ kind: c, text: c });
      i += 1;
      continue;
    }
    let end = i;
    while (end < text.length && !SPECIAL.test(text.charAt(end))) end += 1;
    const word = text.slice(i, end);
    tokens.push({ kind: word === 'in' ? 'in' : word === 'notin' ? 'notin' : 'word', text: word });
    i = end;
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

function checkKey(selector: string, key: string): void {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  const badPrefix = prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix));
  if (badPrefix || name.length > 63 || !NAME.test(name)) {
    throw new LabelSelectorError('select.bad-selector', `--selector ${selector}: "${key}" is not a label key: [prefix/]name, the name at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit (the prefix a DNS subdomain)`, { selector, key });
  }
}

function checkValue(selector: string, key: string, value: string): void {
  if (value === '' || (value.length <= 63 && NAME.test(value))) return;
  throw new LabelSelectorError('select.bad-selector', `--selector ${selector}: "${value}" is not a label value for ${key}: at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit`, { selector, key });
}

/**
 * Parses one selector string (an empty string selects everything: no requirements). Throws
 * LabelSelectorError for anything Kubernetes would refuse, and for a value list after `in`/`notin`
 * that is empty.
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const tokens = tokenize(selector);
  let at = 0;
  const peek = (): Token => tokens[at] ?? { kind: 'end', text: '' };
  const next = (): Token => {
    const token = peek();
    at += 1;
    return token;
  };
  const refuse = (what: string): never => {
    const found = peek();
    throw new LabelSelectorError('select.bad-selector', `--selector ${selector}: expected ${what}, found ${found.kind === 'end' ? 'the end' : `"${found.text}"`} (a Kubernetes label selector: key=value, key!=value, key in (a,b), key notin (a,b), key, !key; joined by commas)`, { selector });
  };
  const requirements: LabelRequirement[] = [];
  if (peek().kind === 'end') return requirements;
  for (;;) {
    if (peek().kind === '!') {
      next();
      if (peek().kind !== 'word') refuse('a label key after "!"');
      const key = next().text;
      checkKey(selector, key);
      requirements.push({ key, operator: '!', values: [] });
    } else {
      if (peek().kind !== 'word') refuse('a label key');
      const key = next().text;
      checkKey(selector, key);
      const op = peek();
      if (op.kind === ',' || op.kind === 'end') {
        requirements.push({ key, operator: 'exists', values: [] });
      } else if (op.kind === '=' || op.kind === '==' || op.kind === '!=') {
        next();
        // `env=` is the empty value, which a label may hold
        const value = peek().kind === 'word' ? next().text : '';
        checkValue(selector, key, value);
        requirements.push({ key, operator: op.kind === '!=' ? 'notin' : 'in', values: [value] });
      } else if (op.kind === '>' || op.kind === '<') {
        next();
        if (peek().kind !== 'word' || !INTEGER.test(peek().text)) refuse(`an integer after "${op.kind}"`);
        requirements.push({ key, operator: op.kind, values: [next().text] });
      } else if (op.kind === 'in' || op.kind === 'notin') {
        next();
        if (peek().kind !== '(') refuse(`"(" after ${op.kind}`);
        next();
        const values: string[] = [];
        for (;;) {
          const value = peek().kind === 'word' ? next().text : '';
          checkValue(selector, key, value);
          values.push(value);
          if (peek().kind === ',') {
            next();
            continue;
          }
          if (peek().kind !== ')') refuse('"," or ")" in the value list');
          next();
          break;
        }
        requirements.push({ key, operator: op.kind, values: [...new Set(values)].sort() });
      } else {
        refuse(`an operator after "${key}" (=, ==, !=, in, notin) or ","`);
      }
    }
    if (peek().kind === 'end') return requirements;
    if (peek().kind !== ',') refuse('","');
    next();
  }
}

/** True when the labels meet every requirement (none: true), with Kubernetes' semantics. */
export function matchesLabelRequirements(labels: Readonly<Record<string, string>>, requirements: readonly LabelRequirement[]): boolean {
  return requirements.every(({ key, operator, values }) => {
    const has = Object.hasOwn(labels, key);
    const value = has ? labels[key] : undefined;
    switch (operator) {
      case 'in':
        return value !== undefined && values.includes(value);
      case 'notin':
        return value === undefined || !values.includes(value);
      case 'exists':
        return has;
      case '!':
        return !has;
      case '>':
      case '<': {
        // selector.go: the label must hold an integer; compared as numbers
        if (value === undefined || !INTEGER.test(value)) return false;
        const bound = Number(values[0]);
        return operator === '>' ? Number(value) > bound : Number(value) < bound;
      }
    }
    return false;
  });
}

/** The requirements written back as a selector (`env=prod,tier notin (a,b)`), for messages. */
export function formatLabelSelector(requirements: readonly LabelRequirement[]): string {
  return requirements.map(({ key, operator, values }) => {
    if (operator === 'exists') return key;
    if (operator === '!') return `!${key}`;
    if (operator === '>' || operator === '<') return `${key}${operator}${values[0] ?? ''}`;
    if (values.length === 1) return `${key}${operator === 'in' ? '=' : '!='}${values[0] ?? ''}`;
    return `${key} ${operator} (${values.join(',')})`;
  }).join(',');
}
