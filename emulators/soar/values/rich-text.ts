import { badRequest } from '../errors.js';
import { escapeHtml, isRecord, stripHtml } from '../util.js';

/**
 * Rich text (description, resolution_summary, note text, artifact description) is kept as
 * `{format, content}` and rendered per `text_content_output_format`.
 */
export interface RichText {
  format: 'text' | 'html';
  content: string;
}

export function parseRichText(raw: unknown, field: string): RichText | null {
  if (raw === null || raw === undefined) return null;
  // [I] A bare string is taken as HTML, like text typed in SOAR's editor. IBM's live test patches
  // description with a plain string and reads the very same string back.
  if (typeof raw === 'string') return { format: 'html', content: raw };
  if (isRecord(raw) && typeof raw.content === 'string' && (raw.format === 'text' || raw.format === 'html')) {
    return { format: raw.format, content: raw.content };
  }
  if (isRecord(raw) && raw.content === null) return null;
  throw badRequest(`Invalid value for '${field}': expected a string or {"format": "text"|"html", "content": "..."}`);
}

export function richTextHtml(value: RichText): string {
  // [I] How SOAR converts text to HTML is not documented; escaping plus <br> keeps the text intact.
  return value.format === 'html' ? value.content : escapeHtml(value.content).replace(/\r?\n/g, '<br>');
}

export function richTextPlain(value: RichText): string {
  return value.format === 'text' ? value.content : stripHtml(value.content);
}

/**
 * Without `text_content_output_format` SOAR answers an HTML string. [I] `objects_convert` and
 * `objects_no_convert` give the stored object; `objects_convert_text` / `_html` convert it first;
 * `always_text` gives plain text.
 */
export function renderRichText(value: RichText | null, format: string | undefined): unknown {
  if (value === null) return null;
  switch (format) {
    case 'objects_convert':
    case 'objects_no_convert':
      return { format: value.format, content: value.content };
    case 'objects_convert_text':
      return { format: 'text', content: richTextPlain(value) };
    case 'objects_convert_html':
      return { format: 'html', content: richTextHtml(value) };
    case 'always_text':
      return richTextPlain(value);
    default:
      return richTextHtml(value);
  }
}

/** Old-value checks compare what a reader saw, whichever output format it read the text in. */
export function richTextEquals(a: RichText | null, b: RichText | null): boolean {
  if (a === null || b === null) return a === b;
  return richTextPlain(a).replace(/\s+/g, ' ') === richTextPlain(b).replace(/\s+/g, ' ');
}
