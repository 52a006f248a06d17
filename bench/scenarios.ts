import { batchesOf, computeBound, pagesOf, type Latency } from './bound.js';
import { count, readCalls } from './calls.js';
import type { DaemonRun } from './daemon-run.js';
import type { Check, ScenarioResult } from './results.js';
import type { World } from './world.js';

/** Issue 6: AWS calls per new finding in the burst (one list page and one get batch per 50 ≈ 0.04). */
export const AWS_PER_FINDING_TARGET = 0.045;
export const BURST_RATIO_TARGET = 1.2;

export interface BurstOutcome {
  result: ScenarioResult;
  /** Finding ids per region, in the order generated. */
  byRegion: Map<string, string[]>;
}

/**
 * Burst: `n` new findings over the detector regions, one `once` cycle in a fresh database.
 * Minimum SOAR calls: one create per finding (note and artifacts inline), one per data-table row
 * SOAR holds afterwards, and the two queries of every cycle (closed incidents, refresh requests);
 * plus the links of the attack sequences among them (`sequenceLinkCalls`).
 */
export async function burst(world: World, n: number, latency: Latency): Promise<BurstOutcome> {
  const byRegion = world.generate(n);
  const run = await world.once();
  const calls = readCalls(world.emulators);
  const held = world.soar.summary();
  const links = sequenceLinkCalls(world, calls.soarCycle.byOp);
  const soarCalls = n + held.rows + 2 + links.calls;
  const chain = Math.max(...world.regions.map((r) => 2 * pagesOf(byRegion.get(r)?.length ?? 0)));
  const bound = computeBound({ soarCalls, discovery: 2, lead: 2, chain }, latency);
  const awsPerFinding = { cycle: calls.awsCycle.total / n, withFixed: (calls.awsCycle.total + calls.awsFixed.total) / n };
  const soarPerFinding = Object.fromEntries(Object.entries(calls.soarCycle.byOp).map(([op, c]) => [op, c / n]));
  const wallMs = cycleMs(run);
  const checks: Check[] = [
    ranCleanly(run),
    {
      name: 'burst: AWS calls per new finding', kind: 'count', target: `≤ ${AWS_PER_FINDING_TARGET} (cycle calls; discovery apart)`,
      measured: `${awsPerFinding.cycle.toFixed(4)} (${awsPerFinding.withFixed.toFixed(4)} with discovery)`, ok: awsPerFinding.cycle <= AWS_PER_FINDING_TARGET,
    },
    {
      name: 'burst: one incident per finding', kind: 'applied', target: `${n} incidents`,
      measured: `${held.incidents.total} incidents`, ok: held.incidents.total === n,
    },
    {
      // + the start-up query for incidents to adopt, which an empty database requires (SPEC §6).
      name: 'burst: SOAR calls at the API minimum', kind: 'count',
      target: `${soarCalls} (${links.calls} of them for ${links.members} attack-sequence links) + 1 adoption query`,
      measured: `${calls.soarCycle.total} calls`, ok: calls.soarCycle.total <= soarCalls + 1,
    },
    {
      name: 'burst: wall time vs bound', kind: 'time', target: `≤ ${BURST_RATIO_TARGET} × ${fmtMs(bound.ms)}`,
      measured: `${fmtMs(wallMs)} (${(wallMs / bound.ms).toFixed(2)} ×)`, ok: wallMs <= BURST_RATIO_TARGET * bound.ms,
    },
  ];
  const result = scenario('burst', n, run, calls, bound, checks, { incidents: held.incidents.total, rows: held.rows, artifacts: held.artifacts, notes: held.notes });
  return { result: { ...result, awsPerFinding, soarPerFinding }, byRegion };
}

/**
 * Issue 20: linking the incident of each finding an attack sequence is made of costs a read of its
 * notes (a note is never posted twice), the note and the field; each sequence's incident one read of
 * its signal rows, and one update of each row written before its member's incident existed.
 */
