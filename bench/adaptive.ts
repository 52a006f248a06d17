import type { Emulators } from '../emulators/index.js';
import type { LimitCounts } from '../src/util/adaptive-limit.js';
import { computeBound, pagesOf, type Bound } from './bound.js';
import { readCalls } from './calls.js';
import type { DaemonRun } from './daemon-run.js';
import type { BenchOptions } from './options.js';
import type { Check, ScenarioResult } from './results.js';
import { fmtMs, ranCleanly, scenario, sequenceLinkCalls } from './scenarios.js';
import { World } from './world.js';

/**
 * Issue 19: the adaptive SOAR concurrency, each scenario a first cycle in a fresh world with the
 * ceiling at its default (16) and SOAR answering in 20 ms.
 * - quiet: SOAR healthy; the cycle is measured against the bound at the limit it actually reached.
 * - throttling: SOAR refuses (429, Retry-After 1 s) what comes above 6 requests in flight.
 * - latency (latency-climb.ts): SOAR slows from 20 to 200 ms mid-run, then recovers.
 */
export const ADAPTIVE_SOAR_LATENCY_MS = 20;
export const QUIET_RATIO_TARGET = 1.2;
export const THROTTLING_RATIO_TARGET = 1.3;
export const THROTTLE_CAP = 6;
export const THROTTLE_RETRY_AFTER_S = 1;
export const THROTTLED_SHARE_TARGET = 0.05;
/** The default of aws_gd_soar_concurrency. */
export const CEILING = 16;

/** The cycle line's `soarConcurrency`: what the limit did during the cycle (AdaptiveLimit.since). */
export type LimitFacts = LimitCounts;

export function limitFacts(run: DaemonRun): LimitFacts | undefined {
  const facts = run.cycle?.soarConcurrency;
  return facts && typeof facts === 'object' ? (facts as LimitFacts) : undefined;
}

/** A fresh world for an adaptive scenario: the ceiling's default, SOAR at 20 ms. */
export function adaptiveWorld(options: BenchOptions, healthPort?: number): Promise<World> {
  return World.start(options, { soarConcurrency: 'default', latencySoarMs: ADAPTIVE_SOAR_LATENCY_MS, ...(healthPort === undefined ? {} : { healthPort }) });
}

/**
 * The least time the first cycle of `n` findings could take at `concurrency`, as the burst's: a create
 * per finding, a call per row SOAR holds, the cycle's two queries and the attack-sequence links.
 */
export function firstCycleBound(world: World, byRegion: Map<string, string[]>, n: number, concurrency: number, awsMs: number): Bound {
  const soarCalls = n + world.soar.summary().rows + 2 + sequenceLinkCalls(world, readCalls(world.emulators).soarCycle.byOp).calls;
  const chain = Math.max(...world.regions.map((r) => 2 * pagesOf(byRegion.get(r)?.length ?? 0)));
  return computeBound({ soarCalls, discovery: 2, lead: 2, chain }, { awsMs, soarMs: ADAPTIVE_SOAR_LATENCY_MS, concurrency });
}

/** Every finding has exactly one incident. */
export function oneIncidentEach(name: string, world: World, n: number): Check {
  const ids = world.soar.listIncidents().map((i) => String(i.properties.aws_guardduty_finding_id));
  const duplicates = ids.length - new Set(ids).size;
  return {
    name: `${name}: one incident per finding, none twice`, kind: 'applied', target: `${n} incidents, no duplicate`,
    measured: `${ids.length} incidents${duplicates ? `, ${duplicates} duplicates` : ''}`, ok: ids.length === n && duplicates === 0,
  };
}

/** SOAR requests the emulator answered in all, and those it refused with 429 (its log keeps the last 20,000). */
export function soarRequests(emulators: Emulators): { total: number; throttled: number } {
  const log = emulators.soar.calls();
  const total = Object.values(log.counts).reduce((a, b) => a + b, 0);
  return { total, throttled: log.records.filter((r) => r.status === 429).length };
}

