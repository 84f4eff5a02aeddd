/**
 * Parses secret text that should hold a JSON object, without ever letting the parse error out:
 * V8's JSON.parse messages quote the text around the failure (`Unexpected token 'x', "{"a": x…"
 * is not valid JSON`), which for a secret is its value. Callers throw their own error, with no cause.
 */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
}
