import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADAPTIVE_SOAR_LATENCY_MS, adaptiveWorld, firstCycleBound, limitFacts, oneIncidentEach, soarRequests } from './adaptive.js';
import { readCalls } from './calls.js';
import type { DaemonRun } from './daemon-run.js';
import type { BenchOptions } from './options.js';
import type { Check, ScenarioResult } from './results.js';
import type { World } from './world.js';

/**
 * Latency: `guardduty-soar run` (its health endpoints on) escalates `n` new findings; once a fifth
 * of them have an incident, SOAR's latency climbs from 20 ms to 200 ms in a second, stays there, and
 * comes back down in a second. `/metrics` is read every 100 ms: the limit should fall while SOAR is
 * slow and rise again once it has recovered.
 */
export const CLIMB_TO_MS = 200;
const CLIMB_STEPS = 9;
const STEP_MS = 110;
const SAMPLE_MS = 100;
const START_AT_SHARE = 0.2;

export interface LimitSample {
  /** Milliseconds since the daemon was started. */
  t: number;
  limit: number;
  /** SOAR's latency at that moment, as the emulator was set. */
  soarMs: number;
}

/** When each phase began, in the samples' time base. */
export interface ClimbPhases {
  climb?: number;
  high?: number;
  recovering?: number;
  recovered?: number;
}

export async function latencyClimb(options: BenchOptions, n: number): Promise<ScenarioResult> {
  const port = await freePort();
  const world = await adaptiveWorld(options, port);
  try {
    const byRegion = world.generate(n);
    world.resetCalls();
    const started = performance.now();
    const at = (): number => Math.round(performance.now() - started);
    const daemon = world.startRun();
    const series: LimitSample[] = [];
    const phases: ClimbPhases = {};
    let extraMs = 0;
    const stop = new AbortController();
    const sampling = sample(port, stop.signal, (limit) => series.push({ t: at(), limit, soarMs: ADAPTIVE_SOAR_LATENCY_MS + extraMs }));
    const driving = drive(world, n, options.quick ? 2_000 : 4_000, stop.signal, phases, at, (ms) => (extraMs = ms));
    let run: DaemonRun | undefined;
    try {
      await daemon.waitForLog('Cycle finished');
    } finally {
      stop.abort();
      await Promise.allSettled([sampling, driving]);
      run = await daemon.stop();
    }
    const calls = readCalls(world.emulators);
    const bound = firstCycleBound(world, byRegion, n, 16, options.latencyAwsMs);
    const checks: Check[] = [
      { name: 'latency: run served and stopped cleanly', kind: 'applied', target: 'exit 0 on SIGTERM', measured: `exit ${run.exitCode}`, ok: run.exitCode === 0 },
      oneIncidentEach('latency', world, n),
      ...limitChecks(series, phases),
    ];
    return {
      scenario: 'latency', findings: n, exitCode: run.exitCode, wallMs: run.cycleMs ?? run.processMs, processMs: run.processMs, peakRssMb: run.peakRssMb, cpuMs: run.cpuMs,
      calls, bound, ratio: (run.cycleMs ?? run.processMs) / bound.ms, checks, problems: run.problems,
      details: { limit: limitFacts(run), phases, series, soarRequests: soarRequests(world.emulators), climbToMs: CLIMB_TO_MS },
    };
  } finally {
    await world.close();
  }
}

/** Falls while SOAR is slow (below where it was when the climb began); rises again after it recovered. */
export function limitChecks(series: LimitSample[], phases: ClimbPhases): Check[] {
  const within = (from: number | undefined, to: number | undefined): number[] =>
    from === undefined ? [] : series.filter((s) => s.t >= from && (to === undefined || s.t <= to)).map((s) => s.limit);
  const before = series.filter((s) => phases.climb !== undefined && s.t <= phases.climb).at(-1)?.limit;
  const slow = within(phases.high, phases.recovering);
  const lowest = slow.length ? Math.min(...slow) : undefined;
  const after = within(phases.recovered, undefined);
  const highestAfter = after.length ? Math.max(...after) : undefined;
  const falls = before !== undefined && lowest !== undefined && lowest < before;
  const rises = lowest !== undefined && highestAfter !== undefined && highestAfter > lowest;
  return [
    {
      name: 'latency: the limit falls while SOAR is slow', kind: 'applied', target: `below its value when the climb began`,
      measured: before === undefined ? 'the cycle ended before the climb' : `${before} → lowest ${lowest ?? '?'} at ${CLIMB_TO_MS} ms`, ok: falls,
    },
    {
      name: 'latency: the limit rises again once SOAR recovers', kind: 'applied', target: 'above its lowest while SOAR was slow',
      measured: highestAfter === undefined ? 'the cycle ended before SOAR recovered' : `lowest ${lowest ?? '?'} → ${highestAfter} after`, ok: rises,
    },
  ];
}

/** Reads the limit from `/metrics` every 100 ms until stopped (before the endpoint is up, nothing). */
async function sample(port: number, signal: AbortSignal, record: (limit: number) => void): Promise<void> {
  while (!signal.aborted) {
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal })).text();
      const match = /^guardduty_soar_soar_concurrency_limit (\d+)/m.exec(text);
      if (match) record(Number(match[1]));
    } catch {
      // Not listening yet, or stopped.
    }
    await sleep(SAMPLE_MS, undefined, { signal }).catch(() => undefined);
  }
}

/** Waits for a fifth of the incidents, then climbs, holds for `holdMs`, and comes back down. */
async function drive(world: World, n: number, holdMs: number, signal: AbortSignal, phases: ClimbPhases, at: () => number, set: (extraMs: number) => void): Promise<void> {
  const pause = (ms: number): Promise<void> => sleep(ms, undefined, { signal });
  let fault: string | undefined;
  const latency = (extraMs: number): void => {
    if (fault) world.soar.removeFault(fault);
    fault = extraMs > 0 ? world.soar.addFault({ latencyMs: extraMs }).id : undefined;
    set(extraMs);
  };
  try {
    while (world.soar.summary().incidents.total < START_AT_SHARE * n) await pause(20);
    phases.climb = at();
    const top = CLIMB_TO_MS - ADAPTIVE_SOAR_LATENCY_MS;
    for (let step = 1; step <= CLIMB_STEPS; step++) {
      latency(Math.round((top * step) / CLIMB_STEPS));
      await pause(STEP_MS);
    }
    phases.high = at();
    await pause(holdMs);
    phases.recovering = at();
    for (let step = CLIMB_STEPS - 1; step >= 0; step--) {
      latency(Math.round((top * step) / CLIMB_STEPS));
      await pause(STEP_MS);
    }
    phases.recovered = at();
  } catch {
    // Stopped: the cycle finished first.
  }
}

/** A port the OS hands out now, for aws_gd_health_port (the daemon needs a number in its app.config). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
