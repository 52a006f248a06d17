import type { AdminIncident, InvocationView } from '../emulators/soar/index.js';
import { FUNCTION } from '../src/functions/definitions.js';
import { computeBound, type Bound, type Latency } from './bound.js';
import { count, readCalls } from './calls.js';
import type { DaemonRun } from './daemon-run.js';
import type { Check, ScenarioResult } from './results.js';
import { fmtMs } from './scenarios.js';
import { FUNCTION_WORKERS, type World } from './world.js';

/** Issue 11: wall time of the refresh invocations against their bound. */
export const FUNCTIONS_RATIO_TARGET = 1.3;
/** How long one invocation may stay unanswered before the scenario gives up on it (a hang, not a slow machine). */
const SETTLE_TIMEOUT_MS = 600_000;

/**
 * Functions, after the churn: the real daemon (`run`: scheduler and SOAR functions listener) serves
 * `n` Refresh Finding invocations delivered by the SOAR emulator's STOMP broker, with the inputs IBM's
 * manual "Refresh Finding Details" playbook sends (the incident's region, detector and finding id, and
 * the incident id). Each finding recurred in GuardDuty after the daemon's first cycle, so each refresh
 * has something to write. Minimum per refresh: one GetFindings, then SOAR: one PATCH of the changed
 * fields, one row per data table whose content changed, one note (no reads: the link and the row
 * fingerprints are in SQLite). The replies travel over STOMP, not REST.
 */
export async function functions(world: World, n: number, latency: Latency): Promise<ScenarioResult> {
  const daemon = world.startRun();
  let run: DaemonRun | undefined;
  try {
    // Invoked only once the first cycle is over (the next is aws_gd_polling_interval away) and the listener is subscribed.
    await daemon.waitForLog('Cycle finished');
    await daemon.waitForLog('Serving SOAR functions');
    const targets = pickTargets(world, n);
    for (const incident of targets) world.aws.updateFinding(findingOf(incident), { recur: 1 });
    world.resetCalls();
    const started = performance.now();
    let lastMs = 0;
    const views = await Promise.all(
      targets.map((incident) => {
        const { invocationId } = world.soar.invoke({ function: FUNCTION.refreshFinding, inputs: refreshInputs(incident), incidentId: incident.id });
        return world.soar.waitForInvocation(invocationId, { timeoutMs: SETTLE_TIMEOUT_MS }).then((view) => {
          lastMs = performance.now() - started;
          return view;
        });
      }),
    );
    const calls = readCalls(world.emulators);
    run = await daemon.stop();
    return measure(world, targets, views, calls, lastMs, run, latency);
  } finally {
    if (!run) await daemon.stop();
  }
}

