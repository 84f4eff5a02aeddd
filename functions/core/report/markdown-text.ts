/**
 * Safe Markdown pieces for GitHub comments: values come from clusters and Git, so a `|`, a backtick
 * or HTML in a value must not break the table or the page.
 */

/** Escapes text for a table cell or a line of prose (pipes, HTML, emphasis); newlines become `<br>`. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([|*_`[\]#~])/g, '\\$1')
    .replace(/\r?\n/g, '<br>');
}

/** A code span that survives backticks inside (CommonMark: a longer fence, padded). */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return longest > 0 || flat.startsWith(' ') ? `${fence} ${flat} ${fence}` : `${fence}${flat}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run inside. */
export function fenceCode(language: string, lines: readonly string[]): string {
  const longest = Math.max(2, ...lines.flatMap((line) => line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${language}`, ...lines, fence].join('\n');
}
