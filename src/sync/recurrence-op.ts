import { findingKeyString, type FindingKey } from '../findings/finding-key.js';
import type { RichText } from '../soar/case-system.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * A new incident for a recurrence (`aws_gd_on_recurrence = new`), recorded before the create. It
 * names the closed incident being replaced, so that finishing an interrupted create never adopts the
 * old incident (it has the same finding id), and it holds the note that points back to it.
 */
export const RECUR_NEW_OP = 'recur-new';

export interface RecurNewPayload {
  previous: number;
  noteKey: string;
  note: RichText;
}

/**
 * A reopen for a recurrence (`aws_gd_on_recurrence = reopen`), recorded before the PATCH and cleared
 * once the link says open. Left pending, SOAR may hold the incident open while the link still says
 * closed, and the daemon only checks findings of open incidents: the SOAR phase asks SOAR which it is.
 */
export const REOPEN_OP = 'reopen';

/** The incident a pending recurrence replaces: an interrupted create must find a newer one. */
export function replacedIncident(deps: SyncDeps, key: FindingKey): number | undefined {
  const op = deps.store.ops.get(RECUR_NEW_OP, findingKeyString(key));
  return op ? (op.payload as unknown as RecurNewPayload).previous : undefined;
}