function measure(
  world: World, targets: AdminIncident[], views: InvocationView[], calls: ScenarioResult['calls'], wallMs: number, run: DaemonRun, latency: Latency,
): ScenarioResult {
  const n = targets.length;
  const after = new Map(world.soar.listIncidents().map((i) => [i.id, i]));
  const rowsOf = (i: AdminIncident | undefined): number => Object.values(i?.tables ?? {}).reduce((a, rows) => a + rows.length, 0);
  const rowsAdded = targets.reduce((a, i) => a + rowsOf(after.get(i.id)) - rowsOf(i), 0);
  const answered = views.filter((v) => v.finalReplies === 1 && v.acked && v.status === 'done' && succeeded(v)).length;
  const redelivered = views.filter((v) => v.deliveries !== 1).length;
  const stale = targets.filter((i) => {
    const now = after.get(i.id);
    return !now || String(now.properties.aws_guardduty_count) !== String(world.aws.getFinding(findingOf(i))?.service.count) || now.notes.length !== i.notes.length + 1;
  }).length;
  const gets = count(calls.awsCycle, 'guardduty:GetFindings');
  const soarCalls = 2 * n + rowsAdded;
  const bound = functionsBound(n, soarCalls, latency);
  const perRefresh = (k: number): string => (n === 0 ? '0' : (k / n).toFixed(2));
  const checks: Check[] = [
    {
      name: 'functions: run served and stopped cleanly', kind: 'applied', target: 'exit 0 on SIGTERM',
      measured: `exit ${run.exitCode}${run.problems.length ? `; ${run.problems[0]}` : ''}`, ok: run.exitCode === 0,
    },
    {
      name: 'functions: exactly one final reply, successful, ACKed', kind: 'applied', target: `${n}/${n}, each delivered once`,
      measured: `${answered}/${n}${redelivered ? `, ${redelivered} redelivered` : ''}`, ok: answered === n && redelivered === 0,
    },
    {
      name: 'functions: every incident refreshed', kind: 'applied', target: `${n} incidents with GuardDuty's count and one new note`,
      measured: stale === 0 ? 'all' : `${stale} not refreshed`, ok: stale === 0,
    },
    {
      name: 'functions: AWS calls per refresh', kind: 'count', target: '1 GetFindings, nothing else',
      measured: `${perRefresh(gets)} GetFindings, ${calls.awsCycle.total - gets + calls.awsFixed.total} other`, ok: gets === n && calls.awsCycle.total === gets && calls.awsFixed.total === 0,
    },
    {
      name: 'functions: SOAR calls at the API minimum', kind: 'count', target: `${soarCalls} (per refresh a PATCH, the ${rowsAdded} changed rows, a note)`,
      measured: `${calls.soarCycle.total + calls.soarStartup.total} calls (${perRefresh(calls.soarCycle.total + calls.soarStartup.total)} per refresh)`,
      ok: calls.soarCycle.total + calls.soarStartup.total <= soarCalls,
    },
    {
      name: 'functions: wall time vs bound', kind: 'time', target: `≤ ${FUNCTIONS_RATIO_TARGET} × ${fmtMs(bound.ms)}`,
      measured: `${fmtMs(wallMs)} (${(wallMs / bound.ms).toFixed(2)} ×)`, ok: wallMs <= FUNCTIONS_RATIO_TARGET * bound.ms,
    },
  ];
  return {
    scenario: 'functions', findings: n, exitCode: run.exitCode, wallMs, processMs: run.processMs, peakRssMb: run.peakRssMb, cpuMs: run.cpuMs,
    calls, bound, ratio: wallMs / bound.ms, checks, problems: run.problems,
    details: { invocations: n, answered, redelivered, rowsAdded, soarMinimum: soarCalls, workers: FUNCTION_WORKERS, statusMessagesPerInvocation: statusMessages(views) },
  };
}

/**
 * The least time `n` refreshes spending `soarCalls` in all could take: the SOAR calls run
 * min(num_workers, aws_gd_soar_concurrency) at a time after the first GetFindings, and no worker can
 * finish its share faster than its refreshes one after another (GetFindings, then its SOAR calls).
 * STOMP frames (delivery, status messages, final reply, ACK) carry no emulated latency and are not in it.
 */
export function functionsBound(n: number, soarCalls: number, latency: Latency): Bound {
  const parallel = Math.min(FUNCTION_WORKERS, latency.concurrency);
  const shared = computeBound({ soarCalls, discovery: 0, lead: 1, chain: 1 }, { ...latency, concurrency: parallel });
  const perWorker = Math.ceil(n / FUNCTION_WORKERS) * (latency.awsMs + (n === 0 ? 0 : (latency.soarMs * soarCalls) / n));
  const ms = Math.max(shared.ms, perWorker);
  return { ...shared, ms, awsShareMs: ms - shared.soarShareMs };
}

/**
 * Up to `n` open incidents whose finding GuardDuty still holds unarchived, taken evenly over the
 * regions (every k-th in creation order), so the refreshes spread over the detectors.
 */
function pickTargets(world: World, n: number): AdminIncident[] {
  const open = world.soar.listIncidents().filter((i) => i.planStatus === 'A' && world.aws.getFinding(findingOf(i))?.service.archived !== true);
  const step = Math.max(1, Math.floor(open.length / Math.max(1, n)));
  return open.filter((_, i) => i % step === 0).slice(0, n);
}

/** What IBM's manual playbook passes: `incident.properties.aws_guardduty_{region,detector_id,finding_id}` and `incident.id`. */
function refreshInputs(incident: AdminIncident): Record<string, unknown> {
  const p = incident.properties;
  return { aws_gd_region: p.aws_guardduty_region, aws_gd_detector_id: p.aws_guardduty_detector_id, aws_gd_finding_id: p.aws_guardduty_finding_id, incident_id: incident.id };
}

function findingOf(incident: AdminIncident): string {
  return String(incident.properties.aws_guardduty_finding_id);
}

function succeeded(view: InvocationView): boolean {
  const results = (view.result as { results?: { success?: unknown } } | null)?.results;
  return results?.success === true;
}

function statusMessages(views: InvocationView[]): number {
  return views.length === 0 ? 0 : views.reduce((a, v) => a + v.messages.length, 0) / views.length;
}
