import { formatPath, type PathSegment } from './field-path.ts';

/**
 * Appends one segment to a path made by formatPath, giving the same text formatPath would give for
 * the whole segment list (`spec` + `routes` → `spec.routes`, + 0 → `spec.routes[0]`).
 */
export function appendPath(parent: string, segment: PathSegment): string {
  const tail = formatPath([segment]);
  if (parent === '') return tail;
  return tail.startsWith('[') ? parent + tail : `${parent}.${tail}`;
}
