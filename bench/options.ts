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
  /** `aws_gd_soar_concurrency` of the daemon (the adaptive scenarios use its default, 16). */
  concurrency: number;
  /** New findings of each adaptive-concurrency scenario (quiet, throttling, latency); 0 skips them. */
  adaptive: number;
  quick: boolean;
  /** Where to write the results as JSON. */
  json: string | undefined;
}

export const FULL: Omit<BenchOptions, 'json'> = {
  findings: 5000, scale: [1000, 5000, 20_000], refreshes: 200, latencyAwsMs: 20, latencySoarMs: 30, concurrency: 4, adaptive: 1000, quick: false,
};

/**
 * `--quick`: the same scenarios, small enough for CI (well under a minute). Every burst size is a
 * multiple of 4 regions × 50, so whole pages keep the per-finding AWS count comparable with the full run.
 */
export const QUICK: Omit<BenchOptions, 'json'> = { ...FULL, findings: 200, scale: [50, 100, 200], refreshes: 40, adaptive: 200, quick: true };

export const USAGE = `usage: npm run bench -- [--quick] [--findings N] [--latency-aws MS] [--latency-soar MS] [--concurrency N] [--refreshes N] [--scale N,N,N] [--adaptive N] [--json FILE]

  --quick          a small run for CI (${QUICK.findings} findings, ${QUICK.refreshes} refreshes, scale ${QUICK.scale.join('/')}, adaptive ${QUICK.adaptive})
  --findings N     new findings of the burst, idle and churn scenarios (default ${FULL.findings}; 0 skips them and functions)
  --latency-aws    milliseconds added to every AWS call (default ${FULL.latencyAwsMs})
  --latency-soar   milliseconds added to every SOAR call (default ${FULL.latencySoarMs})
  --concurrency N  aws_gd_soar_concurrency of the daemon (default ${FULL.concurrency})
  --refreshes N    Refresh Finding invocations of the functions scenario (default ${FULL.refreshes}; 0 skips it)
  --scale LIST     burst sizes of the scale scenario (default ${FULL.scale.join(',')}; 0 skips it)
  --adaptive N     new findings of each adaptive SOAR concurrency scenario: quiet, throttling, latency
                   (default ${FULL.adaptive}; SOAR 20 ms, aws_gd_soar_concurrency at its default 16; 0 skips them)
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
        adaptive: { type: 'string' },
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
    findings: values.findings === undefined ? base.findings : findings(values.findings),
    scale,
    latencyAwsMs: values['latency-aws'] === undefined ? base.latencyAwsMs : whole('--latency-aws', values['latency-aws'], 0),
    latencySoarMs: values['latency-soar'] === undefined ? base.latencySoarMs : whole('--latency-soar', values['latency-soar'], 0),
    refreshes: values.refreshes === undefined ? base.refreshes : whole('--refreshes', values.refreshes, 0),
    concurrency: values.concurrency === undefined ? base.concurrency : whole('--concurrency', values.concurrency, 1),
    adaptive: values.adaptive === undefined ? base.adaptive : findings(values.adaptive, '--adaptive'),
    quick: values.quick ?? false,
    json: values.json,
  };
}

/** A burst size: 0 (skip), or at least one finding per detector region. */
function findings(text: string, flag = '--findings'): number {
  const n = whole(flag, text, 0);
  if (n > 0 && n < 4) throw new UsageError(`${flag} must be 0 or at least 4 (one finding per region), got ${JSON.stringify(text)}\n\n${USAGE}`);
  return n;
}

function whole(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number ≥ ${min}, got ${JSON.stringify(text)}\n\n${USAGE}`);
  return n;
}
