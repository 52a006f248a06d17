import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { chooseProgressOutput, createProgressDisplay, type ProgressFields } from '../../../src/app/progress-display.js';
import type { CycleProgressEvent } from '../../../src/poller/progress.js';

/** A clock the test moves by hand; a sleep ends when the clock has been moved past it (or is aborted). */
function manualClock(): Clock & { advance(ms: number): Promise<void> } {
  let now = 1_700_000_000_000;
  let sleepers: { until: number; wake: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms, signal) => new Promise<void>((resolve) => {
      sleepers.push({ until: now + ms, wake: resolve });
      signal?.addEventListener('abort', () => resolve(), { once: true });
    }),
    advance: async (ms) => {
      now += ms;
      const due = sleepers.filter((s) => s.until <= now);
      sleepers = sleepers.filter((s) => s.until > now);
      for (const s of due) s.wake();
      // Let the woken sleepers run before the test goes on.
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
  };
}

/** A stream that says it is a terminal, keeping what is written. */
function fakeTerminal(): Writable & { text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _enc, done) => { chunks.push(chunk.toString()); done(); } });
  return Object.assign(stream, { isTTY: true, columns: 200, text: () => chunks.join('') });
}

const region = { account: '123456789012', region: 'us-east-1' };

function lines(): { line: (f: ProgressFields, t: string) => void; shown: { fields: ProgressFields; text: string }[] } {
  const shown: { fields: ProgressFields; text: string }[] = [];
  return { shown, line: (fields, text) => shown.push({ fields, text }) };
}

