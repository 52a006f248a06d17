import { describe, expect, it } from 'vitest';
import { runCycle } from '../../../src/poller/run-cycle.js';
import { OP } from '../../helpers/fake-soar.js';
import { EAST, WEST, worlds, type SyncWorld } from '../../helpers/sync-world.js';

/**
 * One cycle as `once` and the scheduler run it: every region polled (one region's failure never
 * stops another), a summary line per region, and the cursor of each region moved past what it
 * handled. GuardDuty and SOAR are fakes of their interfaces; the store is the real SQLite one.
 */

const MIN = 60_000;
const world = worlds();

/** Three findings in us-east-1 and two in us-west-2, updated 10 minutes ago. */
function twoRegions(): SyncWorld {
  const s = world({ detectors: [EAST, WEST] });
  const at = s.clock.now() - 10 * MIN;
  s.gd.put(EAST, ...['e-1', 'e-2', 'e-3'].map((id) => s.finding(id, { updatedAt: at })));
  s.gd.put(WEST, ...['w-1', 'w-2'].map((id) => s.finding(id, { updatedAt: at, at: WEST })));
  return s;
}

const summaries = (s: SyncWorld): Record<string, unknown>[] => s.log.filter((l) => l.message === 'Region summary');

describe('one cycle', () => {
  it('polls every region with a detector: an incident per finding, a summary line per region, each region\'s cursor moved', async () => {
    const s = twoRegions();
    const report = await runCycle(s.deps);

    expect(report).toMatchObject({ ok: true, stopped: false, discoveryErrors: [] });
    const byRegion = Object.fromEntries(report.regions.map((r) => [r.region, r]));
    expect(byRegion['us-east-1']).toMatchObject({ listed: 3, checked: 0, left: 0, error: undefined, outcomes: expect.objectContaining({ created: 3 }) });
    expect(byRegion['us-west-2']).toMatchObject({ listed: 2, checked: 0, left: 0, error: undefined, outcomes: expect.objectContaining({ created: 2 }) });
    expect([...s.soar.incidents.values()].map((i) => i.properties.aws_guardduty_finding_id).sort()).toEqual(['e-1', 'e-2', 'e-3', 'w-1', 'w-2']);
    expect(summaries(s).map((l) => [l.region, l.listed, l.created]).sort()).toEqual([['us-east-1', 3, 3], ['us-west-2', 2, 2]]);
    expect(s.log.filter((l) => l.message === 'Cycle finished')).toEqual([expect.objectContaining({ ok: true, regions: 2 })]);
    for (const at of [s.target(EAST), s.target(WEST)]) expect(s.store.cursors.get(at)?.cursorMs).toBe(s.clock.now() - 10 * MIN);
  });

  it('a region whose listing fails is reported with its error; the other region is polled as usual, and the failed one by the next cycle', async () => {
    const s = twoRegions();
    s.gd.failNext('ListFindings', { region: 'us-west-2', retryable: false });
    const first = await runCycle(s.deps);

    expect(first.ok).toBe(false);
    const west = first.regions.find((r) => r.region === 'us-west-2');
    expect(west?.error).toMatch(/ListFindings failed/);
    expect(first.regions.find((r) => r.region === 'us-east-1')?.outcomes.created).toBe(3);
    expect(s.soar.incidents.size).toBe(3);
    expect(summaries(s).find((l) => l.region === 'us-west-2')).toMatchObject({ level: 'warn', error: expect.stringMatching(/ListFindings failed/) });
    expect(s.store.cursors.get(s.target(WEST))?.cursorMs).toBeUndefined();

    s.clock.advance(10 * MIN);
    const second = await runCycle(s.deps);
    expect(second.ok).toBe(true);
    expect(second.regions.find((r) => r.region === 'us-west-2')?.outcomes.created).toBe(2);
    expect(s.soar.incidents.size).toBe(5);
  });

  it('the next cycle with nothing new in GuardDuty writes nothing to SOAR; every finding it took up is counted unchanged', async () => {
    const s = twoRegions();
    await runCycle(s.deps);
    s.soar.calls.length = 0;
    s.clock.advance(MIN);

    const report = await runCycle(s.deps);
    expect(report.ok).toBe(true);
    expect(s.soar.writes()).toEqual([]);
    for (const r of report.regions) {
      expect(r.outcomes.unchanged).toBe(r.listed + r.checked);
      expect(r.outcomes.unchanged).toBeGreaterThan(0);
    }
    expect(s.soar.count(OP.create)).toBe(0);
  });
});
