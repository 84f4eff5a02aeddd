import { isJsonMap, type JsonMap } from './json-value.ts';

type Requirement = (labels: Record<string, string>) => boolean;

// Kubernetes label selector syntax: a=b, a==b, a!=b, a, !a, a in (x,y), a notin (x,y).
function parseRequirement(text: string): Requirement {
  const setMatch = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (setMatch !== null) {
    const [, key = '', op, values = ''] = setMatch;
    const set = new Set(values.split(',').map((value) => value.trim()));
    return op === 'in' ? (labels) => labels[key] !== undefined && set.has(labels[key] ?? '') : (labels) => labels[key] === undefined || !set.has(labels[key] ?? '');
  }
  const inequality = /^([^\s!=]+)\s*!=\s*(\S*)$/.exec(text);
  if (inequality !== null) {
    const [, key = '', value = ''] = inequality;
    return (labels) => labels[key] !== value;
  }
  const equality = /^([^\s!=]+)\s*==?\s*(\S*)$/.exec(text);
  if (equality !== null) {
    const [, key = '', value = ''] = equality;
    return (labels) => labels[key] === value;
  }
  if (text.startsWith('!')) {
    const key = text.slice(1).trim();
    return (labels) => labels[key] === undefined;
  }
  return (labels) => labels[text] !== undefined;
}

function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

/** A predicate over an object's metadata.labels for a `labelSelector` query value. */
export function compileLabelSelector(selector: string): (object: JsonMap) => boolean {
  const requirements = splitTopLevel(selector).map(parseRequirement);
  return (object) => {
    const metadata = object['metadata'];
    const raw = isJsonMap(metadata) && isJsonMap(metadata['labels']) ? metadata['labels'] : {};
    const labels: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw)) if (typeof value === 'string') labels[key] = value;
    return requirements.every((requirement) => requirement(labels));
  };
}

/** A predicate for a `fieldSelector` (metadata.name and metadata.namespace, = / == / !=). */
export function compileFieldSelector(selector: string): (object: JsonMap) => boolean {
  const checks = splitTopLevel(selector).map((text) => {
    const match = /^([^!=]+)(==|=|!=)(.*)$/.exec(text);
    if (match === null) return () => true;
    const [, field = '', op, value = ''] = match;
    const read = (object: JsonMap): string | undefined => {
      const metadata = object['metadata'];
      if (!isJsonMap(metadata)) return undefined;
      const found = field === 'metadata.name' ? metadata['name'] : field === 'metadata.namespace' ? metadata['namespace'] : undefined;
      return typeof found === 'string' ? found : undefined;
    };
    return op === '!=' ? (object: JsonMap) => read(object) !== value : (object: JsonMap) => read(object) === value;
  });
  return (object) => checks.every((check) => check(object));
}