describe('the progress display', () => {
  it('shows a line every 5 s of a long cycle, with what was listed, handled of how many, and created', async () => {
    const clock = manualClock();
    const out = lines();
    const { listener } = createProgressDisplay({ kind: 'lines', line: out.line }, clock);
    listener({ type: 'cycle-started', cycle: 7 });
    listener({ type: 'regions', count: 2 });
    for (let page = 0; page < 6; page++) listener({ type: 'queued', ...region, listed: 50, queued: 50 });
    // 300 findings, one every 100 ms: 30 s of work.
    for (let i = 0; i < 300; i++) {
      listener({ type: 'handled', ...region, outcome: i % 10 === 0 ? 'unchanged' : 'created' });
      await clock.advance(100);
    }
    listener({ type: 'region-done', ...region, error: undefined });
    listener({ type: 'cycle-done', cycle: 7, ok: true });

    expect(out.shown.map((s) => s.fields.handled)).toEqual([50, 100, 150, 200, 250, 300]);
    expect(out.shown[0]?.fields).toMatchObject({ cycle: 7, listed: 300, of: 300, created: 45, unchanged: 5, regions: 2, regionsDone: 0 });
    expect(out.shown[0]?.text).toBe(
      'cycle 7: 50 of 300 finding(s) handled, 300 listed; created 45, resumed 0, updated 0, unchanged 5, skipped 0, closed 0, failed 0, deferred 0; regions done 0 of 2',
    );
  });

  it('counts the half-written incidents an earlier run left as resumed, not created, and the findings waiting out a backoff as deferred', async () => {
    const clock = manualClock();
    const out = lines();
    const { listener } = createProgressDisplay({ kind: 'lines', line: out.line }, clock);
    listener({ type: 'cycle-started', cycle: 4 });
    listener({ type: 'queued', ...region, listed: 10, queued: 10 });
    const outcomes = ['created', 'resumed', 'resumed', 'resumed', 'deferred', 'deferred', 'created', 'resumed', 'failed', 'unchanged'] as const;
    for (const outcome of outcomes) listener({ type: 'handled', ...region, outcome });
    await clock.advance(5_000);
    expect(out.shown.at(-1)?.fields).toMatchObject({ handled: 10, of: 10, created: 2, resumed: 4, deferred: 2, failed: 1, unchanged: 1 });
    expect(out.shown.at(-1)?.text).toBe(
      'cycle 4: 10 of 10 finding(s) handled, 10 listed; created 2, resumed 4, updated 0, unchanged 1, skipped 0, closed 0, failed 1, deferred 2; regions done 0 of 0',
    );
  });

  it('says nothing during a cycle shorter than the interval, and nothing between cycles', async () => {
    const clock = manualClock();
    const out = lines();
    const { listener } = createProgressDisplay({ kind: 'lines', line: out.line }, clock);
    listener({ type: 'cycle-started', cycle: 1 });
    listener({ type: 'queued', ...region, listed: 20, queued: 20 });
    for (let i = 0; i < 20; i++) {
      await clock.advance(200);
      listener({ type: 'handled', ...region, outcome: 'created' });
    }
    listener({ type: 'cycle-done', cycle: 1, ok: true });
    await clock.advance(60_000);
    listener({ type: 'handled', ...region, outcome: 'created' });
    expect(out.shown).toEqual([]);
  });

  it('takes what a finished region queued but never synced out of the total', async () => {
    const clock = manualClock();
    const out = lines();
    const { listener } = createProgressDisplay({ kind: 'lines', line: out.line }, clock);
    const send = async (e: CycleProgressEvent): Promise<void> => {
      listener(e);
      await clock.advance(5_000);
    };
    listener({ type: 'cycle-started', cycle: 2 });
    await send({ type: 'queued', ...region, listed: 10, queued: 10 });
    for (let i = 0; i < 8; i++) await send({ type: 'handled', ...region, outcome: 'updated' });
    await send({ type: 'region-done', ...region, error: undefined });
    await send({ type: 'queued', account: region.account, region: 'eu-west-1', listed: 0, queued: 4 });
    expect(out.shown.at(-1)?.fields).toMatchObject({ handled: 8, of: 12, updated: 8, regionsDone: 1 });
  });

  it('keeps a line coming every 5 s while no finding completes (a burst is still queued for SOAR)', async () => {
    const clock = manualClock();
    const out = lines();
    const { listener } = createProgressDisplay({ kind: 'lines', line: out.line }, clock);
    listener({ type: 'cycle-started', cycle: 5 });
    listener({ type: 'queued', ...region, listed: 200, queued: 200 });
    await clock.advance(5_000);
    await clock.advance(5_000);
    expect(out.shown.map((s) => s.text.slice(0, 40))).toEqual(['cycle 5: 0 of 200 finding(s) handled, 20', 'cycle 5: 0 of 200 finding(s) handled, 20']);
    listener({ type: 'cycle-done', cycle: 5, ok: true });
    await clock.advance(5_000);
    expect(out.shown).toHaveLength(2);
  });

  it('draws a bar on a terminal and leaves its final state when the cycle is done', () => {
    const terminal = fakeTerminal();
    const { listener } = createProgressDisplay({ kind: 'bar', stream: terminal }, manualClock());
    listener({ type: 'cycle-started', cycle: 3 });
    listener({ type: 'regions', count: 1 });
    listener({ type: 'queued', ...region, listed: 120, queued: 120 });
    for (let i = 0; i < 120; i++) listener({ type: 'handled', ...region, outcome: 'created' });
    listener({ type: 'region-done', ...region, error: undefined });
    listener({ type: 'cycle-done', cycle: 3, ok: true });
    expect(terminal.text()).toContain('cycle 3');
    expect(terminal.text()).toContain('120/120 handled | listed 120 | created 120 resumed 0 updated 0 unchanged 0 failed 0 | regions 1/1');
  });

  it('draws no bar for an idle cycle', () => {
    const terminal = fakeTerminal();
    const { listener } = createProgressDisplay({ kind: 'bar', stream: terminal }, manualClock());
    listener({ type: 'cycle-started', cycle: 4 });
    listener({ type: 'regions', count: 4 });
    listener({ type: 'cycle-done', cycle: 4, ok: true });
    expect(terminal.text()).toBe('');
  });

  it('uses the bar only on a terminal with text logs', () => {
    const pipe = new Writable({ write: (_c, _e, done) => done() });
    const line = (): void => undefined;
    expect(chooseProgressOutput(fakeTerminal(), 'text', pipe, line).kind).toBe('bar');
    expect(chooseProgressOutput(fakeTerminal(), undefined, fakeTerminal(), line).kind).toBe('bar');
    expect(chooseProgressOutput(fakeTerminal(), 'json', fakeTerminal(), line).kind).toBe('lines');
    expect(chooseProgressOutput(fakeTerminal(), undefined, pipe, line).kind).toBe('lines');
    expect(chooseProgressOutput(pipe, 'text', fakeTerminal(), line).kind).toBe('lines');
  });
});
