import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ListenerStatus } from './listener-state.js';
import type { LimitChange, LimitState } from '../util/adaptive-limit.js';
import type { ApiCallEvent, ApiObserver } from '../util/api-observer.js';

/**
 * What a finding's handling came to, as counted in metrics and the per-region summary line.
 * `resumed`: an incident an earlier run left half-written (a create cut short) was finished.
 * `deferred`: not tried this cycle, because it waits out the backoff of an earlier failure.
 * `archived`: archived in GuardDuty because its incident was closed in SOAR (the SOAR phase).
 */
export type FindingOutcome =
  | 'created' | 'resumed' | 'updated' | 'unchanged' | 'skipped' | 'closed' | 'archived' | 'reopened' | 'gone' | 'failed' | 'deferred'
  /** A new incident for a finding whose incident SOAR no longer holds (aws_gd_deleted_incident = recreate). */
  | 'recreated';

/** What the handling of one finding in a region pass comes to: every outcome but `archived` (the SOAR phase's). */
export type SyncOutcome = Exclude<FindingOutcome, 'archived'>;

/** The functions listener's states (ListenerStatus), as series of guardduty_soar_functions_listener_state. */
const LISTENER_STATES = ['disabled', 'starting', 'framework-off', 'connected', 'refused', 'reconnecting', 'stopped'] as const satisfies readonly ListenerStatus[];

/**
 * The Prometheus metrics of SPEC §7: cycles, findings by outcome, API calls and errors by service and
 * operation, throttling retries, cycle duration, cursor lag per region.
 */
