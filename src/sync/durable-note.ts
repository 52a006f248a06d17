import type { RichText } from '../soar/case-system.js';
import { holdsNote } from '../soar/note-identity.js';
import type { SyncDeps } from './sync-deps.js';

export const NOTE_OP = 'note';

/**
 * Adds a note exactly once per key. The note is recorded as a pending operation before it is posted,
 * and as posted (in one transaction with clearing the operation) after. If the operation is found
 * already pending, an earlier attempt may have reached SOAR, so the incident's notes are read first
 * and an identical note is not posted again. A key already posted is skipped outright.
 */
export async function addNoteOnce(deps: SyncDeps, incidentId: number, key: string, note: RichText): Promise<void> {
  const fresh = intendNote(deps, incidentId, key, note);
  await postIntendedNote(deps, incidentId, key, fresh);
}

/**
 * Records that a note is to be posted, before the work it describes starts, so that a crash midway
 * still ends with the note (the SOAR phase posts notes left pending). Returns true when this call
 * recorded it; false when it was already posted or pending (then the first plan is kept: it
 * describes what the interrupted attempt set out to do, which a repeat may only partly redo).
 */
export function intendNote(deps: SyncDeps, incidentId: number, key: string, note: RichText): boolean {
  const { store } = deps;
  if (store.notes.posted(key) || store.ops.get(NOTE_OP, key)) return false;
  store.ops.enqueue(NOTE_OP, key, { incidentId, note });
  return true;
}

/**
 * Posts a note recorded by `intendNote`. One recorded by this very attempt (`fresh`) cannot have
 * reached SOAR yet and is posted directly; an older one may have, so SOAR's notes are checked first.
 */
export async function postIntendedNote(deps: SyncDeps, incidentId: number, key: string, fresh: boolean): Promise<void> {
  const { store, soar } = deps;
  if (store.notes.posted(key)) return;
  const op = store.ops.get(NOTE_OP, key);
  if (!op) return;
  const note = (op.payload as { note: RichText }).note;
  if (!fresh) {
    await retryNote(deps, incidentId, key, note);
    return;
  }
  await soar.addNote(incidentId, note);
  markPosted(deps, incidentId, key);
}

/** Posts a note that may already have been posted, unless SOAR already holds it. */
export async function retryNote(deps: SyncDeps, incidentId: number, key: string, note: RichText): Promise<void> {
  const { store, soar } = deps;
  if (!store.notes.posted(key)) {
    if (!holdsNote(await soar.listNotes(incidentId), note)) await soar.addNote(incidentId, note);
  }
  markPosted(deps, incidentId, key);
}

function markPosted(deps: SyncDeps, incidentId: number, key: string): void {
  deps.store.transaction(() => {
    deps.store.notes.record(key, incidentId);
    deps.store.ops.complete(NOTE_OP, key);
  });
}