export function sequenceLinkCalls(world: World, byOp: Record<string, number>): { calls: number; members: number } {
  const fields = world.soar.listIncidents().map((i) => i.properties.aws_guardduty_sequence_incident).filter((v) => typeof v === 'string' && v !== '');
  const rowUpdates = Object.entries(byOp).filter(([op]) => op.startsWith('PUT ') && op.includes('/row_data/')).reduce((a, [, c]) => a + c, 0);
  return { calls: 3 * fields.length + new Set(fields).size + rowUpdates, members: fields.length };
}

/**
 * Idle: the next cycle with nothing changed. Minimum: per region one ListFindings and one
 * GetFindings per 50 open linked findings (the archived-in-GuardDuty check), both SOAR queries.
 */
export async function idle(world: World, openByRegion: Map<string, number>, latency: Latency): Promise<ScenarioResult> {
  const run = await world.once();
  const calls = readCalls(world.emulators);
  const open = [...openByRegion.values()].reduce((a, b) => a + b, 0);
  const chain = Math.max(...world.regions.map((r) => 1 + batchesOf(openByRegion.get(r) ?? 0)));
  const bound = computeBound({ soarCalls: 2, discovery: 2, lead: chain, chain }, latency);
  const perRegion = world.regions.map((r) => ({
    region: r,
    list: calls.awsByRegion[r]?.['guardduty:ListFindings'] ?? 0,
    get: calls.awsByRegion[r]?.['guardduty:GetFindings'] ?? 0,
    allowedGets: batchesOf(openByRegion.get(r) ?? 0),
  }));
  const worst = (f: (p: (typeof perRegion)[number]) => number): number => Math.max(...perRegion.map(f));
  const otherAws = calls.awsCycle.total - count(calls.awsCycle, 'guardduty:ListFindings') - count(calls.awsCycle, 'guardduty:GetFindings');
  const incidents = world.soar.summary().incidents.total;
  const checks: Check[] = [
    ranCleanly(run),
    { name: 'idle: ListFindings per region', kind: 'count', target: '≤ 1', measured: `max ${worst((p) => p.list)}`, ok: worst((p) => p.list) <= 1 },
    {
      name: 'idle: GetFindings per region', kind: 'count', target: '≤ 1 per 50 open linked findings',
      measured: perRegion.map((p) => `${p.get}/${p.allowedGets}`).join(' '), ok: perRegion.every((p) => p.get <= p.allowedGets) && otherAws === 0,
    },
    { name: 'idle: SOAR calls', kind: 'count', target: '≤ 2 (start-up apart)', measured: String(calls.soarCycle.total), ok: calls.soarCycle.total <= 2 },
    {
      name: 'idle: nothing written', kind: 'applied', target: 'no incident created',
      measured: `${incidents} incidents`, ok: incidents === open,
    },
  ];
  return scenario('idle', open, run, calls, bound, checks, { perRegion });
}

export function scenario(
  name: ScenarioResult['scenario'], findings: number, run: DaemonRun, calls: ScenarioResult['calls'],
  bound: ScenarioResult['bound'], checks: Check[], details: Record<string, unknown>,
): ScenarioResult {
  const wallMs = cycleMs(run);
  return {
    scenario: name, findings, exitCode: run.exitCode, wallMs, processMs: run.processMs, peakRssMb: run.peakRssMb, cpuMs: run.cpuMs,
    calls, bound, ratio: wallMs / bound.ms, checks, details, problems: run.problems,
  };
}

export function ranCleanly(run: DaemonRun): Check {
  return {
    name: 'once: exit 0, cycle logged', kind: 'applied', target: 'exit 0',
    measured: `exit ${run.exitCode}${run.cycleMs === undefined ? ', no "Cycle finished"' : ''}${run.problems.length ? `; ${run.problems[0]}` : ''}`,
    ok: run.exitCode === 0 && run.cycleMs !== undefined,
  };
}

/** The cycle's own duration; the process's when the daemon never logged one (it failed). */
export function cycleMs(run: DaemonRun): number {
  return run.cycleMs ?? run.processMs;
}

export function fmtMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
