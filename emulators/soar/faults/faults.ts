import type { Prng } from '../prng.js';

/**
 * Fault injection, deterministic with the emulator's seed. Rules match REST operations by their
 * normalized name (`POST /incidents`, `PATCH /incidents/{id}`…); the admin API is never faulted.
 *
 * `mode: 'after'` processes the request first and then answers the error (or resets the
 * connection): an incident created but answered 500, which is what exactly-once must survive.
 */
export interface FaultRule {
  /** Operations this rule applies to; default every REST operation. */
  operations?: string[];
  /** Probability (0–1) that a matching call fails with one of `statuses`. */
  errorRate?: number;
  /** Statuses to pick from; default 500, 502, 503 and 429. */
  statuses?: number[];
  /** Fail exactly the next N matching calls (then the rule stops failing). */
  failNext?: number;
  /** With failNext: the failures are connection resets instead of error responses. */
  reset?: boolean;
  /** Probability (0–1) that a matching call's connection is destroyed without an answer. */
  resetRate?: number;
  mode?: 'before' | 'after';
  /** Added to every matching call. */
  latencyMs?: number;
  /**
   * Delay between processing a matching request and answering it: the request has taken effect but
   * the client is still waiting (how a test kills a daemon after a create reached SOAR).
   */
  answerDelayMs?: number;
}

export interface ActiveFault extends FaultRule {
  id: string;
  /** Calls this rule failed so far. */
  triggered: number;
}

export type FaultOutcome = { kind: 'error'; status: number; mode: 'before' | 'after' } | { kind: 'reset'; mode: 'before' | 'after' };

export interface FaultDecision {
  latencyMs: number;
  answerDelayMs: number;
  outcome: FaultOutcome | undefined;
}

export const DEFAULT_FAULT_STATUSES = [500, 502, 503, 429];

export class FaultInjector {
  private rules: ActiveFault[] = [];
  private nextId = 1;

  constructor(private readonly prng: Prng) {}

  add(rule: FaultRule): ActiveFault {
    const active: ActiveFault = { ...rule, id: `fault-${this.nextId++}`, triggered: 0 };
    this.rules.push(active);
    return { ...active };
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

  /** The first matching rule that fires decides the outcome; every matching rule adds its latency. */
  decide(operation: string): FaultDecision {
    let latencyMs = 0;
    let answerDelayMs = 0;
    let outcome: FaultOutcome | undefined;
    for (const rule of this.rules) {
      if (rule.operations && !rule.operations.includes(operation)) continue;
      latencyMs += rule.latencyMs ?? 0;
      answerDelayMs += rule.answerDelayMs ?? 0;
      if (outcome) continue;
      outcome = this.outcomeOf(rule);
      if (outcome) rule.triggered++;
    }
    return { latencyMs, answerDelayMs, outcome };
  }

  private outcomeOf(rule: ActiveFault): FaultOutcome | undefined {
    const mode = rule.mode ?? 'before';
    if (rule.failNext !== undefined) {
      if (rule.triggered >= rule.failNext) return undefined;
      return rule.reset ? { kind: 'reset', mode } : { kind: 'error', status: this.pickStatus(rule), mode };
    }
    if (rule.resetRate !== undefined && this.prng.next() < rule.resetRate) return { kind: 'reset', mode };
    if (rule.errorRate !== undefined && this.prng.next() < rule.errorRate) {
      return { kind: 'error', status: this.pickStatus(rule), mode };
    }
    return undefined;
  }

  private pickStatus(rule: FaultRule): number {
    return this.prng.pick(rule.statuses?.length ? rule.statuses : DEFAULT_FAULT_STATUSES);
  }
}
