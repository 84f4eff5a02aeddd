/**
 * Field paths as people read them: `spec.storage.s3.bucket`, `spec.routes[0].name`,
 * `data["registry.example.com..5000"]`. One format for positions, diagnostics, plans and the
 * owned-fields annotation.
 */
export type PathSegment = string | number;

const plainKey = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Formats segments as a dotted path; keys that are not plain identifiers are bracketed and quoted. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (plainKey.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Parses a path made by formatPath back into segments. Throws on a malformed path. */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  while (i < path.length) {
    const ch = path[i];
    if (ch === '.') {
      i += 1;
      continue;
    }
    if (ch === '[') {
      if (path[i + 1] === '"') {
        let j = i + 2;
        while (j < path.length && !(path[j] === '"' && path[j - 1] !== '\\')) j += 1;
        segments.push(JSON.parse(path.slice(i + 1, j + 1)) as string);
        i = j + 2;
      } else {
        const end = path.indexOf(']', i);
        if (end < 0) throw new SyntaxError(`malformed field path: ${path}`);
        segments.push(Number(path.slice(i + 1, end)));
        i = end + 1;
      }
      continue;
    }
    let j = i;
    while (j < path.length && path[j] !== '.' && path[j] !== '[') j += 1;
    segments.push(path.slice(i, j));
    i = j;
  }
  return segments;
}
