import { readListenerRecord } from '../app/listener-record.js';
import { LOCK_STALE_MS } from '../app/start.js';
import { lastSkips } from '../poller/region-skips.js';
import type { DetectorKey } from '../store/cursors-repo.js';
import { schemaVersion } from '../store/database.js';
import type { InvocationSummary } from '../store/invocations-repo.js';
import type { Store } from '../store/store.js';
import { describeSkips } from '../sync/skip-reasons.js';
import { lastVerification } from '../sync/verify-links.js';
import { readSoarConcurrency, type SoarConcurrencyStatus } from './status-soar-limit.js';

/** What `guardduty-soar status` shows: read from SQLite only, no network. */
export interface StatusReport {
  database: string;
  schemaVersion: number;
  /** The lock's holder; `stale` when its heartbeat stopped (killed, or a second Ctrl-C): the next start takes it over. */
  daemon: { pid: number; host: string; startedAt: string; heartbeatSecondsAgo: number; stale: boolean } | null;
  regions: {
    account: string;
    region: string;
    detectorId: string | null;
    status: string;
    /** updatedAt up to which every finding is handled: the newest finding seen. */
    cursor: string | null;
    /** Age of the last successful poll (how far behind the region is), not of the newest finding. */
    lagSeconds: number | null;
    /** Age of the cursor: long in a quiet region that is polled every few minutes. */
    newestFindingAgeSeconds: number | null;
    lastSuccess: string | null;
    lastError: string | null;
    lastErrorAt: string | null;
    reason: string | null;
    /** What the region's last pass listed but did not escalate, by reason (sync/skip-reasons.ts SKIP_REASONS). */
    skipped?: RegionSkipCounts | null;
  }[];
  links: {
    total: number; byState: Record<string, number>; openIncidents: number; closedIncidents: number; archivedFindings: number;
    /**
     * The same links by what the daemon knows: in step with SOAR (synced), work pending (creating,
     * partial, adopted), finding gone from GuardDuty, incident gone from SOAR (orphaned: `awaiting`
     * a new incident, the rest forgotten), and how many links got a new incident after SOAR lost theirs.
     */
    known?: { synced: number; pending: number; findingGone: number; incidentDeleted: number; awaitingRecreation: number; recreated: number };
    /** The last check of linked incidents against SOAR (a sample at start, open links each cycle); null: never. */
    verified?: { at: string; secondsAgo: number; scope: 'start' | 'cycle'; checked: number; missing: number; refused: boolean } | null;
  };
  pending: { kind: string; key: string; attempts: number; nextAttempt: string; lastError: string | null }[];
  /** SOAR functions answered (from the invocation records) and the listener's last state as the daemon wrote it. */
  functions?: {
    invocations: InvocationSummary['byOutcome'];
    last: { function: string; outcome: string; received: string; finished: string | null } | null;
    /** `fix`: while the broker refuses the login or the subscription (status `refused`), what to do about it. */
    listener: { status: string; since: string; reconnects: number; lastError: string | null; fix?: string | null } | null;
  } | null;
  /** The adaptive SOAR concurrency as the daemon (or `once`) last wrote it; null before either ran. */
  soarConcurrency?: SoarConcurrencyStatus | null;
}

export interface RegionSkipCounts { at: string; total: number; byReason: Record<string, number>; summary: string }

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
const ageSeconds = (now: number, ms: number | undefined): number | null => (ms === undefined ? null : Math.round((now - ms) / 1000));

