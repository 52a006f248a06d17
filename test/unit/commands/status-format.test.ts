import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../../src/commands/status-format.js';
import type { StatusReport } from '../../../src/commands/status-read.js';

const report = (over: Partial<StatusReport> = {}): StatusReport => ({
  database: '/var/lib/guardduty-soar/data/guardduty-soar.db',
  schemaVersion: 4,
  daemon: { pid: 7, host: 'pod-1', startedAt: '2026-03-01T10:00:00.000Z', heartbeatSecondsAgo: 12, stale: false },
  regions: [
    {
      account: '123456789012', region: 'us-east-1', detectorId: 'd1', status: 'active', cursor: '2026-03-01T11:58:00.000Z',
      lagSeconds: 60, newestFindingAgeSeconds: 21_600, lastSuccess: '2026-03-01T11:59:00.000Z', lastError: null, lastErrorAt: null, reason: null,
    },
    {
      account: '123456789012', region: 'eu-west-1', detectorId: 'd2', status: 'active', cursor: null, lagSeconds: null, newestFindingAgeSeconds: null,
      lastSuccess: null, lastError: `GuardDuty ListFindings in eu-west-1 failed: AccessDeniedException (HTTP 403): ${'x'.repeat(120)}`,
      lastErrorAt: '2026-03-01T11:59:30.000Z', reason: null,
    },
    {
      account: '123456789012', region: 'us-west-1', detectorId: null, status: 'no-detector', cursor: null, lagSeconds: null, newestFindingAgeSeconds: null,
      lastSuccess: null, lastError: null, lastErrorAt: null, reason: 'GuardDuty is not enabled',
    },
  ],
  links: { total: 12, byState: { linked: 10, archived: 2 }, openIncidents: 9, closedIncidents: 3, archivedFindings: 2 },
  pending: [{ kind: 'archive', key: '123456789012/us-east-1/d1/f1', attempts: 3, nextAttempt: '2026-03-01T12:10:00.000Z', lastError: 'member account' }],
  functions: null,
  ...over,
});

