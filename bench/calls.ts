import type { Emulators } from '../emulators/index.js';

/**
 * The calls a daemon run made, read from the emulators' counters and split into what the cycle
 * spends and what every `once` process spends before it:
 * - AWS fixed: sts:GetCallerIdentity (one per credential set and process), ec2:DescribeRegions and
 *   guardduty:ListDetectors (one per region): discovery, and the coverage check that goes with it
 *   (GetDetector, GetCoverageStatistics, ListCoverage, ListMembers, GetMemberDetectors per region),
 *   which a long-running daemon repeats only every aws_gd_regions_interval. They do not grow with
 *   the findings and are reported apart.
 * - SOAR start-up: GET /rest/session resolves the org, three schema reads check that `setup` was
 *   run (they also give the fields the org requires on close), and one POST /incidents/query checks
 *   a sample of the linked incidents (does the state database belong to this org?), once per process.
 *   A long-running daemon makes the same query in a cycle to check its open links, at most every
 *   half polling interval; a `once` process skips that, the start-up sample having just checked them.
 */
export const AWS_FIXED_OPS = [
  'sts:GetCallerIdentity', 'ec2:DescribeRegions', 'guardduty:ListDetectors',
  'guardduty:GetDetector', 'guardduty:GetCoverageStatistics', 'guardduty:ListCoverage', 'guardduty:ListMembers', 'guardduty:GetMemberDetectors',
];
export const SOAR_STARTUP_OPS = [
  'GET /rest/session', 'GET /rest/orgs/{org}/types/{type}/fields', 'GET /rest/orgs/{org}/types', 'GET /rest/orgs/{org}/artifact_types',
  'POST /rest/orgs/{org}/incidents/query',
];
const SOAR_PREFIX = '/rest/orgs/{org}';

export interface CallCounts {
  total: number;
  byOp: Record<string, number>;
}

export interface RunCalls {
  awsCycle: CallCounts;
  awsFixed: CallCounts;
  /** region → operation → calls (cycle operations only). */
  awsByRegion: Record<string, Record<string, number>>;
  soarCycle: CallCounts;
  /** Session and schema check, once per process (by operation, the prefix removed). */
  soarStartup: CallCounts;
}

export function readCalls(emulators: Emulators): RunCalls {
  const aws = emulators.aws.calls();
  const soar = emulators.soar.calls().counts;
  const awsByRegion: Record<string, Record<string, number>> = {};
  for (const r of aws.records) {
    const op = `${r.service}:${r.operation}`;
    if (AWS_FIXED_OPS.includes(op)) continue;
    const region = (awsByRegion[r.region ?? '?'] ??= {});
    region[op] = (region[op] ?? 0) + 1;
  }
  const short = (op: string): string => op.replace(SOAR_PREFIX, '');
  const soarCycle = pick(soar, (op) => !SOAR_STARTUP_OPS.includes(op), short);
  return {
    awsCycle: pick(aws.counts, (op) => !AWS_FIXED_OPS.includes(op)),
    awsFixed: pick(aws.counts, (op) => AWS_FIXED_OPS.includes(op)),
    awsByRegion,
    soarCycle,
    soarStartup: pick(soar, (op) => SOAR_STARTUP_OPS.includes(op), short),
  };
}

export function count(calls: CallCounts, op: string): number {
  return calls.byOp[op] ?? 0;
}

function pick(counts: Record<string, number>, keep: (op: string) => boolean, rename: (op: string) => string = (op) => op): CallCounts {
  const byOp: Record<string, number> = {};
  let total = 0;
  for (const [op, n] of Object.entries(counts)) {
    if (!keep(op)) continue;
    byOp[rename(op)] = (byOp[rename(op)] ?? 0) + n;
    total += n;
  }
  return { total, byOp };
}
