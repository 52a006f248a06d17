import fs from 'node:fs';
import { loadDbPath, locateConfigFile } from '../config/load-config.js';
import { ConfigError } from '../errors.js';
import type { Io } from '../main.js';
import { describeSkips } from '../poller/criteria.js';
import { lastSkips } from '../poller/region-skips.js';
import type { DetectorKey } from '../store/cursors-repo.js';
import { Store } from '../store/store.js';
import { schemaVersion } from '../store/database.js';
import type { InvocationSummary } from '../store/invocations-repo.js';
import { lastVerification } from '../sync/verify-links.js';
import { LOCK_STALE_MS } from './command-support.js';
import { formatSoarConcurrency, readSoarConcurrency, type SoarConcurrencyStatus } from './status-soar-limit.js';
import { describeStorageError, isStorageError } from './storage-error.js';

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
    /** What the region's last pass listed but did not escalate, by reason (poller/criteria.ts SKIP_REASONS). */
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

/** Meta key under which `run` keeps the functions listener's latest state, for `status` (which reads SQLite only). */
export const LISTENER_STATE_META = 'functions_listener';

function readFunctionsStatus(store: Store): StatusReport['functions'] {
  // A database from before the invocation records (status opens it read-only, unmigrated).
  if (schemaVersion(store.db) < 2) return null;
  const { byOutcome, last } = store.invocations.summary();
  const raw = store.getMeta(LISTENER_STATE_META);
  const listener = raw ? (JSON.parse(raw) as { status: string; since: number; reconnects: number; lastError?: string; fix?: string }) : undefined;
  return {
    invocations: byOutcome,
    last: last ? { function: last.functionName, outcome: last.outcome, received: new Date(last.receivedAt).toISOString(), finished: iso(last.finishedAt) } : null,
    listener: listener
      ? { status: listener.status, since: new Date(listener.since).toISOString(), reconnects: listener.reconnects, lastError: listener.lastError ?? null, fix: listener.fix ?? null }
      : null,
  };
}

function formatFunctions(f: NonNullable<StatusReport['functions']>): string[] {
  const counts = Object.entries(f.invocations).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  const lines = ['', `SOAR functions: ${counts}${f.last ? `; last ${f.last.function} (${f.last.outcome}) at ${f.last.received}` : ''}`];
  if (f.listener) {
    const error = f.listener.lastError ? `; last error: ${f.listener.lastError}` : '';
    lines.push(`  listener ${f.listener.status} since ${f.listener.since}, ${f.listener.reconnects} reconnects${error}`);
    if (f.listener.fix) lines.push(`  fix: ${f.listener.fix}`);
  }
  return lines;
}

export function formatStatus(r: StatusReport): string {
  const lines: string[] = [];
  lines.push(`Database: ${r.database} (schema ${r.schemaVersion})`);
  lines.push(
    !r.daemon
      ? 'Daemon: not running'
      : r.daemon.stale
        ? `Daemon: not running: pid ${r.daemon.pid} on ${r.daemon.host} stopped without releasing the database (no heartbeat for ${duration(r.daemon.heartbeatSecondsAgo)}: killed, or a second Ctrl-C); the next start takes the lock over`
        : `Daemon: running as pid ${r.daemon.pid} on ${r.daemon.host} since ${r.daemon.startedAt} (heartbeat ${r.daemon.heartbeatSecondsAgo}s ago)`,
  );
  lines.push('', 'Regions:');
  if (r.regions.length === 0) lines.push('  (none discovered yet: run `guardduty-soar once` or start the daemon)');
  lines.push(...table(
    ['ACCOUNT', 'REGION', 'DETECTOR', 'STATUS', 'LAST POLL', 'NEWEST FINDING', 'CURSOR', 'LAST ERROR'],
    r.regions.map((x) => [
      x.account, x.region, x.detectorId ?? '-', x.status, ago(x.lagSeconds, x.status === 'active' ? 'never' : '-'),
      ago(x.newestFindingAgeSeconds, '-'), x.cursor ?? '-', x.lastError ? `${x.lastErrorAt ?? ''} ${x.lastError}`.trim() : '-',
    ]),
  ));
  const unpolled = r.regions.filter((x) => x.status === 'no-detector');
  if (unpolled.length > 0) {
    lines.push('', 'Not polled (no GuardDuty detector; not an error, rediscovered every aws_gd_regions_interval minutes):');
    for (const x of unpolled) lines.push(`  ${x.account} ${x.region}: ${x.reason ?? 'no detector'}. Enable GuardDuty there, or leave the region out of aws_gd_regions.`);
  }
  const failing = r.regions.filter((x) => x.lastError);
  if (failing.length > 0) {
    // The table cuts long messages; the whole message is what an operator acts on.
    lines.push('', 'Last errors:');
    for (const x of failing) lines.push(`  ${x.account} ${x.region} at ${x.lastErrorAt ?? '?'}: ${x.lastError ?? ''}`);
  }
  const skipping = r.regions.filter((x) => x.skipped && x.skipped.total > 0);
  if (skipping.length > 0) {
    lines.push('', 'Skipped in the last pass (listed, not escalated):');
    for (const x of skipping) lines.push(`  ${x.account} ${x.region}: skipped ${x.skipped?.total ?? 0}: ${x.skipped?.summary ?? ''}`);
  }
  lines.push('', `Links: ${r.links.total} (${linkCounts(r.links)}); ` +
    `incidents open ${r.links.openIncidents}, closed ${r.links.closedIncidents}; findings archived ${r.links.archivedFindings}`);
  lines.push(...unfinishedLinks(r), ...deletedIncidents(r), ...verifiedLine(r));
  lines.push('', `Pending operations: ${r.pending.length}`);
  lines.push(...table(['KIND', 'KEY', 'ATTEMPTS', 'NEXT ATTEMPT', 'LAST ERROR'], r.pending.map((p) => [p.kind, p.key, String(p.attempts), p.nextAttempt, p.lastError ?? '-'])));
  if (r.functions) lines.push(...formatFunctions(r.functions));
  if (r.soarConcurrency) lines.push(...formatSoarConcurrency(r.soarConcurrency));
  return lines.join('\n');
}

