import { scalarText } from '../findings/finding-values.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for an HTML note or rich-text field. Every value that comes from a finding (user
 * agents, domain names, bucket names, tags) is attacker-influenced and must pass through here
 * before it is placed in HTML.
 */
export function escapeHtml(value: unknown): string {
  return asText(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  const json: string | undefined = JSON.stringify(value);
  return scalarText(value) ?? json ?? '';
}
