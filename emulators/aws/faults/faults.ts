import { FaultEngine, type Active, type FaultOutcome, type FaultRuleBase } from '../../shared/fault-engine.js';
import type { Prng } from '../../shared/prng.js';
import type { AwsService } from '../protocol/wire.js';

export type { FaultOutcome };

/**
 * Fault injection, deterministic with the emulator's seed (faults draw from their own PRNG stream, so
 * adding findings does not change which calls fail). The rule model is shared with the SOAR emulator
 * (emulators/shared/fault-engine.ts); AWS rules match by service, operation, access key and region.
 */
export interface FaultRule extends FaultRuleBase {
  /** Default: every service. */
  service?: AwsService | '*';
  /** e.g. `ListFindings`, `DescribeRegions`, `AssumeRole`, `PutObject`; default every operation. */
  operation?: string;
  /** Only calls signed with this access key. */
  accessKeyId?: string;
  /** Only calls to this region (the SigV4 credential scope's region). */
  region?: string;
}

export type ActiveFault = Active<FaultRule>;

export interface FaultDecision {
  latencyMs: number;
  outcome: FaultOutcome | undefined;
}

/** GuardDuty 500, EC2 503 (RequestLimitExceeded), STS 400 (Throttling), S3 503 (SlowDown). */
const DEFAULT_STATUS: Record<AwsService, number> = { guardduty: 500, ec2: 503, sts: 400, s3: 503 };

export class FaultInjector {
  private readonly engine: FaultEngine<FaultRule>;

  constructor(prng: Prng) {
    this.engine = new FaultEngine(prng);
  }

  add(rule: FaultRule): string {
    return this.engine.add(rule).id;
  }

  remove(id: string): boolean {
    return this.engine.remove(id);
  }

  clear(): void {
    this.engine.clear();
  }

  list(): ActiveFault[] {
    return this.engine.list();
  }

  decide(service: AwsService, operation: string, accessKeyId: string | undefined, region?: string): FaultDecision {
    let latencyMs = 0;
    const outcome = this.engine.decide(
      (rule) =>
        (!rule.service || rule.service === '*' || rule.service === service) &&
        (!rule.operation || rule.operation === operation) &&
        (!rule.accessKeyId || rule.accessKeyId === accessKeyId) &&
        (rule.region === undefined || rule.region === region),
      [DEFAULT_STATUS[service]],
      (rule) => {
        latencyMs += rule.latencyMs ?? 0;
      },
    );
    return { latencyMs, outcome };
  }
}