function describeLimit(facts: LimitFacts | undefined): string {
  return facts ? `from 4: lowest ${facts.lowest}, highest ${facts.highest}, at the end ${facts.limit}; ${facts.raises} raises, ${facts.cuts} cuts` : 'not logged';
}

export async function quiet(options: BenchOptions, n: number): Promise<ScenarioResult> {
  const world = await adaptiveWorld(options);
  try {
    const byRegion = world.generate(n);
    const run = await world.once();
    const calls = readCalls(world.emulators);
    const facts = limitFacts(run);
    const reached = facts?.highest ?? 4;
    const bound = firstCycleBound(world, byRegion, n, reached, options.latencyAwsMs);
    const wallMs = run.cycleMs ?? run.processMs;
    const soar = soarRequests(world.emulators);
    const checks: Check[] = [
      ranCleanly(run),
      oneIncidentEach('quiet', world, n),
      {
        name: 'quiet: nothing throttled', kind: 'count', target: '0 requests refused, no cut for throttling',
        measured: `${soar.throttled} refused; the daemon counted ${facts?.throttled ?? '?'}`, ok: soar.throttled === 0 && facts?.throttled === 0,
      },
      {
        name: 'quiet: the concurrency grows to the ceiling', kind: 'time', target: `${CEILING} (from 4)`,
        measured: describeLimit(facts), ok: reached === CEILING,
      },
      {
        name: 'quiet: wall time vs bound at the limit reached', kind: 'time', target: `≤ ${QUIET_RATIO_TARGET} × ${fmtMs(bound.ms)} (at ${reached})`,
        measured: `${fmtMs(wallMs)} (${(wallMs / bound.ms).toFixed(2)} ×)`, ok: wallMs <= QUIET_RATIO_TARGET * bound.ms,
      },
    ];
    return scenario('quiet', n, run, calls, bound, checks, { limit: facts, concurrencyOfBound: reached, soarRequests: soar });
  } finally {
    await world.close();
  }
}

export async function throttling(options: BenchOptions, n: number): Promise<ScenarioResult> {
  const world = await adaptiveWorld(options);
  try {
    const byRegion = world.generate(n);
    world.soar.addFault({ maxInFlight: THROTTLE_CAP, retryAfterSeconds: THROTTLE_RETRY_AFTER_S });
    const run = await world.once();
    const calls = readCalls(world.emulators);
    const facts = limitFacts(run);
    const bound = firstCycleBound(world, byRegion, n, THROTTLE_CAP, options.latencyAwsMs);
    const wallMs = run.cycleMs ?? run.processMs;
    const soar = soarRequests(world.emulators);
    const share = soar.total === 0 ? 0 : soar.throttled / soar.total;
    const checks: Check[] = [
      ranCleanly(run),
      oneIncidentEach('throttling', world, n),
      {
        name: 'throttling: requests refused (429)', kind: 'count', target: `< ${THROTTLED_SHARE_TARGET * 100} % of SOAR requests`,
        measured: `${soar.throttled} of ${soar.total} (${(share * 100).toFixed(2)} %); limit ${describeLimit(facts)}`, ok: share < THROTTLED_SHARE_TARGET,
      },
      {
        name: `throttling: wall time vs bound at concurrency ${THROTTLE_CAP}`, kind: 'time', target: `≤ ${THROTTLING_RATIO_TARGET} × ${fmtMs(bound.ms)}`,
        measured: `${fmtMs(wallMs)} (${(wallMs / bound.ms).toFixed(2)} ×)`, ok: wallMs <= THROTTLING_RATIO_TARGET * bound.ms,
      },
    ];
    return scenario('throttling', n, run, calls, bound, checks, { limit: facts, soarRequests: soar, throttledShare: share, cap: THROTTLE_CAP, retryAfterSeconds: THROTTLE_RETRY_AFTER_S });
  } finally {
    await world.close();
  }
}
