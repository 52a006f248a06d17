import type { RichText } from '../soar/case-system.js';
import { htmlToText } from '../util/html-text.js';
import type { SyncDeps } from './sync-deps.js';

export const NOTE_OP = 'note';

/**
 * Adds a note exactly once per key. The note is recorded as a pending operation before it is posted,
 * and as posted (in one transaction with clearing the operation) after. If the operation is found
 * already pending, an earlier attempt may have reached SOAR, so the incident's notes are read first
 * and an identical note is not posted again. A key already posted is skipped outright.
 */
export async function addNoteOnce(deps: SyncDeps, incidentId: number, key: string, note: RichText): Promise<void> {
  const { store, soar } = deps;
  if (store.notes.posted(key)) return;
  if (store.ops.get(NOTE_OP, key)) {
    await retryNote(deps, incidentId, key, note);
    return;
  }
  store.ops.enqueue(NOTE_OP, key, { incidentId, note });
  await soar.addNote(incidentId, note);
  markPosted(deps, incidentId, key);
}

/** Posts a note that may already have been posted, unless SOAR already holds it. */
export async function retryNote(deps: SyncDeps, incidentId: number, key: string, note: RichText): Promise<void> {
  const { store, soar } = deps;
  if (!store.notes.posted(key)) {
    const wanted = normalizeNoteText(note);
    const existing = await soar.listNotes(incidentId);
    if (!existing.some((n) => normalizeNoteText({ format: 'text', content: n.text }) === wanted)) {
      await soar.addNote(incidentId, note);
    }
  }
  markPosted(deps, incidentId, key);
}

function markPosted(deps: SyncDeps, incidentId: number, key: string): void {
  deps.store.transaction(() => {
    deps.store.notes.record(key, incidentId);
    deps.store.ops.complete(NOTE_OP, key);
  });
}

/** The visible text of a note, for comparing what we sent with what SOAR shows. */
export function normalizeNoteText(note: RichText): string {
  return note.format === 'html' ? htmlToText(note.content) : note.content.replace(/\s+/g, ' ').trim();
}
