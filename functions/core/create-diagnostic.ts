import type { Diagnostic, Severity, SourcePosition } from './model.ts';

/** Builds a Diagnostic at a position; `extra` adds the cluster and/or the field path. */
export function createDiagnostic(
  code: string,
  severity: Severity,
  at: SourcePosition,
  message: string,
  hint: string,
  extra: { cluster?: string; path?: string } = {},
): Diagnostic {
  const diagnostic: Diagnostic = { code, severity, file: at.file, line: at.line, col: at.col, message, hint };
  if (extra.cluster !== undefined) diagnostic.cluster = extra.cluster;
  if (extra.path !== undefined && extra.path !== '') diagnostic.path = extra.path;
  return diagnostic;
}
