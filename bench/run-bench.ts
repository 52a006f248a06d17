import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { ADAPTIVE_SOAR_LATENCY_MS, THROTTLE_CAP, quiet, throttling } from './adaptive.js';
import type { Latency } from './bound.js';
import { churn } from './churn.js';
import { functions } from './functions.js';
import { CLIMB_TO_MS, latencyClimb } from './latency-climb.js';
import type { BenchOptions } from './options.js';
import type { BenchResults, Check, ScenarioResult } from './results.js';
import { burst, fmtMs, idle } from './scenarios.js';
import { World } from './world.js';

export const RSS_GROWTH_TARGET = 1.5;

/**
 * Runs every scenario: burst → idle → churn → functions on one world (each "next cycle" of the one before), then
 * the scale bursts, then the adaptive SOAR concurrency scenarios (quiet, throttling, latency), each in
 * a fresh world (fresh emulators, fresh database). A scale size equal to the burst's reuses the
 * burst's figures instead of spending the same minutes twice.
 */
export async function runBench(options: BenchOptions, progress: (line: string) => void = () => undefined): Promise<BenchResults> {
  const started = performance.now();
  const loadAtStart = os.loadavg()[0] ?? 0;
  const measured = revision();
  const latency: Latency = { awsMs: options.latencyAwsMs, soarMs: options.latencySoarMs, concurrency: options.concurrency };
  const scenarios: ScenarioResult[] = [];
  const burstResult = options.findings > 0 ? await burstFamily(options, latency, scenarios, progress) : undefined;
  const scale: ScenarioResult[] = [];
  for (const size of options.scale) {
    if (burstResult && size === options.findings) {
      scale.push({ ...burstResult, scenario: 'scale' });
      continue;
    }
    progress(`scale: ${size} new findings in a fresh world…`);
    const fresh = await World.start(options);
    try {
      scale.push({ ...(await burst(fresh, size, latency)).result, scenario: 'scale' });
      progress(done(scale[scale.length - 1]));
    } finally {
      await fresh.close();
    }
  }
  if (options.adaptive > 0) {
    const n = options.adaptive;
    progress(`quiet: ${n} new findings, SOAR at ${ADAPTIVE_SOAR_LATENCY_MS} ms, the concurrency free to grow to 16…`);
    scenarios.push(await quiet(options, n));
    progress(done(scenarios[scenarios.length - 1]));
    progress(`throttling: ${n} new findings, SOAR refusing (429) above ${THROTTLE_CAP} requests at once…`);
    scenarios.push(await throttling(options, n));
    progress(done(scenarios[scenarios.length - 1]));
    progress(`latency: ${n} new findings, SOAR slowing from ${ADAPTIVE_SOAR_LATENCY_MS} to ${CLIMB_TO_MS} ms mid-run, then recovering…`);
    scenarios.push(await latencyClimb(options, n));
    progress(done(scenarios[scenarios.length - 1]));
  }
  scenarios.push(...scale);
  const checks = [...scenarios.filter((s) => s.scenario !== 'scale').flatMap((s) => s.checks), ...scaleChecks(scale)];
  return {
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    machine: machine(),
    revision: measured,
    load: { start: loadAtStart, end: os.loadavg()[0] ?? 0 },
    options: {
      findings: options.findings, refreshes: options.refreshes, scale: options.scale, latencyAwsMs: options.latencyAwsMs, latencySoarMs: options.latencySoarMs,
      concurrency: options.concurrency, adaptive: options.adaptive, quick: options.quick,
    },
    command: commandLine(options),
    scenarios,
    scale: scale.map((s) => ({ findings: s.findings, wallMs: s.wallMs, msPerFinding: s.wallMs / s.findings, peakRssMb: s.peakRssMb, ratio: s.ratio })),
    checks,
    ok: checks.every((c) => c.ok),
    totalMs: performance.now() - started,
  };
}

