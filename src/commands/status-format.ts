import type { StatusReport } from './status-read.js';
import { formatSoarConcurrency } from './status-soar-limit.js';

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
