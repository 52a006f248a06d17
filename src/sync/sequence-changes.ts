import { newRowsSince } from '../datatables/fingerprint.js';
import type { TableRow } from '../datatables/map-rows.js';
import { SIGNALS_TABLE } from '../datatables/sequence-tables.js';
import { listed } from '../findings/attack-sequence-labels.js';
import { signalSource } from '../incidents/sequence-story.js';
import { readableTime } from '../incidents/story-time.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * What an update of an attack sequence's incident adds to its change note: the signals GuardDuty
 * added to the sequence (their rows are new on the incident), named, with when and from which
 * source. Read before the rows are written: afterwards they are no longer new.
 */
export function newSignalDetails(deps: SyncDeps, incidentId: number, rows: readonly TableRow[]): string[] {
  const signals = rows.filter((r) => r.table === SIGNALS_TABLE);
  if (signals.length === 0) return [];
  const fresh = newRowsSince(deps.store.fingerprints.rows(incidentId, SIGNALS_TABLE), signals);
  if (fresh.length === 0) return [];
  const names = fresh.map(({ cells }) => {
    const when = cells.first_seen !== undefined ? `, first seen ${readableTime(cells.first_seen)}` : '';
    return `${cells.name ?? cells.signal_uid ?? '?'} (${signalSource(cells.signal_type ?? '')}${when})`;
  });
  const noun = fresh.length === 1 ? 'signal' : 'signals';
  return [`The attack sequence has ${fresh.length} new ${noun}: ${listed(names, 20, '; ') ?? ''}`];
}
