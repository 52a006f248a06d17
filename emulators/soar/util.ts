/** Small type guards shared by the emulator's request parsing. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when a value counts as "empty" for SOAR (required checks, has_a_value). */
export function isBlank(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (isRecord(value) && 'content' in value) return isBlank(value.content);
  return false;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Plain text of an HTML fragment: a line break or the end of a block (paragraph, list item, div,
 * heading, table row) becomes a new line, other tags are dropped, common entities decoded.
 * [I] SOAR's exact conversion is not documented; this keeps the words of separate blocks apart.
 */
export function stripHtml(html: string): string {
  return html
    .replace(/<br\s*\/?>|<\/(p|li|div|h[1-6]|tr|ul|ol)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/\n{2,}/g, '\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .trim();
}
