import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../../src/commands/status-format.js';
import type { StatusReport } from '../../../src/commands/status-read.js';
import { refusalFix } from '../../../src/functions/listener/broker-connection.js';
import { backoffDelay } from '../../../src/functions/listener/listener-connection.js';
import type { ListenerSnapshot } from '../../../src/health/listener-state.js';
import { readiness, type HealthState } from '../../../src/health/health-server.js';
import { Metrics } from '../../../src/health/metrics.js';

const DEFAULT = { initialMs: 1_000, maxMs: 60_000 };

describe('the reconnect backoff', () => {
  it('starts at 1 s, doubles per failed attempt in a row, stops at 60 s; the jitter takes it down to half, never above', () => {
    const most = (failed: number): number => backoffDelay(failed, DEFAULT, () => 1);
    const least = (failed: number): number => backoffDelay(failed, DEFAULT, () => 0);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 30].map(most)).toEqual([1_000, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect([1, 2, 7].map(least)).toEqual([500, 1_000, 30_000]);
  });
});

describe('what an ERROR frame tells the operator to do', () => {
  it('a refused subscription: make the key a user of fn_aws_gd (setup does it)', () => {
    const fix = refusalFix('subscription', 'User k1 is not authorized to read from: queue://actions.201.fn_aws_gd', 'k1');
    expect(fix).toMatch(/^Make "k1" a user of the message destination fn_aws_gd: run "guardduty-soar setup" \(it creates fn_aws_gd if it is missing and adds the key to it\)/);
    // Replies to acks.<org>.fn_aws_gd are authorized by the same membership.
    expect(refusalFix('session', 'User k1 is not authorized to write to: queue://acks.201.fn_aws_gd', 'k1')).toContain('a user of the message destination fn_aws_gd');
  });

  it('a refused login: the STOMP login is the REST login', () => {
    expect(refusalFix('login', 'User name [k1] or password is invalid.', 'k1')).toContain('api_key_id and api_key_secret (or email and password)');
  });

  it('anything else the subscription meets: check tests it', () => {
    expect(refusalFix('subscription', 'Already subscribed', 'k1')).toContain('"guardduty-soar check" tests the subscription');
  });
});

describe('a refused listener where the operator looks', () => {
  const refusal = { stage: 'subscription' as const, error: 'User k1 is not authorized to read from: queue://actions.201.fn_aws_gd', fix: 'Make "k1" a user …' };
  const snapshot: ListenerSnapshot = {
    status: 'refused', since: 1_500, destination: 'actions.201.fn_aws_gd', reconnects: 3, lastError: refusal.error, inFlight: 0, refusal, nextAttemptAt: 9_000,
  };

  it('/readyz: the stage, the broker\'s text, the fix and the next attempt; ready all the same, polling works', () => {
    const state: HealthState = {
      lastTickAt: () => 1_000, lastCompletedAt: () => 1_000, lastCompletedOk: () => true, stopping: () => false,
      startedAt: 0, intervalMs: 600_000, now: () => 2_000, functions: () => snapshot,
    };
    const [code, body] = readiness(state);
    expect(code).toBe(200);
    expect(body.functions).toEqual({
      status: 'refused', since: new Date(1_500).toISOString(), stage: 'subscription', destination: 'actions.201.fn_aws_gd',
      error: refusal.error, fix: refusal.fix, reconnects: 3, nextAttempt: new Date(9_000).toISOString(),
    });
  });

  it('/metrics: the state as one series per state, the refusals by stage, and not "connected"', async () => {
    const m = new Metrics({ processMetrics: false });
    m.listenerStatus('connected');
    m.stompConnected(true);
    m.stompConnected(false);
    m.stompRefused('subscription');
    m.listenerStatus('refused');
    const text = await m.text();
    expect(text).toContain('guardduty_soar_functions_listener_state{state="refused"} 1');
    expect(text).toContain('guardduty_soar_functions_listener_state{state="connected"} 0');
    expect(text).toContain('guardduty_soar_stomp_refusals_total{stage="subscription"} 1');
    expect(text).toMatch(/^guardduty_soar_stomp_connected 0$/m);
  });

  it('status: the last error and, below it, the fix', () => {
    const report: StatusReport = {
      database: 'db', schemaVersion: 4, daemon: null, regions: [], pending: [],
      links: { total: 0, byState: {}, openIncidents: 0, closedIncidents: 0, archivedFindings: 0 },
      functions: { invocations: {} as never, last: null, listener: { status: 'refused', since: '2026-03-01T10:00:00.000Z', reconnects: 3, lastError: refusal.error, fix: refusal.fix } },
    };
    expect(formatStatus(report)).toContain(
      `  listener refused since 2026-03-01T10:00:00.000Z, 3 reconnects; last error: ${refusal.error}\n  fix: ${refusal.fix}`,
    );
  });
});
