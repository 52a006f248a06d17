import { describe, expect, it } from 'vitest';
import { QUICK } from '../../../bench/options.js';
import { runBench } from '../../../bench/run-bench.js';
import type { ScenarioResult } from '../../../bench/results.js';

/**
 * The benchmark's quick run as a CI smoke test: the real daemon (`guardduty-soar once`, built) against
 * the in-process emulators. It asserts counts and correctness only, never times or memory (those
 * depend on the machine). Latency is cut to a few milliseconds: call counts do not depend on it.
 */
describe('npm run bench -- --quick (counts only)', () => {
  it('burst, idle, churn and functions spend the calls issues 6 and 11 allow and apply every change; the SOAR concurrency adapts (issue 19)', { timeout: 480_000 }, async () => {
    // Eleven daemon processes one after another (setup, three onces, run; setup, once for quiet and
    // throttling; setup, run for latency): the timeout is a hang guard, not a time target.
    const results = await runBench({ ...QUICK, latencyAwsMs: 2, latencySoarMs: 3, scale: [], json: undefined });
    const scenario = (name: ScenarioResult['scenario']): ScenarioResult => {
      const found = results.scenarios.find((s) => s.scenario === name);
      if (!found) throw new Error(`no ${name} scenario`);
      return found;
    };
    const failed = results.checks.filter((c) => (c.kind === 'count' || c.kind === 'applied') && !c.ok);
    expect(failed).toEqual([]);

    // Burst: the cycle's AWS calls (one list page and one get batch per 50 findings per region) per new
    // finding; discovery (STS identity, DescribeRegions, one ListDetectors per region) is fixed per
    // process and counted apart.
    const burst = scenario('burst');
    expect(burst.awsPerFinding?.cycle).toBeLessThanOrEqual(0.045);
    expect(burst.calls.awsFixed.total).toBeLessThanOrEqual(2 + 4);
    expect(burst.calls.soarCycle.byOp['POST /incidents']).toBe(QUICK.findings);

    // Idle: per region one ListFindings and one GetFindings per 50 open linked findings; two SOAR queries.
    const idle = scenario('idle');
    const perRegion = QUICK.findings / 4;
    for (const region of ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1']) {
      const calls = idle.calls.awsByRegion[region] ?? {};
      expect(calls['guardduty:ListFindings'] ?? 0, region).toBeLessThanOrEqual(1);
      expect(calls['guardduty:GetFindings'] ?? 0, region).toBeLessThanOrEqual(Math.ceil(perRegion / 50));
    }
    expect(idle.calls.soarCycle.total).toBeLessThanOrEqual(2);

    // Churn: every update, archive and close applied.
    const churn = scenario('churn');
    expect(churn.details.missed).toEqual({ updated: 0, archived: 0, closed: 0, untouched: 0 });

    // Functions: every Refresh Finding invocation, delivered over STOMP to \`run\`, got exactly one
    // successful final reply and its ACK; each cost one GetFindings and, in SOAR, a PATCH, its changed
    // rows and a note.
    const functions = scenario('functions');
    expect(functions.findings).toBe(QUICK.refreshes);
    expect(functions.details).toMatchObject({ invocations: QUICK.refreshes, answered: QUICK.refreshes, redelivered: 0 });
    expect(functions.calls.awsCycle.byOp).toEqual({ 'guardduty:GetFindings': QUICK.refreshes });
    expect(functions.calls.soarCycle.byOp['PATCH /incidents/{id}']).toBe(QUICK.refreshes);
    expect(functions.calls.soarCycle.byOp['POST /incidents/{id}/comments']).toBe(QUICK.refreshes);
    expect(functions.calls.soarCycle.total).toBe(2 * QUICK.refreshes + Number(functions.details.rowsAdded));

    // Quiet SOAR: the concurrency is free to grow from 4 toward 16, and nothing is refused.
    const quiet = scenario('quiet');
    expect(quiet.details.limit).toMatchObject({ throttled: 0 });
    expect((quiet.details.limit as { highest: number }).highest).toBeGreaterThan(4);
    expect(quiet.details.soarRequests).toMatchObject({ throttled: 0 });

    // SOAR refusing above 6 in flight (429, Retry-After 1 s): every finding once, under 5 % refused.
    const throttling = scenario('throttling');
    expect(throttling.details.throttledShare).toBeLessThan(0.05);
    expect((throttling.details.limit as { throttled: number }).throttled).toBeGreaterThan(0);

    // SOAR slowing to 200 ms and recovering: the limit falls, then rises again (checks above), as /metrics showed it.
    const latency = scenario('latency');
    expect((latency.details.series as unknown[]).length).toBeGreaterThan(10);
    expect(latency.checks.filter((c) => c.name.startsWith('latency: the limit')).map((c) => c.ok)).toEqual([true, true]);
  });
});