export function readStatus(store: Store, now: number): StatusReport {
  const cursors = store.cursors.all();
  const detectors = store.detectors.list();
  const regions: StatusReport['regions'] = detectors.map((d) => {
    const c = cursors.find((x) => x.account === d.account && x.region === d.region && x.detectorId === d.detectorId);
    // A failed ListDetectors is the region's latest error; a region without a detector is no error.
    const discoveryFailed = d.status === 'failed';
    return {
      account: d.account, region: d.region, detectorId: d.detectorId ?? null, status: d.status,
      cursor: iso(c?.cursorMs), lagSeconds: ageSeconds(now, c?.lastSuccessAt), newestFindingAgeSeconds: ageSeconds(now, c?.cursorMs),
      lastSuccess: iso(c?.lastSuccessAt),
      lastError: (discoveryFailed ? d.reason : c?.lastError) ?? null,
      lastErrorAt: iso(discoveryFailed ? d.discoveredAt : c?.lastErrorAt),
      reason: d.reason ?? null,
      skipped: d.detectorId === undefined ? null : skippedIn(store, { account: d.account, region: d.region, detectorId: d.detectorId }),
    };
  });
  const links: StatusReport['links'] = { total: 0, byState: {}, openIncidents: 0, closedIncidents: 0, archivedFindings: 0 };
  const known = { synced: 0, pending: 0, findingGone: 0, incidentDeleted: 0, awaitingRecreation: 0, recreated: 0 };
  for (const row of store.links.counts()) {
    links.total += row.count;
    links.byState[row.state] = (links.byState[row.state] ?? 0) + row.count;
    if (row.incidentState === 'open') links.openIncidents += row.count;
    else links.closedIncidents += row.count;
    if (row.archived) links.archivedFindings += row.count;
    if (row.state === 'synced') known.synced += row.count;
    else if (row.state === 'gone') known.findingGone += row.count;
    else if (row.state === 'orphaned') known.incidentDeleted += row.count;
    else known.pending += row.count;
    if (row.state === 'orphaned' && row.incidentState === 'open') known.awaitingRecreation += row.count;
  }
  // A database from before the verification columns (status opens it read-only, unmigrated).
  const verifying = schemaVersion(store.db) >= 3;
  if (verifying) known.recreated = store.links.countRecreated();
  links.known = known;
  const verification = verifying ? lastVerification(store) : undefined;
  links.verified = verification
    ? { at: new Date(verification.at).toISOString(), secondsAgo: Math.round((now - verification.at) / 1000), scope: verification.scope,
      checked: verification.checked, missing: verification.missing, refused: verification.refused }
    : null;
  const holder = store.lock.holder();
  return {
    database: store.db.name,
    schemaVersion: schemaVersion(store.db),
    daemon: holder
      ? {
        pid: holder.pid, host: holder.host, startedAt: new Date(holder.startedAt).toISOString(),
        heartbeatSecondsAgo: Math.round((now - holder.heartbeatAt) / 1000), stale: now - holder.heartbeatAt > LOCK_STALE_MS,
      }
      : null,
    regions,
    links,
    pending: store.ops.all().map((op) => ({
      kind: op.kind, key: op.key, attempts: op.attempts, nextAttempt: new Date(op.nextAttemptAt).toISOString(), lastError: op.lastError ?? null,
    })),
    functions: readFunctionsStatus(store),
    soarConcurrency: readSoarConcurrency(store),
  };
}

function readFunctionsStatus(store: Store): StatusReport['functions'] {
  // A database from before the invocation records (status opens it read-only, unmigrated).
  if (schemaVersion(store.db) < 2) return null;
  const { byOutcome, last } = store.invocations.summary();
  const listener = readListenerRecord(store);
  return {
    invocations: byOutcome,
    last: last ? { function: last.functionName, outcome: last.outcome, received: new Date(last.receivedAt).toISOString(), finished: iso(last.finishedAt) } : null,
    listener: listener
      ? { status: listener.status, since: new Date(listener.since).toISOString(), reconnects: listener.reconnects, lastError: listener.lastError ?? null, fix: listener.fix ?? null }
      : null,
  };
}

function skippedIn(store: Store, target: DetectorKey): RegionSkipCounts | null {
  const last = lastSkips(store, target);
  if (!last) return null;
  const total = Object.values(last.skipped).reduce((a, n) => a + (n ?? 0), 0);
  return { at: new Date(last.at).toISOString(), total, byReason: last.skipped, summary: describeSkips(last.skipped) };
}
