import type { SourcePosition } from './model.ts';
import { formatPath, parsePath } from './field-path.ts';

/**
 * Where Git set the field at `path`, or the nearest enclosing field that Git set (a field the
 * validator complains about may be absent, e.g. a missing `rolloutStrategy` under `spec`).
 */
export function findPosition(positions: Readonly<Record<string, SourcePosition>>, path: string): SourcePosition | undefined {
  const exact = positions[path];
  if (exact !== undefined) return exact;
  const segments = parsePath(path);
  while (segments.length > 0) {
    segments.pop();
    const found = positions[formatPath(segments)];
    if (found !== undefined) return found;
  }
  return undefined;
}