function linkCounts(links: StatusReport['links']): string {
  const k = links.known;
  if (!k || links.total === 0) return Object.entries(links.byState).map(([state, n]) => `${state} ${n}`).join(', ') || 'none';
  return `synced ${k.synced}, pending ${k.pending}, finding gone ${k.findingGone}, incident deleted ${k.incidentDeleted}`;
}

/** Links whose incident SOAR no longer holds: what became of them, and what the daemon does next. */
function deletedIncidents(r: StatusReport): string[] {
  const k = r.links.known;
  if (!k) return [];
  const lines: string[] = [];
  if (k.awaitingRecreation > 0) {
    lines.push(`  incident deleted ${k.awaitingRecreation}, open: the incident no longer exists in SOAR; the next cycle opens a new one with a note naming it.`);
  }
  const forgotten = k.incidentDeleted - k.awaitingRecreation;
  if (forgotten > 0) {
    lines.push(`  incident deleted ${forgotten}, forgotten: the incident no longer exists in SOAR and its finding is not escalated again ` +
      '(aws_gd_deleted_incident = forget, or the finding was archived); with recreate, a new incident opens when GuardDuty updates the finding.');
  }
  if (k.recreated > 0) lines.push(`  recreated ${k.recreated}: a new incident replaced one that no longer existed in SOAR (its note names the old one).`);
  return lines;
}

/** When the links were last checked against SOAR, and what was found. */
function verifiedLine(r: StatusReport): string[] {
  const v = r.links.verified;
  if (v === undefined) return [];
  if (v === null) return ['Verified against SOAR: never (a sample of links is checked at every start, and a batch of open links every cycle).'];
  const when = `${v.at} (${duration(v.secondsAgo)} ago, ${v.scope === 'start' ? 'sample at start' : 'open links, in a cycle'})`;
  const found = v.missing === 0 ? 'none missing' : `${v.missing} missing`;
  const refused = v.refused ? '; most are missing, so the database was refused: it does not belong to this SOAR org (the log and `check` say what to do)' : '';
  return [`Verified against SOAR: ${when}: ${v.checked} linked incidents checked, ${found}${refused}.`];
}

/**
 * What `partial` and `creating` mean, since an operator usually meets them after stopping the daemon
 * mid-cycle (a SIGTERM past its deadline, the "API calls still in flight … were cut" exit, a crash).
 */
function unfinishedLinks(r: StatusReport): string[] {
  const partial = r.links.byState.partial ?? 0;
  const creating = r.links.byState.creating ?? 0;
  if (partial + creating === 0) return [];
  const next = r.daemon && !r.daemon.stale ? 'the running daemon completes them in its next cycles' : 'the next `once` or `run` completes them';
  return [
    ...(partial > 0 ? [`  partial ${partial}: the incident exists, but some of its data-table rows or artifacts may not be written yet.`] : []),
    ...(creating > 0 ? [`  creating ${creating}: the create may or may not have reached SOAR; the incident is looked up by finding id before any create.`] : []),
    `  A stop during a cycle leaves these (a SIGTERM past aws_gd_shutdown_timeout, the "API calls still in flight" exit, a crash): nothing is lost, ${next}, and no incident is created twice.`,
  ];
}

function skippedIn(store: Store, target: DetectorKey): RegionSkipCounts | null {
  const last = lastSkips(store, target);
  if (!last) return null;
  const total = Object.values(last.skipped).reduce((a, n) => a + (n ?? 0), 0);
  return { at: new Date(last.at).toISOString(), total, byReason: last.skipped, summary: describeSkips(last.skipped) };
}

function ago(seconds: number | null, none: string): string {
  return seconds === null ? none : `${duration(seconds)} ago`;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

function table(header: string[], rows: string[][]): string[] {
  if (rows.length === 0) return [];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => Math.min(80, (r[i] ?? '').length))));
  const fmt = (cells: string[]): string => `  ${cells.map((c, i) => (c.length > 80 ? `${c.slice(0, 77)}...` : c).padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd();
  return [fmt(header), ...rows.map(fmt)];
}

/** `guardduty-soar status [--json]`: the state table from SQLite, without touching AWS or SOAR. */
export function statusCommand(io: Io, options: { config?: string | undefined; json?: boolean }): number {
  let dbPath: string;
  try {
    const path = locateConfigFile({ cliPath: options.config, env: io.env, cwd: io.cwd });
    dbPath = loadDbPath({ path, env: io.env, cwd: io.cwd, secretsDir: io.env.GUARDDUTY_SOAR_SECRETS_DIR ?? '/etc/secrets' });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`${err.message}\n`);
    return 2;
  }
  if (!fs.existsSync(dbPath)) {
    io.stderr.write(`No state yet: ${dbPath} does not exist (the daemon creates it on its first cycle).\n`);
    return 1;
  }
  let store: Store;
  try {
    store = Store.open(dbPath, () => Date.now(), { readonly: true });
  } catch (err) {
    if (!isStorageError(err)) throw err;
    io.stderr.write(`${describeStorageError(dbPath, err)}\n`);
    return 1;
  }
  try {
    const report = readStatus(store, Date.now());
    io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatStatus(report)}\n`);
    return 0;
  } finally {
    store.close();
  }
}
