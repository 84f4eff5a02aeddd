/**
 * Escapes text for HTML element content and quoted attribute values: every character that can end a
 * text run or an attribute (`& < > " '`) becomes an entity, so hostile cluster names, labels and
 * operator messages stay text.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
