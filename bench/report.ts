import type { LimitFacts } from './adaptive.js';
import type { LimitSample } from './latency-climb.js';
import type { BenchResults, ScenarioResult } from './results.js';
import { fmtMs } from './scenarios.js';

/** The results as Markdown tables: what `npm run bench` prints and BENCHMARKS.md holds. */
export function renderReport(r: BenchResults): string {
  const o = r.options;
  const out: string[] = [
    `guardduty-soar benchmark — ${r.startedAt}`,
    `machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.totalMemGb} GiB, ${r.machine.platform}, Node ${r.machine.node}; load average ${r.load.start.toFixed(1)} at start, ${r.load.end.toFixed(1)} at end`,
    `latency: AWS ${o.latencyAwsMs} ms, SOAR ${o.latencySoarMs} ms per call; aws_gd_soar_concurrency ${o.concurrency}; ${o.refreshes} refresh invocations; ${o.adaptive} findings per adaptive scenario`,
    `command: ${r.command}; code: ${r.revision}`,
    '',
    table(
      ['scenario', 'findings', 'cycle wall', 'bound (SOAR + AWS share)', 'ratio', 'AWS calls (+ discovery)', 'SOAR calls (+ start-up)', 'SOAR minimum', 'peak RSS'],
      r.scenarios.filter((s) => s.scenario !== 'scale').map((s) => [
        s.scenario, String(s.findings), fmtMs(s.wallMs), boundText(s), `${s.ratio.toFixed(2)}`,
        `${s.calls.awsCycle.total} (+${s.calls.awsFixed.total})`, `${s.calls.soarCycle.total} (+${s.calls.soarStartup.total})`,
        String(s.bound.soarCalls), mb(s.peakRssMb),
      ]),
    ),
    '',
    ...burstBreakdown(r.scenarios.find((s) => s.scenario === 'burst')),
    ...callTable(r.scenarios.filter((s) => s.scenario === 'idle' || s.scenario === 'churn')),
    ...functionsBreakdown(r.scenarios.find((s) => s.scenario === 'functions')),
    ...adaptiveBreakdown(r.scenarios),
  ];
  if (r.scale.length > 0) {
    const base = [...r.scale].sort((a, b) => a.findings - b.findings)[0];
    out.push(
      'Scale (each a first cycle in a fresh world):',
      '',
      table(
        ['findings', 'cycle wall', 'ms per finding', 'ratio to bound', 'peak RSS', 'time × vs smallest', 'RSS × vs smallest'],
        r.scale.map((s) => [
          String(s.findings), fmtMs(s.wallMs), s.msPerFinding.toFixed(2), s.ratio.toFixed(2), mb(s.peakRssMb),
          base ? (s.wallMs / base.wallMs).toFixed(2) : '-', base?.peakRssMb && s.peakRssMb ? (s.peakRssMb / base.peakRssMb).toFixed(2) : '-',
        ]),
      ),
      '',
    );
  }
  out.push('Targets:', '', table(['target', 'kind', 'wanted', 'measured', ''], r.checks.map((c) => [c.name, c.kind, c.target, c.measured, c.ok ? 'met' : 'MISSED'])), '');
  out.push(`total ${fmtMs(r.totalMs)}; ${r.ok ? 'every target met' : `${r.checks.filter((c) => !c.ok).length} target(s) missed`}`);
  return out.join('\n');
}

function burstBreakdown(s: ScenarioResult | undefined): string[] {
  if (!s) return [];
  const rows = opRows(s, (n, digits) => (n / s.findings).toFixed(digits));
  return [`Burst calls by operation (${s.findings} new findings):`, '', table(['API', 'operation', 'calls', 'per finding'], rows), ''];
}

/** The refreshes' calls per invocation, and what came back over STOMP. */
function functionsBreakdown(s: ScenarioResult | undefined): string[] {
  if (!s) return [];
  const d = s.details as { answered: number; redelivered: number; workers: number; statusMessagesPerInvocation: number };
  const rows = opRows(s, (n) => (n / s.findings).toFixed(2));
  return [
    `Functions calls by operation (${s.findings} Refresh Finding invocations over STOMP to \`run\`, num_workers ${d.workers}; ` +
      `${d.answered}/${s.findings} answered with one final reply and ACKed, ${d.redelivered} redelivered, ` +
      `${d.statusMessagesPerInvocation.toFixed(1)} status messages each; wall time from the first invoke to the last final reply):`,
    '',
    table(['API', 'operation', 'calls', 'per refresh'], rows),
    '',
  ];
}

