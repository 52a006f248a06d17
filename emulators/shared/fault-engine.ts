import type { Prng } from './prng.js';

/**
 * The fault model both emulators share: rules that fail matching calls with an error status or a
 * connection reset, before or after the call takes effect, at a rate or for the next N calls, and add
 * latency. Deterministic with the emulator's seed. Each emulator adds its own matchers (AWS: service,
 * operation, access key, region; SOAR: operation names) and its default statuses.
 */
export interface FaultRuleBase {
  /** Probability (0–1) that a matching call fails with one of `statuses`. */
  errorRate?: number;
  /** Statuses to pick from; default: the emulator's. */
  statuses?: number[];
  /** Fail exactly the next N matching calls (then this rule stops failing). */
  failNext?: number;
  /** Let the first N matching calls through untouched; the rule applies from the next one on. */
  skipFirst?: number;
  /** With failNext: the failures are connection resets instead of error responses. */
  reset?: boolean;
  /** Probability (0–1) that a matching call's connection is destroyed without a response. */
  resetRate?: number;
  /** `after`: the call takes effect, then the error is answered (the classic replay hazard). */
  mode?: 'before' | 'after';
  /** Added to every matching call. */
  latencyMs?: number;
}

export type Active<R> = R & { id: string; /** Calls this rule failed so far. */ triggered: number; /** Calls it let through under skipFirst. */ skipped: number };

export type FaultOutcome =
  | {
    kind: 'error'; status: number; mode: 'before' | 'after';
    /** Sent as Retry-After (an emulator's default otherwise). */
    retryAfterSeconds?: number | undefined;
    /** Answered on arrival, without the call's latency (a gateway turning the request away). */
    atOnce?: boolean | undefined;
  }
  | { kind: 'reset'; mode: 'before' | 'after' };

export class FaultEngine<R extends FaultRuleBase> {
  private rules: Active<R>[] = [];
  private nextId = 1;

  constructor(private readonly prng: Prng) {}

  add(rule: R): Active<R> {
    const active = { ...rule, id: `fault-${this.nextId++}`, triggered: 0, skipped: 0 } as Active<R>;
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

  list(): Active<R>[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /**
   * Every matching rule is visited in order; `visit` accumulates what each adds (latency). The first
   * rule that fires decides the outcome; `fires` lets an emulator add conditions of its own (SOAR:
   * too many requests in flight).
   */
  decide(
    matches: (rule: R) => boolean, defaultStatuses: readonly number[], visit: (rule: R) => void, fires: (rule: R) => FaultOutcome | undefined = () => undefined,
  ): FaultOutcome | undefined {
    let outcome: FaultOutcome | undefined;
    for (const rule of this.rules) {
      if (!matches(rule)) continue;
      visit(rule);
      if (outcome) continue;
      outcome = fires(rule) ?? this.outcomeOf(rule, defaultStatuses);
      if (outcome) rule.triggered++;
    }
    return outcome;
  }

  private outcomeOf(rule: Active<R>, defaultStatuses: readonly number[]): FaultOutcome | undefined {
    const mode = rule.mode ?? 'before';
    const status = (): number => this.prng.pick(rule.statuses?.length ? rule.statuses : [...defaultStatuses]);
    if (rule.skipFirst !== undefined && rule.skipped < rule.skipFirst) {
      rule.skipped++;
      return undefined;
    }
    if (rule.failNext !== undefined) {
      if (rule.triggered >= rule.failNext) return undefined;
      return rule.reset ? { kind: 'reset', mode } : { kind: 'error', status: status(), mode };
    }
    if (rule.resetRate !== undefined && this.prng.next() < rule.resetRate) return { kind: 'reset', mode };
    if (rule.errorRate !== undefined && this.prng.next() < rule.errorRate) return { kind: 'error', status: status(), mode };
    return undefined;
  }
}
