import { newRowsSince } from '../datatables/fingerprint.js';
import type { TableRow } from '../datatables/map-rows.js';
import { SIGNALS_TABLE } from '../datatables/sequence-tables.js';
import { listed } from '../findings/attack-sequence-labels.js';
import { signalSource } from '../incidents/sequence-story.js';
import { readableTime } from '../incidents/story-time.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * What an update of an attack sequence's incident adds to its change note: the signals GuardDuty
 * added to the sequence, named, with when and from which source, and apart from them the signals
 * observed again (their count or last sighting moved). A signal row is new content for either; which
 * one it is, SOAR's signal rows say (a signal whose uid has a row is not new). Read before the rows
 * are written: afterwards they are no longer new. No SOAR call unless a signal row is about to be written.
 */
export async function signalNews(deps: SyncDeps, incidentId: number, rows: readonly TableRow[]): Promise<string[]> {
  const signals = rows.filter((r) => r.table === SIGNALS_TABLE);
  if (signals.length === 0) return [];
  const fresh = newRowsSince(deps.store.fingerprints.rows(incidentId, SIGNALS_TABLE), signals);
  if (fresh.length === 0) return [];
  const held = new Set((await deps.soar.listTableRows(incidentId, SIGNALS_TABLE)).map((r) => r.cells.signal_uid));
  const added = fresh.filter((r) => !held.has(r.cells.signal_uid));
  const again = fresh.filter((r) => held.has(r.cells.signal_uid));
  const lines: string[] = [];
  if (added.length > 0) {
    const names = added.map(({ cells }) => {
      const when = cells.first_seen !== undefined ? `, first seen ${readableTime(cells.first_seen)}` : '';
      return `${cells.name ?? cells.signal_uid ?? '?'} (${signalSource(cells.signal_type ?? '')}${when})`;
    });
    lines.push(`The attack sequence has ${added.length} new ${added.length === 1 ? 'signal' : 'signals'}: ${listed(names, 20, '; ') ?? ''}`);
  }
  if (again.length > 0) {
    const names = again.map(({ cells }) => {
      const seen = [cells.count !== undefined ? `count ${cells.count}` : undefined, cells.last_seen !== undefined ? `last seen ${readableTime(cells.last_seen)}` : undefined]
        .filter((x) => x !== undefined).join(', ');
      return `${cells.name ?? cells.signal_uid ?? '?'}${seen === '' ? '' : ` (${seen})`}`;
    });
    lines.push(`${again.length === 1 ? 'A signal was' : `${again.length} signals were`} observed again: ${listed(names, 20, '; ') ?? ''}`);
  }
  return lines;
}
