import { afterEach, describe, expect, it } from 'vitest';
import { checkCommand } from '../../../src/commands/check.js';
import { freePort, startDaemon, type DaemonProcess } from '../../helpers/daemon-process.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

/**
 * Where GuardDuty is blind, as an operator meets it: a suspended-looking member, features turned
 * off, a Runtime Monitoring resource GuardDuty cannot see and why, a member that is no longer
 * associated. `check` warns (and exits 0: it is GuardDuty's reach, not guardduty-soar's setup),
 * `status` lists it from SQLite after a cycle, and `/metrics` exports it as gauges.
 */

const ADMIN = '111111111111';
const MEMBER = '222222222222';
const GONE = '333333333333';
const ADMIN_KEY = 'AKIACOVERAGEADMIN001';

let h: Harness | undefined;
let daemon: DaemonProcess | undefined;
afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
  await h?.close();
  h = undefined;
});

/** A sample value of the Prometheus text exposition, by metric name and labels. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = /\{(.*)\}/.exec(line)?.[1] ?? '';
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) return Number(line.split(' ').pop());
  }
  return undefined;
}

async function blindSpots(port?: number): Promise<Harness> {
  const harness = await startHarness({
    findings: 0,
    aws: {
      accounts: [
        { accountId: ADMIN, accessKeys: [ADMIN_KEY], regions: ['us-east-1'] },
        { accountId: MEMBER, accessKeys: ['AKIACOVERAGEMEMBER01'], regions: ['us-east-1'], administrator: ADMIN },
        { accountId: GONE, accessKeys: ['AKIACOVERAGEGONE0001'], regions: ['us-east-1'], administrator: ADMIN },
      ],
    },
    config: { aws_gd_regions: '^us-east-1$', aws_gd_access_key_id: ADMIN_KEY, ...(port ? { aws_gd_health_port: String(port) } : {}) },
  });
  h = harness;
  harness.aws.updateDetector(ADMIN, 'us-east-1', { features: [{ name: 'RUNTIME_MONITORING', status: 'DISABLED' }] });
  harness.aws.updateDetector(MEMBER, 'us-east-1', { enable: false });
  harness.aws.setMemberRelationship(GONE, 'Removed');
  harness.aws.addCoverage({ account: ADMIN, resourceId: 'i-0aaa1111', coverageStatus: 'HEALTHY' });
  harness.aws.addCoverage({ account: MEMBER, resourceId: 'i-0bbb2222', coverageStatus: 'UNHEALTHY', issue: 'No agent reporting' });
  return harness;
}

describe('GuardDuty coverage', () => {
  it('check warns about every blind spot, with the fix, and still exits 0', async () => {
    const harness = await blindSpots();
    const io = harness.io();
    const code = await checkCommand(io, { config: harness.configPath });
    const line = io.out().split('\n').find((l) => l.includes('GuardDuty coverage in us-east-1')) ?? '';
    expect(code).toBe(0);
    expect(line).toMatch(/^WARN {2}GuardDuty coverage in us-east-1: features off: RUNTIME_MONITORING; 1 UNHEALTHY Runtime Monitoring resource: EC2 i-0bbb2222 \(account 222222222222\): No agent reporting/);
    expect(line).toContain(`member ${GONE}: not associated (relationship Removed)`);
    expect(line).toContain(`member ${MEMBER}: detector disabled or every protection feature off`);
    expect(line).toMatch(/Fix: Turn the features on .*; fix the Runtime Monitoring agents named .*; associate the member accounts/);
  });

  it('the daemon records it for status after a cycle, and exports it on /metrics', async () => {
    const port = await freePort();
    const harness = await blindSpots(port);
    daemon = startDaemon(['run', '--config', harness.configPath, '--health-host', '127.0.0.1'], { cwd: harness.dir, env: harness.env });
    const warning = await daemon.waitFor((l) => l.message === 'GuardDuty coverage: where GuardDuty is blind');
    expect(warning).toMatchObject({ account: ADMIN, region: 'us-east-1', problems: expect.arrayContaining(['features off: RUNTIME_MONITORING']) });
    await daemon.waitFor((l) => l.message === 'Cycle finished');

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const at = { account: ADMIN, region: 'us-east-1' };
    expect(sample(metrics, 'guardduty_soar_coverage_detector', { ...at, status: 'enabled' })).toBe(1);
    expect(sample(metrics, 'guardduty_soar_coverage_detector', { ...at, status: 'disabled' })).toBe(0);
    expect(sample(metrics, 'guardduty_soar_coverage_feature_enabled', { ...at, feature: 'RUNTIME_MONITORING' })).toBe(0);
    expect(sample(metrics, 'guardduty_soar_coverage_feature_enabled', { ...at, feature: 'S3_DATA_EVENTS' })).toBe(1);
    expect(sample(metrics, 'guardduty_soar_coverage_resources', { ...at, status: 'UNHEALTHY' })).toBe(1);
    expect(sample(metrics, 'guardduty_soar_coverage_resources', { ...at, status: 'HEALTHY' })).toBe(1);
    expect(sample(metrics, 'guardduty_soar_coverage_members', { ...at, status: 'Removed' })).toBe(1);
    expect(sample(metrics, 'guardduty_soar_coverage_member_problems', at)).toBe(2);
    await daemon.stop();
    daemon = undefined;

    const status = await harness.cli(['status', '--config', harness.configPath]);
    expect(status.code).toBe(0);
    const section = status.stdout.slice(status.stdout.indexOf('Coverage ('));
    expect(section).toMatch(new RegExp(`^ {2}us-east-1 of account ${ADMIN} \\(checked [^)]+\\):$`, 'm'));
    expect(section).toContain('    - features off: RUNTIME_MONITORING');
    expect(section).toContain('    - 1 UNHEALTHY Runtime Monitoring resource: EC2 i-0bbb2222 (account 222222222222): No agent reporting');
    expect(section).toContain(`    - member ${GONE}: not associated (relationship Removed)`);
    const json = JSON.parse((await harness.cli(['status', '--json', '--config', harness.configPath])).stdout) as { coverage: { account: string; detector: string; problems: string[] }[] };
    expect(json.coverage).toEqual([expect.objectContaining({ account: ADMIN, region: 'us-east-1', detector: 'ENABLED', problems: expect.arrayContaining([`member ${MEMBER}: detector disabled or every protection feature off`]) })]);
  });
});
