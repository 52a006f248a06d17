import { describe, expect, it } from 'vitest';
import { formatStatus, type StatusReport } from '../../../src/commands/status.js';

const report = (over: Partial<StatusReport> = {}): StatusReport => ({
  database: '/var/lib/guardduty-soar/data/guardduty-soar.db',
  schemaVersion: 4,
  daemon: { pid: 7, host: 'pod-1', startedAt: '2026-03-01T10:00:00.000Z', heartbeatSecondsAgo: 12 },
  regions: [
    {
      account: '123456789012', region: 'us-east-1', detectorId: 'd1', status: 'active', cursor: '2026-03-01T11:58:00.000Z',
      lagSeconds: 150, lastSuccess: '2026-03-01T11:59:00.000Z', lastError: null, lastErrorAt: null, reason: null,
    },
    {
      account: '123456789012', region: 'eu-west-1', detectorId: 'd2', status: 'active', cursor: null, lagSeconds: null,
      lastSuccess: null, lastError: `GuardDuty ListFindings in eu-west-1 failed: AccessDeniedException (HTTP 403): ${'x'.repeat(120)}`,
      lastErrorAt: '2026-03-01T11:59:30.000Z', reason: null,
    },
    {
      account: '123456789012', region: 'us-west-1', detectorId: null, status: 'no-detector', cursor: null, lagSeconds: null,
      lastSuccess: null, lastError: null, lastErrorAt: null, reason: 'GuardDuty is not enabled',
    },
  ],
  links: { total: 12, byState: { linked: 10, archived: 2 }, openIncidents: 9, closedIncidents: 3, archivedFindings: 2 },
  pending: [{ kind: 'archive', key: '123456789012/us-east-1/d1/f1', attempts: 3, nextAttempt: '2026-03-01T12:10:00.000Z', lastError: 'member account' }],
  ...over,
});

describe('formatStatus', () => {
  it('shows the daemon, the region table, the whole last errors, links and pending operations', () => {
    const text = formatStatus(report());
    expect(text).toContain('Database: /var/lib/guardduty-soar/data/guardduty-soar.db (schema 4)');
    expect(text).toContain('Daemon: running as pid 7 on pod-1 since 2026-03-01T10:00:00.000Z (heartbeat 12s ago)');
    const lines = text.split('\n');
    expect(lines.find((l) => l.includes('us-east-1'))).toMatch(/us-east-1 +d1 +active +2026-03-01T11:58:00.000Z +3m +2026-03-01T11:59:00.000Z +-$/);
    // A long error is cut in the table and given whole below it.
    expect(lines.find((l) => l.includes(' eu-west-1 '))).toMatch(/\.\.\.$/);
    expect(text).toContain(`Last errors:\n  123456789012 eu-west-1 at 2026-03-01T11:59:30.000Z: GuardDuty ListFindings in eu-west-1 failed: AccessDeniedException (HTTP 403): ${'x'.repeat(120)}`);
    expect(lines.find((l) => l.includes('us-west-1'))).toContain('GuardDuty is not enabled');
    expect(text).toContain('Links: 12 (linked 10, archived 2); incidents open 9, closed 3; findings archived 2');
    expect(text).toMatch(/Pending operations: 1\n +KIND +KEY +ATTEMPTS +NEXT ATTEMPT +LAST ERROR\n +archive +123456789012\/us-east-1\/d1\/f1 +3 +2026-03-01T12:10:00.000Z +member account/);
  });

  it('says what to do when nothing was discovered yet', () => {
    const text = formatStatus(report({ daemon: null, regions: [], links: { total: 0, byState: {}, openIncidents: 0, closedIncidents: 0, archivedFindings: 0 }, pending: [] }));
    expect(text).toContain('Daemon: not running');
    expect(text).toContain('(none discovered yet: run `guardduty-soar once` or start the daemon)');
    expect(text).toContain('Links: 0 (none)');
    expect(text).toContain('Pending operations: 0');
    expect(text).not.toContain('Last errors');
  });
});
