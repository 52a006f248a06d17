import type { Prng } from './prng.js';
import type { AwsService } from './wire.js';

/**
 * Fault injection, deterministic with the emulator's seed (faults draw from their own PRNG stream, so
 * adding findings does not change which calls fail).
 *
 * `mode: 'after'` applies the call's effect first and then answers with the error (or resets the
 * connection): an ArchiveFindings that happened but answered 500, the classic replay hazard.
 */
export interface FaultRule {
  /** Default: every service. */
  service?: AwsService | '*';
  /** e.g. `ListFindings`, `DescribeRegions`, `AssumeRole`; default every operation. */
  operation?: string;
  /** Only calls signed with this access key. */
  accessKeyId?: string;
  /** Only calls to this region (the SigV4 credential scope's region). */
  region?: string;
  /** Probability (0–1) that a matching call fails with one of `statuses`. */
  errorRate?: number;
  /** Statuses to pick from; default GuardDuty 500, EC2 503 (RequestLimitExceeded), STS 400 (Throttling). */
  statuses?: number[];
  /** Fail exactly the next N matching calls (then this rule stops failing). */
  failNext?: number;
  /** With failNext: the failures are connection resets instead of error responses. */
  reset?: boolean;
  /** Probability (0–1) that a matching call's connection is destroyed without a response. */
  resetRate?: number;
  mode?: 'before' | 'after';
  /** Added to every matching call. */
  latencyMs?: number;
}

export interface ActiveFault extends FaultRule {
  id: string;
  /** Calls this rule failed so far. */
  triggered: number;
}

export type FaultOutcome = { kind: 'error'; status: number; mode: 'before' | 'after' } | { kind: 'reset'; mode: 'before' | 'after' };

export interface FaultDecision {
  latencyMs: number;
  outcome: FaultOutcome | undefined;
}

const DEFAULT_STATUS: Record<AwsService, number> = { guardduty: 500, ec2: 503, sts: 400 };

export class FaultInjector {
  private rules: ActiveFault[] = [];
  private nextId = 1;

  constructor(private readonly prng: Prng) {}

  add(rule: FaultRule): string {
    const id = `fault-${this.nextId++}`;
    this.rules.push({ ...rule, id, triggered: 0 });
    return id;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): ActiveFault[] {
    return this.rules.map((r) => ({ ...r }));
  }

  decide(service: AwsService, operation: string, accessKeyId: string | undefined, region?: string): FaultDecision {
    let latencyMs = 0;
    let outcome: FaultOutcome | undefined;
    for (const rule of this.rules) {
      if (!matches(rule, service, operation, accessKeyId) || (rule.region !== undefined && rule.region !== region)) continue;
      latencyMs += rule.latencyMs ?? 0;
      if (outcome) continue;
      outcome = this.outcomeOf(rule, service);
      if (outcome) rule.triggered++;
    }
    return { latencyMs, outcome };
  }

  private outcomeOf(rule: ActiveFault, service: AwsService): FaultOutcome | undefined {
    const mode = rule.mode ?? 'before';
    if (rule.failNext !== undefined) {
      if (rule.triggered >= rule.failNext) return undefined;
      return rule.reset ? { kind: 'reset', mode } : { kind: 'error', status: this.pickStatus(rule, service), mode };
    }
    if (rule.resetRate !== undefined && this.prng.next() < rule.resetRate) return { kind: 'reset', mode };
    if (rule.errorRate !== undefined && this.prng.next() < rule.errorRate) {
      return { kind: 'error', status: this.pickStatus(rule, service), mode };
    }
    return undefined;
  }

  private pickStatus(rule: FaultRule, service: AwsService): number {
    return rule.statuses?.length ? this.prng.pick(rule.statuses) : DEFAULT_STATUS[service];
  }
}

function matches(rule: FaultRule, service: AwsService, operation: string, accessKeyId: string | undefined): boolean {
  if (rule.service && rule.service !== '*' && rule.service !== service) return false;
  if (rule.operation && rule.operation !== operation) return false;
  return !rule.accessKeyId || rule.accessKeyId === accessKeyId;
}