/** Burst → idle → churn → functions on one world (each "next cycle" of the one before); returns the burst. */
async function burstFamily(options: BenchOptions, latency: Latency, scenarios: ScenarioResult[], progress: (line: string) => void): Promise<ScenarioResult> {
  const world = await World.start(options);
  let burstResult: ScenarioResult;
  try {
    progress(`burst: ${options.findings} new findings…`);
    const b = await burst(world, options.findings, latency);
    burstResult = b.result;
    scenarios.push(b.result);
    progress(done(b.result));
    progress('idle: the next cycle, nothing changed…');
    const open = new Map([...b.byRegion].map(([r, ids]) => [r, ids.length]));
    scenarios.push(await idle(world, open, latency));
    progress(done(scenarios[scenarios.length - 1]));
    progress('churn: 10% updated, 5% archived in GuardDuty, 5% closed in SOAR…');
    scenarios.push(await churn(world, b.byRegion, latency));
    progress(done(scenarios[scenarios.length - 1]));
    if (options.refreshes > 0) {
      progress(`functions: ${options.refreshes} Refresh Finding invocations over STOMP to guardduty-soar run…`);
      scenarios.push(await functions(world, options.refreshes, latency));
      progress(done(scenarios[scenarios.length - 1]));
    }
  } finally {
    await world.close();
  }
  return burstResult;
}

function done(s: ScenarioResult | undefined): string {
  if (!s) return '';
  const rss = s.peakRssMb === undefined ? '' : `, peak RSS ${s.peakRssMb.toFixed(0)} MiB`;
  return `  ${s.scenario} ${s.findings}: ${s.scenario === 'functions' ? 'first invoke to last reply' : 'cycle'} ${fmtMs(s.wallMs)}, bound ${fmtMs(s.bound.ms)} (${s.ratio.toFixed(2)} ×)${rss}${s.exitCode === 0 ? '' : `, exit ${s.exitCode}`}`;
}

function scaleChecks(scale: ScenarioResult[]): Check[] {
  if (scale.length < 2) return [];
  const sorted = [...scale].sort((a, b) => a.findings - b.findings);
  const small = sorted[0];
  const large = sorted[sorted.length - 1];
  const growth = (large.peakRssMb ?? Infinity) / (small.peakRssMb ?? 1);
  const exits = scale.filter((s) => s.exitCode !== 0).map((s) => s.findings);
  return [
    {
      name: `scale: peak RSS at ${large.findings} vs ${small.findings}`, kind: 'memory', target: `≤ ${RSS_GROWTH_TARGET} ×`,
      measured: `${large.peakRssMb?.toFixed(0)} / ${small.peakRssMb?.toFixed(0)} MiB = ${growth.toFixed(2)} ×`, ok: growth <= RSS_GROWTH_TARGET,
    },
    {
      name: 'scale: every burst complete', kind: 'applied', target: 'exit 0, one incident per finding',
      measured: exits.length ? `failed at ${exits.join(', ')}` : 'all', ok: exits.length === 0 && scale.every((s) => s.checks.every((c) => c.kind !== 'applied' || c.ok)),
    },
  ];
}

/** The commit measured, and whether the working tree differed from it (a benchmark of uncommitted code). */
function revision(): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') === '' ? '' : ' + uncommitted changes'}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

function machine(): BenchResults['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.release()}`,
    totalMemGb: Math.round(os.totalmem() / 2 ** 30),
  };
}

function commandLine(o: BenchOptions): string {
  const parts = ['npm run bench --'];
  if (o.quick) parts.push('--quick');
  parts.push(
    `--findings ${o.findings}`, `--refreshes ${o.refreshes}`, `--latency-aws ${o.latencyAwsMs}`, `--latency-soar ${o.latencySoarMs}`, `--concurrency ${o.concurrency}`,
    `--scale ${o.scale.join(',') || 0}`, `--adaptive ${o.adaptive}`,
  );
  if (o.json) parts.push(`--json ${o.json}`);
  return parts.join(' ');
}
