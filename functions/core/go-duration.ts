const unitSeconds: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const component = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Parses a Go `time.ParseDuration` string (`30s`, `5m`, `1h30m`, `1.5h`, `0`) into seconds;
 * undefined when it is not one. Negative durations are refused: none makes sense in fleet.yaml.
 */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  let total = 0;
  component.lastIndex = 0;
  while (component.lastIndex < text.length) {
    const start = component.lastIndex;
    const match = component.exec(text);
    if (match === null || match.index !== start) return undefined;
    total += Number(match[1]) * (unitSeconds[match[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? total : undefined;
}
