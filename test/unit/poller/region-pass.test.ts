import { describe, expect, it } from 'vitest';
import { SYNC_FINDING_OP } from '../../../src/poller/finding-runner.js';
import { outcomesTotal, type RegionReport } from '../../../src/poller/region-report.js';
import { runCycle } from '../../../src/poller/run-cycle.js';
import { findingKeyString } from '../../../src/findings/finding-key.js';
import { OP } from '../../helpers/fake-soar.js';
import { EAST, worlds, type SyncWorld } from '../../helpers/sync-world.js';

/**
 * One region's pass, as the operator reads it in its summary line: every finding it took up, listed
 * or checked, is counted once (`listed + checked = the outcomes + left`); a finding that fails waits
 * out its backoff without holding back the others; a stop request takes no new finding.
 */

const MIN = 60_000;
const world = worlds();


async function onlyRegion(s: SyncWorld, signal?: AbortSignal): Promise<RegionReport> {
  const report = await runCycle(s.deps, signal);
  expect(report.regions).toHaveLength(1);
  return report.regions[0];
}

function expectAddsUp(r: RegionReport): void {
  expect(r.listed + r.checked).toBe(outcomesTotal(r.outcomes) + r.left);
}

describe('the region summary adds up', () => {
  it('over a pass with every kind of outcome', async () => {
    const s = world();
    const old = s.clock.now() - 10 * MIN;
    s.gd.put(EAST, ...['updated', 'archived', 'vanished', 'same'].map((id) => s.finding(id, { updatedAt: old })));
    expect((await onlyRegion(s)).outcomes.created).toBe(4);

    s.clock.advance(10 * MIN);
    const now = s.clock.now() - MIN;
    s.gd.put(EAST, s.finding('updated', { updatedAt: now, count: 7 }), s.finding('archived', { updatedAt: now, archived: true }));
    s.gd.drop(EAST, 'vanished');
    const sample = s.finding('sample', { updatedAt: now });
    if (sample.Service) sample.Service.AdditionalInfo = { Type: 'default', Value: '{"sample":true}' };
    s.gd.put(EAST, sample, s.finding('refused', { updatedAt: now }));
    s.soar.failNext(OP.create, 'refused');

    const r = await onlyRegion(s);
    expect(r.outcomes).toMatchObject({ created: 0, updated: 1, closed: 1, gone: 1, unchanged: 1, skipped: 1, failed: 1, deferred: 0 });
    expect(r.skippedBy).toEqual({ sample: 1 });
    expect(r.listed + r.checked).toBe(6);
    expect(r.left).toBe(0);
    expectAddsUp(r);
    expect(s.log.filter((l) => l.message === 'Region summary').at(-1)).toMatchObject({
      listed: r.listed, checked: r.checked, updated: 1, closed: 1, gone: 1, unchanged: 1, skipped: 1, failed: 1, left: 0,
      skippedBy: expect.stringContaining('1 sample findings'),
    });
    expect(s.soar.incidentFor('vanished').notes.slice(1)).toEqual([expect.stringContaining('GuardDuty no longer returns finding vanished')]);
  });
});

describe('a finding that fails', () => {
  it('refused: waits out its backoff (deferred, no call) while the others go on, then is retried and escalated once', async () => {
    const s = world();
    s.gd.put(EAST, s.finding('refused', { updatedAt: s.clock.now() - MIN }), s.finding('fine', { updatedAt: s.clock.now() - MIN }));
    s.soar.failNext(OP.create, 'refused');
    const first = await onlyRegion(s);
    expect(first.outcomes).toMatchObject({ created: 1, failed: 1 });
    const pending = s.store.ops.get(SYNC_FINDING_OP, findingKeyString(s.key('refused')));
    expect(pending?.nextAttemptAt).toBeGreaterThan(s.clock.now());

    // The next cycle lists it again (the cursor's overlap): nothing new, so it waits; no SOAR call.
    s.clock.advance(MIN);
    s.soar.calls.length = 0;
    const second = await onlyRegion(s);
    expect(second.outcomes).toMatchObject({ deferred: 1, failed: 0, created: 0 });
    expectAddsUp(second);
    expect(s.soar.count(OP.create)).toBe(0);

    // Once its backoff has passed, the retry phase takes it up.
    s.clock.advance(Math.max(0, (pending?.nextAttemptAt ?? 0) - s.clock.now()) + 1);
    const third = await onlyRegion(s);
    expect(third.outcomes).toMatchObject({ created: 1, failed: 0, deferred: 0 });
    expectAddsUp(third);
    expect(s.soar.incidentsFor('refused')).toHaveLength(1);
    expect(s.store.ops.get(SYNC_FINDING_OP, findingKeyString(s.key('refused')))).toBeUndefined();
  });

  it('on a transient error (SOAR down): retried by the very next cycle, without a backoff', async () => {
    const s = world();
    s.gd.put(EAST, s.finding('flaky', { updatedAt: s.clock.now() - MIN }));
    s.soar.failNext(OP.create, 'down');
    expect((await onlyRegion(s)).outcomes.failed).toBe(1);
    s.clock.advance(MIN);
    expect((await onlyRegion(s)).outcomes.created).toBe(1);
    expect(s.soar.incidentsFor('flaky')).toHaveLength(1);
  });
});

describe('a stop request during a pass', () => {
  it('takes no new finding after it: the summary counts the rest as left, the cursor stays, and the next cycle escalates them once', async () => {
    const s = world();
    s.deps.findingsInFlight = 1;
    s.gd.put(EAST, ...[1, 2, 3, 4, 5].map((n) => s.finding(`f-${n}`, { updatedAt: s.clock.now() - (10 - n) * MIN })));
    const stop = new AbortController();
    s.deps.progress = (event) => {
      if (event.type === 'handled') stop.abort();
    };

    const report = await runCycle(s.deps, stop.signal);
    expect(report.stopped).toBe(true);
    const r = report.regions[0];
    expect(r).toMatchObject({ listed: 5, left: 4, finishedAfterStop: 1, outcomes: expect.objectContaining({ created: 1 }) });
    expectAddsUp(r);
    expect(s.soar.incidents.size).toBe(1);
    expect(s.store.cursors.get(s.target())?.cursorMs).toBeUndefined();
    expect(s.log.find((l) => String(l.message).startsWith('Cycle stopped at a safe point'))).toMatchObject({ handled: 1, left: 4 });

    s.deps.progress = undefined;
    const next = await onlyRegion(s);
    expect(next.outcomes.created).toBe(4);
    expect([...s.soar.incidents.values()].map((i) => i.properties.aws_guardduty_finding_id).sort()).toEqual(['f-1', 'f-2', 'f-3', 'f-4', 'f-5']);
  });
});
