import type { Diagnostic, Json, JsonObject, SourcePosition } from './model.ts';
import { appendPath } from './append-path.ts';
import { createDiagnostic } from './create-diagnostic.ts';
import { findPosition } from './find-position.ts';
import { formatSuggestion } from './suggest-name.ts';

/** Placeholder replaced by the cluster name in storage.yaml strings (so a group can share one file). */
export const CLUSTER_PLACEHOLDER = '${cluster}';

/** Reads fields of a merged storage.yaml, collecting `storage.*` diagnostics at the line that set them. */
export class StorageReader {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly positions: Record<string, SourcePosition>, readonly fallback: SourcePosition, readonly cluster: string) {}

  report(code: string, path: string, message: string, hint: string): void {
    const at = findPosition(this.positions, path) ?? this.fallback;
    this.diagnostics.push(createDiagnostic(code, 'error', at, message, hint, { cluster: this.cluster, path }));
  }

  map(value: Json | undefined, path: string, allowed: readonly string[]): JsonObject | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.report('storage.type', path, `${path}: expected a map`, 'write a YAML map here (see config/README.md, storage.yaml)');
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        const child = appendPath(path, key);
        this.report('storage.unknown-field', child, `${child}: unknown field${formatSuggestion(key, allowed)}`,
          allowed.length === 0 ? `${path} takes no fields here: write {}` : `fields here are: ${allowed.join(', ')}`);
      }
    }
    return value;
  }

  text(value: Json | undefined, path: string, required: boolean): string | undefined {
    if (value === undefined || value === null || value === '') {
      if (required) this.report('storage.required', path, `${path}: required`, `set ${path} in storage.yaml`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.report('storage.type', path, `${path}: expected a string`, 'quote the value');
      return undefined;
    }
    return value.split(CLUSTER_PLACEHOLDER).join(this.cluster);
  }
}
