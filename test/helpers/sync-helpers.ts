import type { WireFinding } from '../../emulators/aws/index.js';
import type { AdminIncident } from '../../emulators/soar/index.js';
import { Store } from '../../src/store/store.js';
import type { Harness } from './harness.js';

/**
 * Small helpers shared by the sync-path tests: one finding at a time, the incident a responder sees,
 * and what GuardDuty holds.
 */

/** One fresh sample finding in a region (an SSH brute force: an instance, a remote IP, ports). */
export function newFinding(h: Harness, region = 'us-east-1', overrides: { severity?: number; serviceCount?: number } = {}): WireFinding {
  const [finding] = h.aws.generateFindings({
    count: 1,
    region,
    type: 'UnauthorizedAccess:EC2/SSHBruteForce',
    severity: overrides.severity ?? 5,
    serviceCount: overrides.serviceCount ?? 1,
    updatedAt: Date.now() - 60_000,
  });
  if (!finding) throw new Error('the emulator generated no finding');
  return finding;
}

/** The incident of a finding, which must exist. */
export function incidentOf(h: Harness, findingId: string): AdminIncident {
  const incident = h.incidentFor(findingId);
  if (!incident) throw new Error(`no incident for finding ${findingId}`);
  return incident;
}

/** The finding as GuardDuty holds it now. */
export function findingOf(h: Harness, findingId: string): WireFinding {
  const finding = h.aws.getFinding(findingId);
  if (!finding) throw new Error(`GuardDuty holds no finding ${findingId}`);
  return finding;
}

/** Notes after the first (the finding as JSON, added with the create). */
export function laterNotes(incident: AdminIncident): string[] {
  return incident.notes.slice(1).map((n) => n.text);
}

/** Rows per table, for comparing an incident before and after a cycle. */
export function rowCounts(incident: AdminIncident): Record<string, number> {
  return Object.fromEntries(Object.entries(incident.tables).map(([table, rows]) => [table, rows.length]));
}

/** Replaces a finding in GuardDuty with a changed copy (new activity: updatedAt moves to now). */
export function changeFinding(h: Harness, findingId: string, change: (f: WireFinding) => void): WireFinding {
  const copy = structuredClone(findingOf(h, findingId));
  change(copy);
  const now = new Date().toISOString();
  copy.updatedAt = now;
  copy.service.eventLastSeen = now;
  const [stored] = h.aws.addFindings([copy]);
  if (!stored) throw new Error('the emulator stored nothing');
  return stored;
}

/** SOAR calls of one kind since the last reset. */
export function soarCalls(h: Harness, operation: string): number {
  return h.soar.calls().counts[`${operation.split(' ')[0]} /rest/orgs/{org}${operation.slice(operation.indexOf(' ') + 1)}`] ?? 0;
}

/** SOAR writes since the last reset (every call but reads and queries), as [operation, calls]. */
export function soarWrites(h: Harness): [string, number][] {
  return Object.entries(h.soar.calls().counts).filter(([op]) => !op.startsWith('GET') && !/\/query(_paged)?$/.test(op));
}

/** The daemon's database, open for the length of `fn` (between runs of the daemon). */
export function withStore<T>(h: Harness, fn: (store: Store) => T): T {
  const store = Store.open(h.dbPath, () => Date.now());
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

/** As if the retry intervals had passed: every pending operation (or those of one kind) is due now. */
export function makeRetriesDue(h: Harness, kind?: string): void {
  withStore(h, (s) =>
    kind === undefined
      ? s.db.prepare('UPDATE pending_ops SET next_attempt_at = 0').run()
      : s.db.prepare('UPDATE pending_ops SET next_attempt_at = 0 WHERE kind = ?').run(kind),
  );
}

/** AWS calls of one GuardDuty operation since the last reset. */
export function guardDutyCalls(h: Harness, operation: string): number {
  return h.aws.calls().counts[`guardduty:${operation}`] ?? 0;
}

export const SOAR_OPS = {
  createIncident: 'POST /rest/orgs/{org}/incidents',
  queryIncidents: 'POST /rest/orgs/{org}/incidents/query_paged',
  addRow: 'POST /rest/orgs/{org}/incidents/{id}/table_data/{table}/row_data',
  listRows: 'GET /rest/orgs/{org}/incidents/{id}/table_data/{table}',
} as const;

/**
 * A create whose answer is lost (`after`: SOAR acted; `before`: it did not) and which SOAR cannot be
 * asked about in the same call either (its lookup is refused), so the call gives up as a killed
 * process would: the next attempt must finish it from what the database recorded. `skipLookups`:
 * earlier calls of the lookup's operation in the same run (a first run's rebuild query of SOAR).
 */
export function loseAnswerAndLookup(
  h: Harness, create: string, lookup: string, options: { mode: 'before' | 'after'; skipLookups?: number; status?: number },
): void {
  h.soar.failNext(create, 1, { mode: options.mode, statuses: [options.status ?? 500] });
  h.soar.addFault({ operations: [lookup], skipFirst: options.skipLookups ?? 0, failNext: 1, statuses: [400] });
}
