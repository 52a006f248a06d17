import type { BenchResults, ScenarioResult } from './results.js';
import { fmtMs } from './scenarios.js';

/** The results as Markdown tables: what `npm run bench` prints and BENCHMARKS.md holds. */
export function renderReport(r: BenchResults): string {
  const o = r.options;
  const out: string[] = [
    `guardduty-soar benchmark — ${r.startedAt}`,
    `machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.totalMemGb} GiB, ${r.machine.platform}, Node ${r.machine.node}; load average ${r.load.start.toFixed(1)} at start, ${r.load.end.toFixed(1)} at end`,
    `latency: AWS ${o.latencyAwsMs} ms, SOAR ${o.latencySoarMs} ms per call; aws_gd_soar_concurrency ${o.concurrency}`,
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
  const rows: string[][] = [];
  for (const [op, n] of Object.entries(s.calls.awsCycle.byOp)) rows.push(['AWS', op, String(n), (n / s.findings).toFixed(4)]);
  for (const [op, n] of Object.entries(s.calls.awsFixed.byOp)) rows.push(['AWS (discovery)', op, String(n), (n / s.findings).toFixed(4)]);
  for (const [op, n] of Object.entries(s.calls.soarCycle.byOp)) rows.push(['SOAR', op, String(n), (n / s.findings).toFixed(3)]);
  for (const [op, n] of Object.entries(s.calls.soarStartup.byOp)) rows.push(['SOAR (start-up)', op, String(n), (n / s.findings).toFixed(4)]);
  return [`Burst calls by operation (${s.findings} new findings):`, '', table(['API', 'operation', 'calls', 'per finding'], rows), ''];
}

function callTable(list: ScenarioResult[]): string[] {
  const out: string[] = [];
  for (const s of list) {
    const rows = [
      ...Object.entries(s.calls.awsCycle.byOp).map(([op, n]) => ['AWS', op, String(n)]),
      ...Object.entries(s.calls.awsFixed.byOp).map(([op, n]) => ['AWS (discovery)', op, String(n)]),
      ...Object.entries(s.calls.soarCycle.byOp).map(([op, n]) => ['SOAR', op, String(n)]),
      ...Object.entries(s.calls.soarStartup.byOp).map(([op, n]) => ['SOAR (start-up)', op, String(n)]),
    ];
    out.push(`${s.scenario[0]?.toUpperCase()}${s.scenario.slice(1)} calls by operation:`, '', table(['API', 'operation', 'calls'], rows), '');
  }
  return out;
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
