/**
 * Validation findings as the terminal shows them: `FILE:LINE:COL: severity code: message (hint: …)`,
 * one per line. Apart from output.ts so `regops validate` does not load the report renderers.
 */
import type { Diagnostic } from '../core/model.ts';
import { formatDiagnostic } from '../core/validate.ts';

export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${formatDiagnostic(d)}\n`).join('');
}
