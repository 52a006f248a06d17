import { FaultEngine, type Active, type FaultOutcome, type FaultRuleBase } from '../../shared/fault-engine.js';
import type { Prng } from '../../shared/prng.js';

export type { FaultOutcome };

/**
 * Fault injection for the SOAR emulator, deterministic with its seed. The rule model is shared with
 * the AWS emulator (emulators/shared/fault-engine.ts); SOAR rules match by operation name
 * (`POST /rest/orgs/{org}/incidents`, …).
 */
export interface FaultRule extends FaultRuleBase {
  /** Operations this rule applies to; default every REST operation. */
  operations?: string[];
  /**
   * Delay between processing a matching request and answering it: the request has taken effect but
   * the client is still waiting (how a test kills a daemon after a create reached SOAR).
   */
  answerDelayMs?: number;
  /**
   * Refuse with 429 and Retry-After, at once, a matching request that arrives while this many REST
   * requests (of any operation, itself included: more than this) are being answered: SOAR (or the
   * gateway in front of it) limiting concurrent requests.
   */
  maxInFlight?: number;
  /** Retry-After of those refusals, in seconds (default 1). */
  retryAfterSeconds?: number;
}

export type ActiveFault = Active<FaultRule>;

export interface FaultDecision {
  latencyMs: number;
  answerDelayMs: number;
  outcome: FaultOutcome | undefined;
}

export const DEFAULT_FAULT_STATUSES = [500, 502, 503, 429];

export class FaultInjector {
  private readonly engine: FaultEngine<FaultRule>;

  constructor(prng: Prng) {
    this.engine = new FaultEngine(prng);
  }

  add(rule: FaultRule): ActiveFault {
    return this.engine.add(rule);
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

  /**
   * The first matching rule that fires decides the outcome; every matching rule adds its delays.
   * `inFlight`: the REST requests being answered, this one included.
   */
  decide(operation: string, inFlight = 1): FaultDecision {
    let latencyMs = 0;
    let answerDelayMs = 0;
    const outcome = this.engine.decide((rule) => !rule.operations || rule.operations.includes(operation), DEFAULT_FAULT_STATUSES, (rule) => {
      latencyMs += rule.latencyMs ?? 0;
      answerDelayMs += rule.answerDelayMs ?? 0;
    }, (rule) => (rule.maxInFlight !== undefined && inFlight > rule.maxInFlight
      ? { kind: 'error', status: 429, mode: 'before', retryAfterSeconds: rule.retryAfterSeconds ?? 1, atOnce: true }
      : undefined));
    return { latencyMs, answerDelayMs, outcome };
  }
}
