import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultScript, describeProblems, inspectWorld, problemCount, seededRandom, type WorldCounts } from '../support/fault-world.js';
import { CLI, startHarness, type CommandResult, type Harness } from '../../helpers/harness.js';
import { makeRetriesDue, withStore } from '../../helpers/sync-helpers.js';

/**
 * The fault test (issue 4): 10% of AWS and SOAR calls fail (500, 429, connection resets; some after
 * the call took effect), the daemon (`once`, the built CLI) is killed with SIGKILL at random moments
 * across 30 restarts while a scripted mix of new, updated, archived and closed findings happens
 * around it. Then it must converge: one incident per finding, both directions of archive/close
 * agreeing, the latest count everywhere, nothing written twice. Deterministic seeds; the kill
 * moments are wall-clock, so each run is a different interleaving of the same script.
 */

const SEED = 4_2026;
const RESTARTS = 30;
const REGIONS = ['us-east-1', 'eu-west-1'];
/** Settle cycles (faults still on) allowed to finish what the kills left. */
const MAX_SETTLE = 8;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('fault test: 10% failing calls and SIGKILL at random moments', () => {
  it('converges: one incident per finding, closed ⇔ archived, latest counts, no duplicate note, row or artifact', { timeout: 300_000 }, async () => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    const started = Date.now();
    const random = seededRandom(SEED);
    const harness = await startHarness({
      findings: 0,
      aws: { seed: SEED, latencyMs: 2 },
      soar: { seed: SEED, latencyMs: 2 },
      config: { aws_gd_regions: `^(${REGIONS.join('|')})$`, aws_gd_soar_concurrency: '4' },
    });
    h = harness;
    for (const region of REGIONS) h.aws.generateFindings({ count: 20, region, updatedAt: Date.now() - 5_000 });
    injectFaults(h);
    const script = new FaultScript(h, random, REGIONS);

    let killed = 0;
    // How long a run lasts on this machine, learnt as the test goes (a kill says "longer", a run
    // that ends says how long), so kills land anywhere from start-up to the SOAR phase on any machine.
    let runMs = 1_500;
    for (let restart = 0; restart < RESTARTS; restart++) {
      const killAfter = 100 + Math.floor(random() * 0.9 * runMs);
      const runStarted = Date.now();
      // The world changes while the daemon runs: between its listing and its checks, mid-write.
      const result = await runAndKill(h, killAfter, Math.floor(random() * killAfter), () => script.step());
      if (result.code === 128) {
        killed += 1;
        runMs *= 1.15;
      } else {
        runMs = (runMs + (Date.now() - runStarted)) / 2;
      }
    }

    let settle = 0;
    let world: WorldCounts = inspectWorld(h);
    let pending = pendingOps(h);
    while ((problemCount(world) > 0 || pending > 0) && settle < MAX_SETTLE) {
      settle += 1;
      // A real daemon waits out its retry intervals between cycles; here they are taken to have passed.
      makeRetriesDue(h);
      await h.cli(['once', '--config', h.configPath]);
      world = inspectWorld(h);
      pending = pendingOps(h);
    }

    const faults = {
      aws: h.aws.faults().reduce((n, f) => n + f.triggered, 0),
      soar: h.soar.faults().reduce((n, f) => n + f.triggered, 0),
    };
    const problems = Object.fromEntries(Object.entries(world.problems).map(([k, v]) => [k, v.length]));
    console.log(
      [
        `fault test (seed ${SEED}): ${RESTARTS} restarts, ${killed} killed by SIGKILL (${RESTARTS - killed} ran to the end), ${settle} settle cycle(s); ` +
          `faults injected: AWS ${faults.aws}, SOAR ${faults.soar}; runtime ${Math.round((Date.now() - started) / 1000)} s`,
        `  script: ${JSON.stringify(script.tally)}`,
        `  GuardDuty: ${world.findings} findings, ${world.archivedFindings} archived`,
        `  SOAR: ${world.incidents} incidents (${world.openIncidents} open, ${world.closedIncidents} closed), ` +
          `${world.notes} notes, ${world.rows} rows, ${world.artifacts} artifacts; pending operations ${pending}`,
        `  problems: ${JSON.stringify(problems)}`,
        ...(problemCount(world) > 0 ? [describeProblems(h, world, (id) => linkRow(harness, id))] : []),
        ...(pending > 0 ? [describePending(h)] : []),
      ].join('\n'),
    );
    expect(world.problems).toEqual({
      findingsWithoutOneIncident: [], closedButNotArchived: [], archivedButNotClosed: [], staleCount: [],
      duplicateNotes: [], duplicateRows: [], duplicateArtifacts: [], refreshNotReset: [], changeNotShown: [],
    });
    expect(pending).toBe(0);
    expect(world.incidents).toBe(world.findings);
    // The script really exercised every path, and the kills really landed.
    expect(world.archivedFindings).toBeGreaterThan(5);
    expect(killed).toBeGreaterThanOrEqual(RESTARTS / 3);
  });
});

/** About 10% of calls on each side fail: errors before and after the call took effect, and resets. */
function injectFaults(h: Harness): void {
  h.aws.setFault({ service: '*', errorRate: 0.05, statuses: [500, 429] });
  h.aws.setFault({ service: '*', errorRate: 0.03, statuses: [500], mode: 'after' });
  h.aws.setFault({ service: '*', resetRate: 0.02 });
  h.soar.addFault({ errorRate: 0.05, statuses: [500, 502, 503, 429] });
  h.soar.addFault({ errorRate: 0.03, statuses: [500, 502], mode: 'after' });
  h.soar.addFault({ resetRate: 0.02, mode: 'after' });
}

/** One `once` run, killed with SIGKILL after `delayMs` unless it ended first; `during` runs at `duringMs` (or after the run). */
async function runAndKill(h: Harness, delayMs: number, duringMs: number, during: () => void): Promise<CommandResult> {
  let pid: number | undefined;
  let changed = false;
  const change = (): void => {
    if (!changed) during();
    changed = true;
  };
  const run = h.cli(['once', '--config', h.configPath], { onSpawn: (p) => (pid = p) });
  const changeTimer = setTimeout(change, duringMs);
  const timer = setTimeout(() => {
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // It had already exited.
      }
    }
  }, delayMs);
  try {
    return await run;
  } finally {
    clearTimeout(timer);
    clearTimeout(changeTimer);
    change();
  }
}

function pendingOps(h: Harness): number {
  return withStore(h, (s) => s.ops.all().length);
}

function describePending(h: Harness): string {
  return withStore(h, (s) =>
    s.ops.all().map((op) => `  pending ${op.kind} ${op.key} (attempts ${op.attempts}): ${op.lastError ?? 'no error'} ${JSON.stringify(op.payload).slice(0, 200)}`).join('\n'),
  );
}

function linkRow(h: Harness, incidentId: number): string {
  return withStore(h, (s) => JSON.stringify(s.db.prepare('SELECT state, incident_state, archived, updated_at, count, seen_cycle FROM links WHERE incident_id = ?').get(incidentId) ?? null));
}
