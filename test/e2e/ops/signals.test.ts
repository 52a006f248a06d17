import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/commands/run.js';
import { until } from '../../helpers/wait.js';
import { logLines, startHarness, type Harness } from '../../helpers/harness.js';

/**
 * The daemon's lifecycle as an orchestrator drives it: SIGTERM in the middle of a cycle, a second
 * signal, a second daemon on the same database, and kill -9 followed by a restart. The outcomes are
 * asserted through states (exit codes, log lines, incidents, the lock), never through timings.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const message = (text: string) => (l: Record<string, unknown>): boolean => l.message === text;

/** Ten new findings in one region; SOAR serves one create at a time, slowly. */
async function slowSoar(config: Record<string, string>, fault: { latencyMs?: number; answerDelayMs?: number }): Promise<Harness> {
  h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$', aws_gd_soar_concurrency: '1', ...config } });
  h.aws.generateFindings({ count: 10, region: 'us-east-1' });
  h.soar.addFault({ operations: ['POST /rest/orgs/{org}/incidents'], ...fault });
  return h;
}

async function firstIncident(harness: Harness): Promise<void> {
  await until(() => harness.incidents().length > 0, 'the first incident', { timeoutMs: 20_000, everyMs: 20 });
}

function expectExactlyOneIncidentPerFinding(harness: Harness, findings: number): void {
  const ids = harness.incidents().map((i) => i.properties.aws_guardduty_finding_id);
  expect(ids).toHaveLength(findings);
  expect(new Set(ids).size).toBe(findings);
}

describe('SIGTERM', () => {
  it('mid-cycle: scheduling stops, no new finding is taken, the ones in flight finish, SQLite closes, exit 0; the next start does the rest', async () => {
    const harness = await slowSoar({}, { latencyMs: 150 });
    const d = harness.daemon();
    await firstIncident(harness);
    d.signal('SIGTERM');
    const { code } = await d.exited;
    expect(code).toBe(0);
    expect(d.lines().find(message('Stopping'))).toMatchObject({ reason: 'SIGTERM', deadlineSeconds: 25 });
    expect(d.lines().find(message('Stopped'))).toMatchObject({ cycleInFlight: 'finished' });
    // Each finding is a safe point: with one SOAR slot, two findings are in flight; the rest are left.
    const stopped = d.lines().find((l) => String(l.message).startsWith('Cycle stopped at a safe point'));
    expect(stopped).toMatchObject({ abandoned: 0 });
    expect(Number(stopped?.finishedAfterStop)).toBeLessThanOrEqual(2);
    expect(harness.incidents().length).toBe(Number(stopped?.handled));
    expect(harness.incidents().length + Number(stopped?.left)).toBe(10);
    expect(d.lines().filter(message('Cycle finished'))).toHaveLength(0);
    // The lock was released and the database closed cleanly: status sees no daemon, and no half-written incident.
    const status = await harness.cli(['status', '--config', harness.configPath]);
    expect(status.stdout).toContain('Daemon: not running');
    expect(status.stdout).not.toMatch(/partial \d|creating \d/);
    const again = await harness.cli(['once', '--config', harness.configPath]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expectExactlyOneIncidentPerFinding(harness, 10);
  });

  it('past aws_gd_shutdown_timeout: the calls still in flight are cut, nothing is logged after "Stopped", exit 0, and the next start finishes the job exactly once', async () => {
    // Each create takes effect at once but its answer comes 10 s later: the daemon is stopped while it waits.
    const harness = await slowSoar({ aws_gd_shutdown_timeout: '0.5' }, { answerDelayMs: 10_000 });
    const d = harness.daemon();
    await firstIncident(harness);
    d.signal('SIGTERM');
    const { code } = await d.exited;
    expect(code).toBe(0);
    const lines = d.lines();
    expect(lines.at(-1)).toMatchObject({ message: 'Stopped', cycleInFlight: 'cut' });
    expect(lines.find((l) => String(l.message).startsWith('API calls still in flight after the shutdown deadline were cut'))).toBeDefined();
    expect(harness.incidents().length).toBeLessThan(10);
    harness.soar.clearFaults();
    const again = await harness.cli(['once', '--config', harness.configPath]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expectExactlyOneIncidentPerFinding(harness, 10);
  });

  it('a second signal exits at once', async () => {
    const harness = await slowSoar({}, { answerDelayMs: 10_000 });
    const d = harness.daemon();
    await firstIncident(harness);
    d.signal('SIGTERM');
    await d.waitFor(message('Stopping'));
    d.signal('SIGTERM');
    const { code } = await d.exited;
    expect(code).toBe(143);
    expect(d.stderr()).toContain('Received SIGTERM again: exiting now.');
    expect(d.lines().find(message('Stopped'))).toBeUndefined();
  });

  it('SIGINT (Ctrl-C) stops it the same way', async () => {
    h = await startHarness({ findings: 2, config: { aws_gd_regions: '^us-east-1$' } });
    const d = h.daemon();
    await d.waitFor(message('Cycle finished'));
    d.signal('SIGINT');
    expect((await d.exited).code).toBe(0);
    expect(d.lines().find(message('Stopped'))).toMatchObject({ cycleInFlight: 'idle' });
  });
});

describe('one daemon per database', () => {
  it('a second daemon refuses to start with a clear message; after kill -9 a restart takes the lock over at once', async () => {
    h = await startHarness({ findings: 2, config: { aws_gd_regions: '^us-east-1$' } });
    const first = h.daemon();
    await first.waitFor(message('Daemon started'));

    const second = await h.cli(['run', '--config', h.configPath]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`Another guardduty-soar (pid ${first.pid} on `);
    expect(second.stderr).toContain(h.dbPath);
    expect(second.stderr).toContain('aws_gd_db_path');
    // `once` shares the rule: it would escalate the same findings.
    expect((await h.cli(['once', '--config', h.configPath])).code).toBe(1);

    first.signal('SIGKILL');
    await first.exited;
    const third = h.daemon();
    await third.waitFor(message('Daemon started'));
    await third.waitFor(message('Cycle finished'));
    third.signal('SIGTERM');
    expect((await third.exited).code).toBe(0);
    expectExactlyOneIncidentPerFinding(h, h.findingIds().filter((id) => h?.aws.getFinding(id)?.region === 'us-east-1').length);
  });
});

describe('a changed app.config', () => {
  it('stops the daemon cleanly with exit code 3 so that any restart policy starts it again with the new file, as App Host expects', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    h.aws.generateFindings({ count: 2, region: 'us-east-1' });
    const io = h.io();
    // In-process, with the check every 100 ms instead of every minute, and no process signal handlers.
    const running = runCommand(io, { config: h.configPath, signals: { onStop: () => undefined }, configCheckMs: 100 });
    await firstIncident(h);
    h.configure({ aws_gd_severity_threshold: '4' });
    expect(await running).toBe(3);
    const lines = logLines(io.out());
    expect(lines.find(message('Stopping'))).toMatchObject({ reason: 'app.config changed' });
    expect(lines.find(message('Stopped'))).toBeDefined();
  });
});
