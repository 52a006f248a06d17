import { afterEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../../src/commands/status-read.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

/** `guardduty-soar status`: what SQLite says, for an operator (table) and for machines (--json). */

let h: Harness | undefined;
afterEach(async () => {
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
    expect(header).toMatch(/ACCOUNT +REGION +DETECTOR +STATUS +LAST POLL +NEWEST FINDING +CURSOR +LAST ERROR/);
    const east = rows.find((r) => r.includes(' us-east-1 '));
    const west = rows.find((r) => r.includes(' eu-west-1 '));
    expect(east).toContain(harness.aws.detectors['us-east-1']);
    expect(east).toMatch(/ +\d+[smhd] ago +\d+[smhd] ago +\d{4}-\d\d-\d\dT[\d:.]+Z +-$/);
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
    const daemon = h.daemon();
    await daemon.waitFor((l) => l.message === 'Cycle finished');
    const result = await h.cli(['status', '--json', '--config', h.configPath]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as StatusReport;
    expect(report.daemon).toMatchObject({ pid: daemon.pid });
    const text = await h.cli(['status', '--config', h.configPath]);
    expect(text.stdout).toContain(`Daemon: running as pid ${daemon.pid}`);
  });

  it('lag is the age of the last successful poll, not of the newest finding', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    const sixHoursAgo = Date.now() - 6 * 3600_000;
    h.aws.generateFindings({ count: 1, region: 'us-east-1', updatedAt: sixHoursAgo, createdAt: sixHoursAgo });
    expect((await h.once()).code).toBe(0);
    const report = JSON.parse((await h.cli(['status', '--json', '--config', h.configPath])).stdout) as StatusReport;
    const east = report.regions.find((r) => r.region === 'us-east-1');
    expect(east?.newestFindingAgeSeconds).toBeGreaterThanOrEqual(6 * 3600);
    // Polled moments ago: far less than the six hours of the newest finding.
    expect(east?.lagSeconds).toBeGreaterThanOrEqual(0);
    expect((east?.lagSeconds ?? Infinity) * 10).toBeLessThan(east?.newestFindingAgeSeconds ?? 0);
    const text = (await h.cli(['status', '--config', h.configPath])).stdout;
    expect(text.split('\n').find((l) => l.includes(' us-east-1 '))).toMatch(/active +\d+[sm] ago +6h ago +/);
  });

  it('a region without a detector is the same fact in both forms: no error, not polled', async () => {
    h = await startHarness({ findings: 1, config: { aws_gd_regions: '^us-(east-1|west-1)$' } });
    expect((await h.once()).code).toBe(0);
    const report = JSON.parse((await h.cli(['status', '--json', '--config', h.configPath])).stdout) as StatusReport;
    expect(report.regions.find((r) => r.region === 'us-west-1')).toMatchObject({ status: 'no-detector', lastError: null, detectorId: null });
    const text = (await h.cli(['status', '--config', h.configPath])).stdout;
    expect(text.split('\n').find((l) => l.includes(' us-west-1 '))).toMatch(/no-detector +- +- +- +-$/);
    expect(text).not.toContain('Last errors:');
    expect(text).toMatch(/Not polled \(no GuardDuty detector; not an error[^\n]*\n {2}123456789012 us-west-1: GuardDuty has no detector in this region\. Enable GuardDuty there/);
  });

  it('needs no secret: it reads SQLite only, with the AWS and SOAR secrets\' variables unset', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    h.aws.generateFindings({ count: 1, region: 'us-east-1' });
    expect((await h.once()).code).toBe(0);
    h.configure({ aws_gd_secret_access_key: '$GDS_TEST_UNSET_AWS_SECRET', 'resilient.api_key_secret': '${GDS_TEST_UNSET_SOAR_SECRET}' });
    const env = { GDS_TEST_UNSET_AWS_SECRET: undefined, GDS_TEST_UNSET_SOAR_SECRET: undefined };
    // The daemon's commands refuse the file: the secrets are needed there.
    expect((await h.cli(['check', '--config', h.configPath], { env })).code).toBe(2);
    const text = await h.cli(['status', '--config', h.configPath], { env });
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Database: ${h.dbPath}`);
    const json = await h.cli(['status', '--json', '--config', h.configPath], { env });
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as StatusReport).links.total).toBe(1);
  });
});