export class Metrics implements ApiObserver {
  readonly registry = new Registry();
  private readonly cycles = new Counter({ name: 'guardduty_soar_cycles_total', help: 'Cycles run, by outcome.', labelNames: ['outcome'], registers: [this.registry] });
  private readonly cycleDuration = new Histogram({
    name: 'guardduty_soar_cycle_duration_seconds', help: 'Wall time of a cycle.',
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800], registers: [this.registry],
  });
  private readonly lastSuccess = new Gauge({ name: 'guardduty_soar_last_cycle_success_timestamp_seconds', help: 'When the last successful cycle finished.', registers: [this.registry] });
  private readonly findings = new Counter({ name: 'guardduty_soar_findings_total', help: 'Findings handled, by outcome and region.', labelNames: ['outcome', 'region'], registers: [this.registry] });
  private readonly apiCalls = new Counter({ name: 'guardduty_soar_api_calls_total', help: 'Logical API calls, by service and operation.', labelNames: ['service', 'operation'], registers: [this.registry] });
  private readonly apiErrors = new Counter({ name: 'guardduty_soar_api_errors_total', help: 'Failed API calls, by service, operation and error code.', labelNames: ['service', 'operation', 'code'], registers: [this.registry] });
  private readonly retries = new Counter({ name: 'guardduty_soar_api_retries_total', help: 'Retried attempts, by service.', labelNames: ['service'], registers: [this.registry] });
  private readonly throttleRetries = new Counter({ name: 'guardduty_soar_throttling_retries_total', help: 'Retries caused by throttling, by service.', labelNames: ['service'], registers: [this.registry] });
  private readonly cursorLag = new Gauge({ name: 'guardduty_soar_cursor_lag_seconds', help: 'Now minus the listing cursor, per account and region.', labelNames: ['account', 'region'], registers: [this.registry] });
  private readonly pending = new Gauge({ name: 'guardduty_soar_pending_operations', help: 'Sync operations waiting to be retried, by kind.', labelNames: ['kind'], registers: [this.registry] });
  private readonly stompUp = new Gauge({
    name: 'guardduty_soar_stomp_connected', help: '1 while the SOAR functions are served: connected, and the broker confirmed the subscription.', registers: [this.registry],
  });
  private readonly stompReconnects = new Counter({ name: 'guardduty_soar_stomp_reconnects_total', help: 'STOMP connections lost or refused, each followed by a reconnect.', registers: [this.registry] });
  private readonly stompRefusals = new Counter({
    name: 'guardduty_soar_stomp_refusals_total', help: 'ERROR frames from SOAR\'s broker, by what they refused: login, subscription or session.',
    labelNames: ['stage'], registers: [this.registry],
  });
  private readonly listenerState = new Gauge({
    name: 'guardduty_soar_functions_listener_state', help: 'The SOAR functions listener\'s state: 1 for the current one (connected = served; refused = the broker refuses it).',
    labelNames: ['state'], registers: [this.registry],
  });
  private readonly invocations = new Counter({
    name: 'guardduty_soar_function_invocations_total', help: 'SOAR function invocations answered, by function and outcome (redelivered: answered from the record).',
    labelNames: ['function', 'outcome'], registers: [this.registry],
  });
  private readonly functionDuration = new Histogram({
    name: 'guardduty_soar_function_duration_seconds', help: 'Wall time of a SOAR function, from its turn to its final reply.',
    labelNames: ['function'], buckets: [0.1, 0.5, 1, 2, 5, 15, 30, 60, 300], registers: [this.registry],
  });

  private readonly soarConcurrency = new Gauge({
    name: 'guardduty_soar_soar_concurrency_limit', help: 'SOAR requests allowed at once now (adapts between the floor and the ceiling).', registers: [this.registry],
  });
  private readonly soarConcurrencyFloor = new Gauge({ name: 'guardduty_soar_soar_concurrency_floor', help: 'aws_gd_soar_concurrency_min.', registers: [this.registry] });
  private readonly soarConcurrencyCeiling = new Gauge({ name: 'guardduty_soar_soar_concurrency_ceiling', help: 'aws_gd_soar_concurrency.', registers: [this.registry] });
  private readonly soarConcurrencyChanges = new Counter({
    name: 'guardduty_soar_soar_concurrency_changes_total',
    help: 'Changes of the SOAR concurrency: raise (prompt answers), cut (throttled: 429/503; latency: answers much slower than their baseline).',
    labelNames: ['direction', 'reason'], registers: [this.registry],
  });
  private readonly soarThrottledRequests = new Counter({
    name: 'guardduty_soar_soar_throttled_requests_total', help: 'SOAR requests answered 429 or 503 (each cuts the concurrency or holds it down).', registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    // Standard names (process_cpu_seconds_total, nodejs_eventloop_lag_seconds): stock Node.js
    // dashboards and alerts read them as they are; only the daemon's own metrics carry the prefix.
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  onCall(event: ApiCallEvent): void {
    this.apiCalls.inc({ service: event.service, operation: event.operation });
    if (!event.ok) this.apiErrors.inc({ service: event.service, operation: event.operation, code: event.code ?? String(event.status ?? 'unknown') });
    if (event.attempts > 1) this.retries.inc({ service: event.service }, event.attempts - 1);
    if (event.throttleRetries > 0) this.throttleRetries.inc({ service: event.service }, event.throttleRetries);
  }

  cycleFinished(ok: boolean, durationMs: number, finishedAtMs: number): void {
    this.cycles.inc({ outcome: ok ? 'ok' : 'failed' });
    this.cycleDuration.observe(durationMs / 1000);
    if (ok) this.lastSuccess.set(finishedAtMs / 1000);
  }

  finding(outcome: FindingOutcome, region: string, n = 1): void {
    this.findings.inc({ outcome, region }, n);
  }

  setCursorLag(account: string, region: string, lagSeconds: number): void {
    this.cursorLag.set({ account, region }, Math.max(0, lagSeconds));
  }

  setPending(byKind: Record<string, number>): void {
    this.pending.reset();
    for (const [kind, n] of Object.entries(byKind)) this.pending.set({ kind }, n);
  }

  // The functions listener's ListenerObserver.
  stompConnected(up: boolean): void {
    this.stompUp.set(up ? 1 : 0);
  }

  stompReconnect(): void {
    this.stompReconnects.inc();
  }

  stompRefused(stage: string): void {
    this.stompRefusals.inc({ stage });
  }

  listenerStatus(status: ListenerStatus): void {
    // Every state is a series (0 or 1), so an alert on {state="refused"} == 1 has a value to compare before it fires.
    for (const state of LISTENER_STATES) this.listenerState.set({ state }, state === status ? 1 : 0);
  }

  functionFinished(name: string, outcome: string, durationMs: number): void {
    this.invocations.inc({ function: name, outcome });
    this.functionDuration.observe({ function: name }, durationMs / 1000);
  }

  // The SOAR limit's SoarLimitMetrics.
  soarLimit(state: Pick<LimitState, 'limit' | 'min' | 'max'>): void {
    this.soarConcurrency.set(state.limit);
    this.soarConcurrencyFloor.set(state.min);
    this.soarConcurrencyCeiling.set(state.max);
  }

  soarLimitChanged(change: LimitChange): void {
    this.soarConcurrencyChanges.inc({ direction: change.to > change.from ? 'raise' : 'cut', reason: change.reason });
  }

  soarThrottled(): void {
    this.soarThrottledRequests.inc();
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}
