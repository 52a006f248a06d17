import { afterEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/commands/status.js';
import { startDaemon, type DaemonProcess } from '../helpers/daemon-process.js';
import { startHarness, type Harness } from './harness.js';

/** `guardduty-soar status`: what SQLite says, for an operator (table) and for machines (--json). */

let h: Harness | undefined;
let daemon: DaemonProcess | undefined;
afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
  await h?.close();
  h = undefined;
});

/** Two cycles: us-east-1 escalates three findings, eu-west-1 is refused; then one archive keeps failing. */
async function stateWithTroubles(): Promise<Harness> {
  h = await startHarness({ findings: 0, config: { aws_gd_regions: '^(us-east-1|eu-west-1)$' } });
  h.aws.generateFindings({ count: 3, region: 'us-east-1' });
  h.aws.generateFindings({ count: 2, region: 'eu-west-1' });
  // A cycle that succeeds everywhere first, so both regions have a cursor and a last success.
  expect((await h.once()).code).toBe(0);
  h.aws.setFault({ service: 'guardduty', operation: 'ListFindings', region: 'eu-west-1', errorRate: 1, statuses: [403] });
  const [first] = h.incidents();
  h.soar.closeIncident(first?.id ?? 0, { resolution: 'Resolved', summary: 'handled' });
  h.aws.setFault({ service: 'guardduty', operation: 'ArchiveFindings', errorRate: 1, statuses: [500] });
  expect((await h.once()).code).toBe(1);
  return h;
}

describe('status', () => {
  it('says there is no state yet before the first cycle', async () => {
    h = await startHarness({ findings: 0 });
    h.configure({ aws_gd_db_path: `${h.dir}/fresh/state.db` });
    const result = await h.cli(['status', '--config', h.configPath]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`No state yet: ${h.dir}/fresh/state.db does not exist`);
  });

  it('shows per region the cursor, lag, last success and last error, links by state and pending operations', async () => {
    const harness = await stateWithTroubles();
    const result = await harness.cli(['status', '--config', harness.configPath]);
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toContain(`Database: ${harness.dbPath}`);
    expect(out).toContain('Daemon: not running');
    const rows = out.split('\n');
    const header = rows.find((r) => r.trim().startsWith('ACCOUNT'));
    expect(header).toMatch(/ACCOUNT +REGION +DETECTOR +STATUS +CURSOR +LAG +LAST SUCCESS +LAST ERROR/);
    const east = rows.find((r) => r.includes(' us-east-1 '));
    const west = rows.find((r) => r.includes(' eu-west-1 '));
    expect(east).toContain(harness.aws.detectors['us-east-1']);
    expect(east).toMatch(/\d{4}-\d\d-\d\dT[\d:.]+Z +\d+[smhd] +\d{4}-\d\d-\d\dT/);
    expect(west).toContain('GuardDuty ListFindings in eu-west-1 failed');
    expect(out).toMatch(/Last errors:\n {2}123456789012 eu-west-1 at \S+Z: GuardDuty ListFindings in eu-west-1 failed: AccessDeniedException/);
    expect(out).toMatch(/Links: 5 \(.*\); incidents open 4, closed 1/);
    expect(out).toContain('Pending operations: 1');
    expect(rows.find((r) => r.trim().startsWith('archive '))).toContain('InternalServerErrorException');
  });

  it('--json gives the same facts to machines', async () => {
    const harness = await stateWithTroubles();
    const result = await harness.cli(['status', '--json', '--config', harness.configPath]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as StatusReport;
    expect(report.daemon).toBeNull();
    const byRegion = Object.fromEntries(report.regions.map((r) => [r.region, r]));
    expect(byRegion['us-east-1']).toMatchObject({ account: '123456789012', detectorId: harness.aws.detectors['us-east-1'], lastError: null });
    expect(byRegion['us-east-1']?.cursor).toMatch(/Z$/);
    expect(byRegion['us-east-1']?.lagSeconds).toBeGreaterThanOrEqual(0);
    expect(byRegion['us-east-1']?.lastSuccess).toMatch(/Z$/);
    expect(byRegion['eu-west-1']?.lastError).toContain('AccessDeniedException');
    expect(report.links).toMatchObject({ total: 5, openIncidents: 4, closedIncidents: 1 });
    expect(Object.values(report.links.byState).reduce((n, c) => n + c, 0)).toBe(5);
    expect(report.pending).toEqual([expect.objectContaining({ kind: 'archive', attempts: 1 })]);
    expect(report.pending[0]?.lastError).toContain('InternalServerErrorException');
  });

  it('reads while the daemon runs, and names it', async () => {
    h = await startHarness({ findings: 2, config: { aws_gd_regions: '^us-east-1$' } });
    daemon = startDaemon(['run', '--config', h.configPath], { cwd: h.dir, env: h.env });
    await daemon.waitFor((l) => l.message === 'Cycle finished');
    const result = await h.cli(['status', '--json', '--config', h.configPath]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as StatusReport;
    expect(report.daemon).toMatchObject({ pid: daemon.pid });
    const text = await h.cli(['status', '--config', h.configPath]);
    expect(text.stdout).toContain(`Daemon: running as pid ${daemon.pid}`);
  });
});
