/**
 * YAML written to hang or exhaust a parser (issue 10 item 5), shared by the unit, CLI and bench cases
 * so that each measures the same input.
 */

/**
 * The "billion laughs": nine anchors, each a list of ten aliases to the one before, so the last
 * expands to 10^9 strings from about 400 bytes. Each line starts with `indent` (to nest it in a map).
 */
export function aliasBomb(indent = ''): string {
  const names = 'abcdefghi';
  const lines = [`${indent}a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
  for (let i = 1; i < names.length; i += 1) {
    const name = names.charAt(i);
    lines.push(`${indent}${name}: &${name} [${Array<string>(10).fill(`*${names.charAt(i - 1)}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** A map of `count` distinct keys `k0: 1` …, one a line (80,000 took 33 s with the quadratic check; 0.8 MiB). */
export function manyKeys(count: number): string {
  return `${Array.from({ length: count }, (_, i) => `k${i}: 1`).join('\n')}\n`;
}
