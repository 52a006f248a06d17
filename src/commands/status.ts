import fs from 'node:fs';
import { ConfigError } from '../errors.js';
import { readAppConfig, type Io } from '../main.js';
import { Store } from '../store/store.js';
import { schemaVersion } from '../store/database.js';

/** What `guardduty-soar status` shows: read from SQLite only, no network. */
export interface StatusReport {
  database: string;
  schemaVersion: number;
  daemon: { pid: number; host: string; startedAt: string; heartbeatSecondsAgo: number } | null;
  regions: {
    account: string;
    region: string;
    detectorId: string | null;
    status: string;
    cursor: string | null;
    lagSeconds: number | null;
    lastSuccess: string | null;
    lastError: string | null;
    lastErrorAt: string | null;
    reason: string | null;
  }[];
  links: { total: number; byState: Record<string, number>; openIncidents: number; closedIncidents: number; archivedFindings: number };
  pending: { kind: string; key: string; attempts: number; nextAttempt: string; lastError: string | null }[];
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

export function readStatus(store: Store, now: number): StatusReport {
  const cursors = store.cursors.all();
  const detectors = store.detectors.list();
  const regions: StatusReport['regions'] = detectors.map((d) => {
    const c = cursors.find((x) => x.account === d.account && x.region === d.region && x.detectorId === d.detectorId);
    return {
      account: d.account, region: d.region, detectorId: d.detectorId ?? null, status: d.status,
      cursor: iso(c?.cursorMs), lagSeconds: c?.cursorMs === undefined ? null : Math.round((now - c.cursorMs) / 1000),
      lastSuccess: iso(c?.lastSuccessAt), lastError: c?.lastError ?? null, lastErrorAt: iso(c?.lastErrorAt), reason: d.reason ?? null,
    };
  });
  const links: StatusReport['links'] = { total: 0, byState: {}, openIncidents: 0, closedIncidents: 0, archivedFindings: 0 };
  for (const row of store.links.counts()) {
    links.total += row.count;
    links.byState[row.state] = (links.byState[row.state] ?? 0) + row.count;
    if (row.incidentState === 'open') links.openIncidents += row.count;
    else links.closedIncidents += row.count;
    if (row.archived) links.archivedFindings += row.count;
  }
  const holder = store.lock.holder();
  return {
    database: store.db.name,
    schemaVersion: schemaVersion(store.db),
    daemon: holder
      ? { pid: holder.pid, host: holder.host, startedAt: new Date(holder.startedAt).toISOString(), heartbeatSecondsAgo: Math.round((now - holder.heartbeatAt) / 1000) }
      : null,
    regions,
    links,
    pending: store.ops.all().map((op) => ({
      kind: op.kind, key: op.key, attempts: op.attempts, nextAttempt: new Date(op.nextAttemptAt).toISOString(), lastError: op.lastError ?? null,
    })),
  };
}

export function formatStatus(r: StatusReport): string {
  const lines: string[] = [];
  lines.push(`Database: ${r.database} (schema ${r.schemaVersion})`);
  lines.push(
    r.daemon
      ? `Daemon: running as pid ${r.daemon.pid} on ${r.daemon.host} since ${r.daemon.startedAt} (heartbeat ${r.daemon.heartbeatSecondsAgo}s ago)`
      : 'Daemon: not running',
  );
  lines.push('', 'Regions:');
  if (r.regions.length === 0) lines.push('  (none discovered yet: run `guardduty-soar once` or start the daemon)');
  lines.push(...table(
    ['ACCOUNT', 'REGION', 'DETECTOR', 'STATUS', 'CURSOR', 'LAG', 'LAST SUCCESS', 'LAST ERROR'],
    r.regions.map((x) => [
      x.account, x.region, x.detectorId ?? '-', x.status, x.cursor ?? '-', x.lagSeconds === null ? '-' : duration(x.lagSeconds),
      x.lastSuccess ?? '-', x.lastError ? `${x.lastErrorAt ?? ''} ${x.lastError}`.trim() : x.reason ?? '-',
    ]),
  ));
  const failing = r.regions.filter((x) => x.lastError);
  if (failing.length > 0) {
    // The table cuts long messages; the whole message is what an operator acts on.
    lines.push('', 'Last errors:');
    for (const x of failing) lines.push(`  ${x.account} ${x.region} at ${x.lastErrorAt ?? '?'}: ${x.lastError ?? ''}`);
  }
  lines.push('', `Links: ${r.links.total} (${Object.entries(r.links.byState).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}); ` +
    `incidents open ${r.links.openIncidents}, closed ${r.links.closedIncidents}; findings archived ${r.links.archivedFindings}`);
  lines.push('', `Pending operations: ${r.pending.length}`);
  lines.push(...table(['KIND', 'KEY', 'ATTEMPTS', 'NEXT ATTEMPT', 'LAST ERROR'], r.pending.map((p) => [p.kind, p.key, String(p.attempts), p.nextAttempt, p.lastError ?? '-'])));
  return lines.join('\n');
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
    dbPath = readAppConfig(io, options.config).dbPath;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`${err.message}\n`);
    return 2;
  }
  if (!fs.existsSync(dbPath)) {
    io.stderr.write(`No state yet: ${dbPath} does not exist (the daemon creates it on its first cycle).\n`);
    return 1;
  }
  const store = Store.open(dbPath, () => Date.now(), { readonly: true });
  try {
    const report = readStatus(store, Date.now());
    io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatStatus(report)}\n`);
    return 0;
  } finally {
    store.close();
  }
}
