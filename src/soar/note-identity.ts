import { htmlToText } from '../util/html-text.js';
import type { NoteView, RichText } from './case-system.js';

/** True when SOAR's notes (as read back) include one with the visible text of `note`. */
export function holdsNote(notes: readonly NoteView[], note: RichText): boolean {
  const wanted = noteIdentity(note);
  return notes.some((n) => noteIdentity({ format: 'text', content: n.text }) === wanted);
}

/**
 * What identifies a note when SOAR gives it back: its visible text without any whitespace. SOAR's
 * HTML-to-text conversion is not documented, and it need not put a space where one block element
 * (`</p><p>`, `</li><li>`) ends and the next begins, as our own conversion does.
 */
function noteIdentity(note: RichText): string {
  const text = note.format === 'html' ? htmlToText(note.content) : note.content;
  return text.replace(/\s+/g, '');
}
