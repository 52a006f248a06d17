import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { prepare, startApp } from '../../../src/app/start.js';
import { demoCommand } from '../../../src/commands/demo.js';
import { onceCommand } from '../../../src/commands/once.js';
import { createProgressDisplay, type ProgressFields } from '../../../src/app/progress-display.js';
import { runCommand } from '../../../src/commands/run.js';
import type { Io } from '../../../src/app/app.js';
import type { CycleProgressEvent } from '../../../src/poller/progress.js';
import { runCycle } from '../../../src/poller/run-cycle.js';
import { until } from '../../helpers/wait.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

/**
 * A long first cycle is not minutes of silence: the real poller, against the emulators, reports its
 * progress, and `once`, `run` and `demo` show it. Time is the display's injected clock (here one
 * that moves a fixed step each time it is read), never the wall clock.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A clock that moves `stepMs` every time it is read: time passes as the cycle works (and only so). */
function steppingClock(stepMs: number): Clock {
  let now = 1_700_000_000_000;
  return { now: () => (now += stepMs), sleep: (_ms, signal) => new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true })) };
}

/** An Io whose stderr says it is a terminal (where the bar goes). */
function terminalIo(base: Io): Io & { terminal(): string } {
  const chunks: string[] = [];
  const stderr = Object.assign(new Writable({ write: (c: Buffer, _e, done) => { chunks.push(c.toString()); done(); } }), { isTTY: true, columns: 200 });
  return { ...base, stderr, terminal: () => chunks.join('') };
}

describe('progress of a long cycle', () => {
  it('the real cycle reports every listed and handled finding, and the display turns them into lines as time passes', async () => {
    h = await startHarness({ findings: 300 });
    const app = startApp(h.io(), h.configPath, 'once');
    if (typeof app === 'number') throw new Error(`exit ${app}`);
    const events: CycleProgressEvent[] = [];
    const shown: ProgressFields[] = [];
    const display = createProgressDisplay({ kind: 'lines', line: (fields) => shown.push(fields) }, steppingClock(250));
    try {
      const deps = await prepare(app);
      const report = await runCycle({ ...deps, progress: (e) => { events.push(e); display.listener(e); } });
      expect(report.ok).toBe(true);
      const regions = report.regions.length;

      const of = <T extends CycleProgressEvent['type']>(type: T): Extract<CycleProgressEvent, { type: T }>[] =>
        events.filter((e): e is Extract<CycleProgressEvent, { type: T }> => e.type === type);
      expect(events[0]).toMatchObject({ type: 'cycle-started' });
      expect(events.at(-1)).toMatchObject({ type: 'cycle-done', ok: true });
      expect(of('regions')).toEqual([{ type: 'regions', count: regions }]);
      expect(of('queued').reduce((n, e) => n + e.listed, 0)).toBe(300);
      expect(of('queued').reduce((n, e) => n + e.queued, 0)).toBe(300);
      expect(of('handled').filter((e) => e.outcome === 'created')).toHaveLength(300);
      expect(of('region-done')).toHaveLength(regions);

      // One clock read per event (two when a line is shown), 250 ms each: a line about every 20 events.
      expect(shown.length).toBeGreaterThanOrEqual(Math.floor(events.length / 21));
      expect(shown.length).toBeLessThanOrEqual(Math.ceil(events.length / 19));
      const handled = shown.map((f) => f.handled);
      expect(handled).toEqual([...handled].sort((a, b) => a - b));
      for (const f of shown) {
        expect(f.handled).toBeLessThanOrEqual(f.of);
        expect(f.created).toBeLessThanOrEqual(f.listed);
      }
      expect(shown.at(-1)?.created).toBeGreaterThan(250);
    } finally {
      app.close();
    }
  });

  it('once shows a progress bar on a terminal', async () => {
    h = await startHarness({ findings: 40, config: { aws_gd_log_format: 'text' } });
    const io = terminalIo(h.io());
    expect(await onceCommand(io, { config: h.configPath })).toBe(0);
    expect(io.terminal()).toMatch(/cycle 1 .*40\/40 handled \| listed 40 \| created 40 resumed 0 updated 0 unchanged 0 failed 0 \| regions 4\/4/);
  });

  it('run shows the bar of each cycle on a terminal', async () => {
    h = await startHarness({ findings: 24, config: { aws_gd_log_format: 'text' } });
    const io = terminalIo(h.io());
    let stop: (signal: string) => void = () => undefined;
    const running = runCommand(io, { config: h.configPath, healthHost: '127.0.0.1', signals: { onStop: (handler) => void (stop = handler) } });
    await until(() => io.terminal().includes('24/24 handled'), 'the display showing 24/24 handled', { timeoutMs: 30_000, everyMs: 50 });
    stop('SIGTERM');
    expect(await running).toBe(0);
    expect(io.terminal()).toMatch(/24\/24 handled \| listed 24 \| created 24/);
  });

  it('demo shows the bar of its cycles on a terminal', async () => {
    // A terminal for both: the story on stdout, the bar on stderr.
    const stdout = Object.assign(new Writable({ write: (_c, _e, done) => done() }), { isTTY: true });
    const io = terminalIo({ env: process.env, cwd: process.cwd(), stdout, stderr: stdout });
    expect(await demoCommand(io, { findings: 12 })).toBe(0);
    // The 12 sample findings, and the demo's attack sequence with its 3 member findings.
    expect(io.terminal()).toMatch(/cycle 1 .*16\/16 handled \| listed 16 \| created 16/);
  });
});
