/**
 * A GitHub-flavoured Markdown table as lines: the header row, the delimiter row, one row per entry.
 * Cells arrive rendered (codeSpan or escapeMarkdown by the caller, markdown-text.ts): a raw value
 * could carry a `|` and break the table.
 */

/** One column: its title and whether numbers line up to the right (`---:`). */
export interface MarkdownColumn {
  title: string;
  align?: 'right';
}

/** The lines of a Markdown table of `rows` (rendered cells, one per column) under `columns`. */
export function renderMarkdownTable(columns: readonly (string | MarkdownColumn)[], rows: readonly (readonly string[])[]): string[] {
  const specs = columns.map((column) => (typeof column === 'string' ? { title: column } : column));
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [
    line(specs.map((c) => c.title)),
    `|${specs.map((c) => (c.align === 'right' ? '---:' : '---')).join('|')}|`,
    ...rows.map(line),
  ];
}