describe('formatStatus', () => {
  it('shows the daemon, the region table, the whole last errors, links and pending operations', () => {
    const text = formatStatus(report());
    expect(text).toContain('Database: /var/lib/guardduty-soar/data/guardduty-soar.db (schema 4)');
    expect(text).toContain('Daemon: running as pid 7 on pod-1 since 2026-03-01T10:00:00.000Z (heartbeat 12s ago)');
    const lines = text.split('\n');
    expect(lines.find((l) => l.trim().startsWith('ACCOUNT'))).toMatch(/ACCOUNT +REGION +DETECTOR +STATUS +LAST POLL +NEWEST FINDING +CURSOR +LAST ERROR$/);
    // Polled a minute ago, nothing new for six hours: the region is not behind.
    expect(lines.find((l) => l.includes('us-east-1'))).toMatch(/us-east-1 +d1 +active +60s ago +6h ago +2026-03-01T11:58:00.000Z +-$/);
    expect(lines.find((l) => l.includes(' eu-west-1 '))).toMatch(/eu-west-1 +d2 +active +never +- +- +2026-03-01T11:59:30.000Z GuardDuty/);
    // A long error is cut in the table and given whole below it.
    expect(lines.find((l) => l.includes(' eu-west-1 '))).toMatch(/\.\.\.$/);
    expect(text).toContain(`Last errors:\n  123456789012 eu-west-1 at 2026-03-01T11:59:30.000Z: GuardDuty ListFindings in eu-west-1 failed: AccessDeniedException (HTTP 403): ${'x'.repeat(120)}`);
    // A region without a detector is not an error, in the table as in --json (lastError null).
    expect(lines.find((l) => l.includes(' us-west-1 '))).toMatch(/us-west-1 +- +no-detector +- +- +- +-$/);
    expect(text).toContain('Not polled (no GuardDuty detector; not an error');
    expect(text).toContain('  123456789012 us-west-1: GuardDuty is not enabled. Enable GuardDuty there, or leave the region out of aws_gd_regions.');
    expect(text).not.toMatch(/Last errors:[\s\S]*us-west-1/);
    expect(text).toContain('Links: 12 (linked 10, archived 2); incidents open 9, closed 3; findings archived 2');
    expect(text).toMatch(/Pending operations: 1\n +KIND +KEY +ATTEMPTS +NEXT ATTEMPT +LAST ERROR\n +archive +123456789012\/us-east-1\/d1\/f1 +3 +2026-03-01T12:10:00.000Z +member account/);
  });

  it('explains partial and creating links, as a stop during a cycle leaves them', () => {
    const links = { total: 5, byState: { synced: 2, partial: 2, creating: 1 }, openIncidents: 5, closedIncidents: 0, archivedFindings: 0 };
    const stopped = formatStatus(report({ daemon: null, links }));
    expect(stopped).toContain('  partial 2: the incident exists, but some of its data-table rows or artifacts may not be written yet.');
    expect(stopped).toContain('  creating 1: the create may or may not have reached SOAR; the incident is looked up by finding id before any create.');
    expect(stopped).toContain('a SIGTERM past aws_gd_shutdown_timeout, the "API calls still in flight" exit, a crash');
    expect(stopped).toContain('the next `once` or `run` completes them, and no incident is created twice.');
    expect(formatStatus(report({ links }))).toContain('the running daemon completes them in its next cycles');
    expect(formatStatus(report())).not.toContain('A stop during a cycle');
  });

  it('a lock whose heartbeat stopped is no running daemon: it says so, and that the next start takes it over', () => {
    const daemon = { pid: 7, host: 'pod-1', startedAt: '2026-03-01T10:00:00.000Z', heartbeatSecondsAgo: 600, stale: true };
    const links = { total: 1, byState: { partial: 1 }, openIncidents: 1, closedIncidents: 0, archivedFindings: 0 };
    const text = formatStatus(report({ daemon, links }));
    expect(text).toContain('Daemon: not running: pid 7 on pod-1 stopped without releasing the database (no heartbeat for 10m: killed, or a second Ctrl-C); the next start takes the lock over');
    expect(text).toContain('the next `once` or `run` completes them');
  });

  it('says what to do when nothing was discovered yet', () => {
    const text = formatStatus(report({ daemon: null, regions: [], links: { total: 0, byState: {}, openIncidents: 0, closedIncidents: 0, archivedFindings: 0 }, pending: [] }));
    expect(text).toContain('Daemon: not running');
    expect(text).toContain('(none discovered yet: run `guardduty-soar once` or start the daemon)');
    expect(text).toContain('Links: 0 (none)');
    expect(text).toContain('Pending operations: 0');
    expect(text).not.toContain('Last errors');
  });

  it('counts links by what the daemon knows (synced, pending, finding gone, incident deleted), what became of deleted incidents, and when SOAR was last checked', () => {
    const links: StatusReport['links'] = {
      total: 20, byState: { synced: 15, partial: 1, gone: 1, orphaned: 3 }, openIncidents: 18, closedIncidents: 2, archivedFindings: 1,
      known: { synced: 15, pending: 1, findingGone: 1, incidentDeleted: 3, awaitingRecreation: 2, recreated: 4 },
      verified: { at: '2026-03-01T11:57:00.000Z', secondsAgo: 180, scope: 'cycle', checked: 18, missing: 2, refused: false },
    };
    const text = formatStatus(report({ links }));
    expect(text).toContain('Links: 20 (synced 15, pending 1, finding gone 1, incident deleted 3); incidents open 18, closed 2; findings archived 1');
    expect(text).toContain('  incident deleted 2, open: the incident no longer exists in SOAR; the next cycle opens a new one with a note naming it.');
    expect(text).toContain('  incident deleted 1, forgotten: the incident no longer exists in SOAR and its finding is not escalated again');
    expect(text).toContain('  recreated 4: a new incident replaced one that no longer existed in SOAR (its note names the old one).');
    expect(text).toContain('Verified against SOAR: 2026-03-01T11:57:00.000Z (3m ago, open links, in a cycle): 18 linked incidents checked, 2 missing.');

    const refused = formatStatus(report({ links: { ...links, verified: { ...links.verified!, scope: 'start', checked: 20, missing: 20, refused: true } } }));
    expect(refused).toContain('20 linked incidents checked, 20 missing; most are missing, so the database was refused: it does not belong to this SOAR org');
    expect(formatStatus(report({ links: { ...links, verified: null } }))).toContain('Verified against SOAR: never');
  });

  it('shows the SOAR concurrency: the limit now, its range, raises, cuts, throttled requests, the last cut and the latency', () => {
    const soarConcurrency = {
      limit: 8, floor: 1, ceiling: 16, at: '2026-03-01T11:59:00.000Z', since: '2026-03-01T10:00:00.000Z', lowest: 4, highest: 16,
      raises: 14, cuts: 1, throttled: 2, lastCut: { at: '2026-03-01T11:58:00.000Z', from: 16, to: 8, reason: 'throttled' as const, retryAfterSeconds: 1 },
      latency: { recentMs: 23, baselineMs: 21 },
    };
    const text = formatStatus(report({ soarConcurrency }));
    expect(text).toContain('SOAR concurrency: 8 requests at once (adapts from 1 to 16), as of 2026-03-01T11:59:00.000Z\n'
      + '  since 2026-03-01T10:00:00.000Z: 14 raises, 1 cuts, lowest 4, highest 16; 2 requests throttled by SOAR (429/503)\n'
      + '  last cut: 16 → 8 at 2026-03-01T11:58:00.000Z: SOAR throttled (Retry-After 1 s)\n'
      + '  SOAR latency: 23 ms recently, 21 ms baseline');
    const pinned = formatStatus(report({ soarConcurrency: { ...soarConcurrency, limit: 6, floor: 6, ceiling: 6, lastCut: null, latency: null } }));
    expect(pinned).toContain('SOAR concurrency: 6 requests at once (fixed: aws_gd_soar_concurrency_min = aws_gd_soar_concurrency)');
    expect(pinned).not.toContain('last cut');
    expect(formatStatus(report())).not.toContain('SOAR concurrency');
  });
});
