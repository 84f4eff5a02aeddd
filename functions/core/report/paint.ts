/** ANSI colours for text reports: only when asked (the CLI asks when stdout is a TTY). */

export interface TextRenderOptions {
  /** Use ANSI colours (red removals, green additions, cyan hunks, bold headings). */
  color?: boolean;
}

const ansi = { red: '\x1b[31m', green: '\x1b[32m', cyan: '\x1b[36m', yellow: '\x1b[33m', bold: '\x1b[1m', reset: '\x1b[0m' };

export type PaintStyle = Exclude<keyof typeof ansi, 'reset'>;

/** Wraps text in an ANSI style when colour is on; returns it unchanged otherwise. */
export function paint(text: string, style: PaintStyle, color: boolean | undefined): string {
  return color === true ? `${ansi[style]}${text}${ansi.reset}` : text;
}
