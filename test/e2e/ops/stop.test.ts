import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../helpers/wait.js';
import { logLines, startHarness, type Harness } from '../../helpers/harness.js';
import { withStore } from '../../helpers/sync-helpers.js';
import { SAMPLE_FINDING_TYPES } from '../../../emulators/aws/guardduty/samples/sample-finding-types.js';

const SINGLE_FINDING_TYPES = SAMPLE_FINDING_TYPES.filter((t) => !t.startsWith('AttackSequence:') && !t.includes('AnomalousBehavior'));

/**
 * A stop that finishes (issue 17): the daemon against emulators that answer every call after 150 ms,
 * killed with SIGKILL in the middle of a cycle, a second daemon resuming the incidents it left
 * half-written, and one SIGTERM to that one. Each finding is a safe point: no new finding is taken,
 * the ones in flight finish (or, at the deadline, stop between two calls), what is done is saved, and
 * nothing is called or logged after "Stopped". Asserted through what an operator sees: exit codes,
 * log lines and their counts, the calls the emulators received, the incidents. No durations.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const FINDINGS = 116;
/** aws_gd_soar_concurrency 4 (set in slowWorld): 8 findings in flight. */
const FINDINGS_IN_FLIGHT = 8;

const message = (text: string) => (l: Record<string, unknown>): boolean => l.message === text;
const startsWith = (text: string) => (l: Record<string, unknown>): boolean => typeof l.message === 'string' && l.message.startsWith(text);

/** The emulators answer slowly: states a stop reaches may take up to a minute under load. */
const SLOW = { timeoutMs: 60_000, everyMs: 20 };

function slowWorld(config: Record<string, string> = {}): Promise<Harness> {
  return startHarness({ findings: 0, aws: { latencyMs: 150 }, soar: { latencyMs: 150 }, config: { aws_gd_regions: '^us-east-1$', aws_gd_soar_concurrency: '4', ...config } });
}

function expectExactlyOneIncidentPerFinding(harness: Harness, findings: number): void {
  const ids = harness.incidents().map((i) => i.properties.aws_guardduty_finding_id);
  expect(ids).toHaveLength(findings);
  expect(new Set(ids).size).toBe(findings);
}

/** The region summary's arithmetic (docs/operations.md): every finding taken up is counted once. */
function expectAddsUp(summary: Record<string, unknown>): void {
  const n = (k: string): number => Number(summary[k] ?? 0);
  const outcomes = ['created', 'resumed', 'updated', 'unchanged', 'skipped', 'closed', 'gone', 'failed', 'deferred', 'left'].reduce((sum, k) => sum + n(k), 0);
  expect(n('listed') + n('checked'), JSON.stringify(summary)).toBe(outcomes);
}

/** Kills a daemon in the middle of its first cycle, once `incidents` exist; returns the links it left half-written. */
async function killMidCycle(harness: Harness, incidents: number): Promise<{ halfWritten: { findingId: string; incidentId: number | null; state: string }[] }> {
  const first = harness.daemon();
  await until(() => harness.incidents().length >= incidents, `${incidents} incidents`, SLOW);
  first.signal('SIGKILL');
  await first.exited;
  const halfWritten = withStore(harness, (s) => [...s.links.inState('partial'), ...s.links.inState('creating')].map((l) => ({ findingId: l.findingId, incidentId: l.incidentId, state: l.state })));
  return { halfWritten };
}

function rowsOf(harness: Harness, incidentIds: readonly number[]): number {
  return incidentIds.reduce((n, id) => n + Object.values(harness.soar.getIncident(id)?.tables ?? {}).reduce((m, rows) => m + rows.length, 0), 0);
}