/** What the adaptive SOAR concurrency did in the quiet, throttling and latency scenarios, and the latency run's series. */
function adaptiveBreakdown(all: ScenarioResult[]): string[] {
  const list = all.filter((s) => s.scenario === 'quiet' || s.scenario === 'throttling' || s.scenario === 'latency');
  if (list.length === 0) return [];
  const rows = list.map((s) => {
    const d = s.details as { limit?: LimitFacts; soarRequests?: { total: number; throttled: number }; concurrencyOfBound?: number; cap?: number };
    const l = d.limit;
    const at = s.scenario === 'quiet' ? d.concurrencyOfBound : s.scenario === 'throttling' ? d.cap : undefined;
    return [
      s.scenario, String(s.findings), fmtMs(s.wallMs), s.cpuMs === undefined ? '-' : fmtMs(s.cpuMs),
      at === undefined ? '-' : `${fmtMs(s.bound.ms)} at ${at}`, at === undefined ? '-' : s.ratio.toFixed(2),
      l ? `4 → ${l.lowest}…${l.highest}, ${l.limit} at the end` : '-', l ? `${l.raises} / ${l.cuts}` : '-',
      d.soarRequests ? `${d.soarRequests.throttled} of ${d.soarRequests.total}` : '-',
    ];
  });
  const out = [
    'Adaptive SOAR concurrency (fresh worlds, SOAR 20 ms, aws_gd_soar_concurrency at its default 16):',
    '',
    table(['scenario', 'findings', 'cycle wall', 'daemon CPU', 'bound', 'ratio', 'limit: start → lowest…highest', 'raises / cuts', 'SOAR requests refused (429)'], rows),
    '',
  ];
  const latency = list.find((s) => s.scenario === 'latency');
  const series = (latency?.details as { series?: LimitSample[] } | undefined)?.series ?? [];
  if (series.length > 0) {
    out.push(
      'Latency run: the limit as `/metrics` showed it (read every 0.1 s; a row when it or SOAR\'s latency changed, at most one per 0.5 s):',
      '', table(['t', 'SOAR latency', 'limit'], changes(series)), '',
    );
  }
  return out;
}

function changes(series: LimitSample[]): string[][] {
  const rows: string[][] = [];
  let next = 0;
  let shown: LimitSample | undefined;
  for (const [i, s] of series.entries()) {
    const last = i === series.length - 1;
    if (!last && (s.t < next || (shown && shown.limit === s.limit && shown.soarMs === s.soarMs))) continue;
    rows.push([`${(s.t / 1000).toFixed(1)} s`, `${s.soarMs} ms`, String(s.limit)]);
    shown = s;
    next = s.t + 500;
  }
  return rows;
}

function callTable(list: ScenarioResult[]): string[] {
  const out: string[] = [];
  for (const s of list) {
    out.push(`${s.scenario[0]?.toUpperCase()}${s.scenario.slice(1)} calls by operation:`, '', table(['API', 'operation', 'calls'], opRows(s)), '');
  }
  return out;
}

/** One row per operation, grouped as the calls are counted; `perFinding` adds a column (its digits per group). */
function opRows(s: ScenarioResult, perFinding?: (calls: number, digits: number) => string): string[][] {
  const groups: [string, Record<string, number>, number][] = [
    ['AWS', s.calls.awsCycle.byOp, 4],
    ['AWS (discovery)', s.calls.awsFixed.byOp, 4],
    ['SOAR', s.calls.soarCycle.byOp, 3],
    ['SOAR (start-up)', s.calls.soarStartup.byOp, 4],
  ];
  return groups.flatMap(([api, byOp, digits]) =>
    Object.entries(byOp).map(([op, n]) => [api, op, String(n), ...(perFinding ? [perFinding(n, digits)] : [])]),
  );
}

function boundText(s: ScenarioResult): string {
  return `${fmtMs(s.bound.ms)} (${fmtMs(s.bound.soarShareMs)} + ${fmtMs(s.bound.awsShareMs)})`;
}

function mb(value: number | undefined): string {
  return value === undefined ? '-' : `${value.toFixed(0)} MiB`;
}

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
