import type { Bound } from './bound.js';
import type { RunCalls } from './calls.js';

/** A target of issue 6, as measured in one scenario. */
export interface Check {
  name: string;
  target: string;
  measured: string;
  ok: boolean;
  /** Counts are checked by the CI smoke test; times and memory only by the full run. */
  kind: 'count' | 'time' | 'memory' | 'applied';
}

export interface ScenarioResult {
  scenario: 'burst' | 'idle' | 'churn' | 'functions' | 'scale' | 'quiet' | 'throttling' | 'latency';
  /** Burst and scale: new findings. Idle: open linked findings. Churn: changes made. Functions: refresh invocations. */
  findings: number;
  exitCode: number;
  /** The cycle's duration as the daemon logs it ("Cycle finished" durationMs); functions: first invoke to last final reply. */
  wallMs: number;
  /** Spawn to exit of the daemon process (`once`; `run` for functions). */
  processMs: number;
  peakRssMb: number | undefined;
  /** CPU time (user + system) of the daemon process. */
  cpuMs: number | undefined;
  calls: RunCalls;
  /** Cycle AWS calls per new finding (burst, scale), without and with the fixed discovery calls. */
  awsPerFinding?: { cycle: number; withFixed: number };
  /** Cycle SOAR calls per new finding (burst, scale), by operation. */
  soarPerFinding?: Record<string, number>;
  bound: Bound;
  /** wallMs ÷ bound. */
  ratio: number;
  checks: Check[];
  details: Record<string, unknown>;
  problems: string[];
}

export interface BenchResults {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; totalMemGb: number };
  /** `git rev-parse --short HEAD`, marked when the working tree had uncommitted changes. */
  revision: string;
  /** 1-minute load average when the run started and ended: other work on the machine slows every figure. */
  load: { start: number; end: number };
  options: { findings: number; refreshes: number; scale: number[]; latencyAwsMs: number; latencySoarMs: number; concurrency: number; adaptive: number; quick: boolean };
  command: string;
  scenarios: ScenarioResult[];
  /** Scale: wall time and peak RSS per burst size, and their growth from the smallest. */
  scale: { findings: number; wallMs: number; msPerFinding: number; peakRssMb: number | undefined; ratio: number }[];
  checks: Check[];
  ok: boolean;
  totalMs: number;
}