describe('SIGTERM to a daemon resuming what a killed one left half-written (150 ms per call)', () => {
  it('stops taking findings at once, finishes the ones in flight well within the deadline, says so, calls and logs nothing after "Stopped", exit 0; the next run finishes everything exactly once, as resumed', async () => {
    h = await slowWorld();
    const harness = h;
    // Single findings only: an attack sequence's links and a member's note are written after the region
    // pass, which would move where the killed daemon's half-written incidents fall in the next cycle.
    h.aws.generateFindings({ count: FINDINGS, region: 'us-east-1', types: SINGLE_FINDING_TYPES });
    const { halfWritten } = await killMidCycle(harness, 80);
    const killedWith = harness.incidents().length;
    expect(halfWritten.length).toBeGreaterThan(0);

    // The second daemon: SIGTERM once it is writing the rows the first one left missing.
    const second = harness.daemon();
    const resumable = halfWritten.flatMap((l) => (l.incidentId === null ? [] : [l.incidentId]));
    const rowsBefore = rowsOf(harness, resumable);
    await until(() => rowsOf(harness, resumable) > rowsBefore, 'the second daemon resuming a half-written incident', SLOW);
    second.signal('SIGTERM');
    const { code } = await second.exited;

    expect(code).toBe(0);
    expect(second.stderr()).toBe('');
    const lines = second.lines();
    const stopping = lines.findIndex(message('Stopping'));
    const stopped = lines.findIndex(message('Stopped'));
    // It stopped at a safe point before the deadline (the gate never had to close), and "Stopped" is its last word.
    expect(lines[stopped]).toMatchObject({ cycleInFlight: 'finished' });
    expect(stopped).toBe(lines.length - 1);
    expect(lines.find(startsWith('The cycle in flight did not reach a safe point'))).toBeUndefined();
    const cycle = lines.find(startsWith('Cycle stopped at a safe point'));
    expect(cycle, JSON.stringify(lines.slice(stopping))).toBeDefined();
    expect(cycle).toMatchObject({ abandoned: 0 });
    expect(Number(cycle?.finishedAfterStop)).toBeGreaterThan(0);
    expect(Number(cycle?.finishedAfterStop)).toBeLessThanOrEqual(FINDINGS_IN_FLIGHT);
    expect(Number(cycle?.left)).toBeGreaterThan(0);
    const summary = lines.find(message('Region summary'));
    expect(summary).toBeDefined();
    expectAddsUp(summary ?? {});
    expect(summary?.left).toBe(cycle?.left);

    // Calls: none after "Stopped" (SOAR records a call when it answers, AWS when it arrives), and
    // after the stop request only what the findings in flight needed (each makes one call at a time:
    // a lookup or a create, reads of its artifacts and tables, the rows still missing).
    const stoppingAt = Date.parse(String(lines[stopping]?.timestamp));
    const stoppedAt = Date.parse(String(lines[stopped]?.timestamp));
    const soarCalls = harness.soar.calls().records;
    expect(soarCalls.filter((c) => c.at > stoppedAt)).toEqual([]);
    expect(harness.aws.calls().records.filter((c) => c.at > stoppedAt)).toEqual([]);
    const afterStopRequest = soarCalls.filter((c) => c.at > stoppingAt).length;
    expect(afterStopRequest).toBeLessThanOrEqual(FINDINGS_IN_FLIGHT * 16);

    // The third run finishes everything: one incident per finding, the half-written ones counted as
    // resumed (they existed), and only the missing ones as created.
    const created2 = Number(summary?.created);
    const leftHalfWritten = withStore(harness, (s) => [...s.links.inState('partial'), ...s.links.inState('creating')]);
    const third = await harness.cli(['once', '--config', harness.configPath]);
    expect(third.code, third.stderr).toBe(0);
    expectExactlyOneIncidentPerFinding(harness, FINDINGS);
    const summary3 = logLines(third.stdout).find(message('Region summary')) ?? {};
    expectAddsUp(summary3);
    expect(summary3).toMatchObject({ left: 0, failed: 0 });
    const existed = leftHalfWritten.filter((l) => l.incidentId !== null || harness.incidentFor(l.findingId) !== undefined).length;
    expect(summary3.resumed).toBe(existed);
    expect(killedWith + created2 + Number(summary3.created)).toBe(FINDINGS);
    expect(withStore(harness, (s) => s.links.inState('partial').length + s.links.inState('creating').length)).toBe(0);
    // A kill -9, too, leaves at most the findings that were in flight half-written.
    expect(halfWritten.length).toBeLessThanOrEqual(FINDINGS_IN_FLIGHT);
  }, 240_000);
});

