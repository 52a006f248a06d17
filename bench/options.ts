import { parseArgs } from 'node:util';

/** What one benchmark run measures, and how. */
export interface BenchOptions {
  /** New findings of the burst (spread evenly over the four detector regions). */
  findings: number;
  /** Burst sizes of the scale scenario. */
  scale: number[];
  latencyAwsMs: number;
  latencySoarMs: number;
  /** Refresh Finding invocations of the functions scenario (at most one per open incident). */
  refreshes: number;
  /** `aws_gd_soar_concurrency` of the daemon. */
  concurrency: number;
  quick: boolean;
  /** Where to write the results as JSON. */
  json: string | undefined;
}

export const FULL: Omit<BenchOptions, 'json'> = {
  findings: 5000, scale: [1000, 5000, 20_000], refreshes: 200, latencyAwsMs: 20, latencySoarMs: 30, concurrency: 4, quick: false,
};

/**
 * `--quick`: the same scenarios, small enough for CI (well under a minute). Every burst size is a
 * multiple of 4 regions × 50, so whole pages keep the per-finding AWS count comparable with the full run.
 */
export const QUICK: Omit<BenchOptions, 'json'> = { ...FULL, findings: 200, scale: [50, 100, 200], refreshes: 40, quick: true };

export const USAGE = `usage: npm run bench -- [--quick] [--findings N] [--latency-aws MS] [--latency-soar MS] [--concurrency N] [--refreshes N] [--scale N,N,N] [--json FILE]

  --quick          a small run for CI (${QUICK.findings} findings, ${QUICK.refreshes} refreshes, scale ${QUICK.scale.join('/')})
  --findings N     new findings of the burst, idle and churn scenarios (default ${FULL.findings})
  --latency-aws    milliseconds added to every AWS call (default ${FULL.latencyAwsMs})
  --latency-soar   milliseconds added to every SOAR call (default ${FULL.latencySoarMs})
  --concurrency N  aws_gd_soar_concurrency of the daemon (default ${FULL.concurrency})
  --refreshes N    Refresh Finding invocations of the functions scenario (default ${FULL.refreshes}; 0 skips it)
  --scale LIST     burst sizes of the scale scenario (default ${FULL.scale.join(',')}; 0 skips it)
  --json FILE      also write the results as JSON`;

/** Bad options (exit 2), or `--help` (exit 0): the message is what to print. */
export class UsageError extends Error {
  constructor(message: string, readonly exitCode: 0 | 2 = 2) {
    super(message);
  }
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: {
        quick: { type: 'boolean' },
        findings: { type: 'string' },
        'latency-aws': { type: 'string' },
        'latency-soar': { type: 'string' },
        concurrency: { type: 'string' },
        scale: { type: 'string' },
        refreshes: { type: 'string' },
        json: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
  }
  const { values } = parsed;
  if (values.help) throw new UsageError(USAGE, 0);
  const base = values.quick ? QUICK : FULL;
  const scale = values.scale === undefined ? base.scale : values.scale.split(',').map((s) => whole('--scale', s.trim(), 0)).filter((n) => n > 0);
  return {
    findings: values.findings === undefined ? base.findings : whole('--findings', values.findings, 4),
    scale,
    latencyAwsMs: values['latency-aws'] === undefined ? base.latencyAwsMs : whole('--latency-aws', values['latency-aws'], 0),
    latencySoarMs: values['latency-soar'] === undefined ? base.latencySoarMs : whole('--latency-soar', values['latency-soar'], 0),
    refreshes: values.refreshes === undefined ? base.refreshes : whole('--refreshes', values.refreshes, 0),
    concurrency: values.concurrency === undefined ? base.concurrency : whole('--concurrency', values.concurrency, 1),
    quick: values.quick ?? false,
    json: values.json,
  };
}

function whole(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number ≥ ${min}, got ${JSON.stringify(text)}\n\n${USAGE}`);
  return n;
}