describe('SIGTERM during the start-up recovery', () => {
  it('ends the recovery at its next safe point (one lookup), says what is left, and the next start finishes it exactly once', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    const harness = h;
    h.aws.generateFindings({ count: 12, region: 'us-east-1' });
    // The first daemon's creates reach SOAR but their answers never come back before it is killed:
    // its links stay `creating`, which the next start resolves by looking each incident up.
    const held = h.soar.addFault({ operations: ['POST /rest/orgs/{org}/incidents'], answerDelayMs: 60_000 });
    const first = harness.daemon();
    await until(() => harness.incidents().length >= 4, 'four creates reached SOAR', SLOW);
    first.signal('SIGKILL');
    await first.exited;
    h.soar.removeFault(held.id);
    const reached = harness.incidents().length;
    // Also the creates still waiting for a SOAR slot: their link is written before the call.
    const creating = withStore(harness, (s) => s.links.inState('creating').length);
    expect(creating).toBeGreaterThanOrEqual(reached);
    // Each lookup by finding id now takes 3 s: the recovery alone would outlast a stop request.
    const slow = h.soar.addFault({ operations: ['POST /rest/orgs/{org}/incidents/query_paged'], latencyMs: 3_000 });

    const second = harness.daemon();
    await second.waitFor(message('AWS identity'));
    second.signal('SIGTERM');
    expect((await second.exited).code).toBe(0);
    const lines = second.lines();
    expect(lines.at(-1)).toMatchObject({ message: 'Stopped', cycleInFlight: 'finished' });
    const recovery = lines.find(startsWith('Start-up recovery stopped at a safe point'));
    expect(recovery, JSON.stringify(lines.slice(-5))).toBeDefined();
    expect(Number(recovery?.resolved) + Number(recovery?.creatingLeft)).toBe(creating);
    expect(Number(recovery?.creatingLeft)).toBeGreaterThan(0);
    expect(lines.find(message('Recovered state from SOAR'))).toBeUndefined();
    expect(lines.find(message('Region summary'))).toBeUndefined();

    h.soar.removeFault(slow.id);
    const next = await harness.cli(['once', '--config', harness.configPath]);
    expect(next.code, next.stderr).toBe(0);
    expectExactlyOneIncidentPerFinding(harness, 12);
    const summary = logLines(next.stdout).find(message('Region summary')) ?? {};
    expectAddsUp(summary);
    // The incidents the first daemon's creates left in SOAR are resumed; the creates that never reached it are made now.
    expect(summary).toMatchObject({ resumed: reached, created: 12 - reached });
  });
});

describe('SIGTERM past aws_gd_shutdown_timeout', () => {
  it('a retry waiting out its backoff ends at the deadline without sending again: the findings in flight are abandoned between calls, nothing after "Stopped", and the next run finishes them', async () => {
    h = await slowWorld({ aws_gd_shutdown_timeout: '1' });
    const harness = h;
    h.aws.generateFindings({ count: 30, region: 'us-east-1' });
    // Every data-table row is refused with 429 (Retry-After: 1 s, and certainly not processed, so even
    // a create may be repeated): each finding in flight waits in the SOAR client's backoff.
    h.soar.addFault({ operations: ['POST /rest/orgs/{org}/incidents/{id}/table_data/{table}/row_data'], errorRate: 1, statuses: [429] });
    const d = harness.daemon();
    await d.waitFor(message('SOAR call failed; retrying'));
    d.signal('SIGTERM');
    const { code } = await d.exited;

    expect(code).toBe(0);
    const lines = d.lines();
    const stopped = lines.findIndex(message('Stopped'));
    expect(lines[stopped]).toMatchObject({ cycleInFlight: 'abandoned' });
    expect(stopped).toBe(lines.length - 1);
    const cycle = lines.find(startsWith('Cycle stopped at a safe point'));
    expect(Number(cycle?.abandoned)).toBeGreaterThan(0);
    expectAddsUp(lines.find(message('Region summary')) ?? {});
    const stoppedAt = Date.parse(String(lines[stopped]?.timestamp));
    expect(harness.soar.calls().records.filter((c) => c.at > stoppedAt)).toEqual([]);
    // An abandoned finding is not a failure: nothing is recorded for it to wait out a backoff.
    expect(lines.filter((l) => l.message === 'Finding not synced; it will be retried' && /stopping/.test(JSON.stringify(l)))).toEqual([]);

    harness.soar.clearFaults();
    const next = await harness.cli(['once', '--config', harness.configPath]);
    expect(next.code, next.stderr).toBe(0);
    expectExactlyOneIncidentPerFinding(harness, 30);
    expect(Number(logLines(next.stdout).find(message('Region summary'))?.resumed)).toBeGreaterThanOrEqual(Number(cycle?.abandoned));
  }, 120_000);
});
