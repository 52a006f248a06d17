import { describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/health/metrics.js';

async function value(m: Metrics, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = (await m.registry.getMetricsAsJSON()).find((x) => x.name === name);
  const hit = (metric?.values ?? []).find((v) => Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l));
  return hit?.value;
}

describe('Metrics (SPEC §7)', () => {
  it('counts API calls by service and operation, errors by code, retries and throttling retries', async () => {
    const m = new Metrics({ processMetrics: false });
    m.onCall({ service: 'guardduty', operation: 'ListFindings', ok: true, status: 200, attempts: 3, throttleRetries: 2, durationMs: 40 });
    m.onCall({ service: 'guardduty', operation: 'ListFindings', ok: false, status: 403, code: 'AccessDeniedException', attempts: 1, throttleRetries: 0, durationMs: 5 });
    m.onCall({ service: 'soar', operation: 'POST /incidents', ok: false, status: 503, attempts: 5, throttleRetries: 0, durationMs: 5 });
    expect(await value(m, 'guardduty_soar_api_calls_total', { service: 'guardduty', operation: 'ListFindings' })).toBe(2);
    expect(await value(m, 'guardduty_soar_api_errors_total', { code: 'AccessDeniedException' })).toBe(1);
    // No error code: the status stands in for it.
    expect(await value(m, 'guardduty_soar_api_errors_total', { service: 'soar', code: '503' })).toBe(1);
    expect(await value(m, 'guardduty_soar_api_retries_total', { service: 'guardduty' })).toBe(2);
    expect(await value(m, 'guardduty_soar_api_retries_total', { service: 'soar' })).toBe(4);
    expect(await value(m, 'guardduty_soar_throttling_retries_total', { service: 'guardduty' })).toBe(2);
  });

  it('counts cycles by outcome with their duration, findings by outcome and region, cursor lag and pending work', async () => {
    const m = new Metrics({ processMetrics: false });
    m.cycleFinished(true, 2_000, 1_700_000_000_000);
    m.cycleFinished(false, 500, 1_700_000_060_000);
    m.finding('created', 'us-east-1', 3);
    m.finding('archived', 'eu-west-1');
    m.setCursorLag('123456789012', 'us-east-1', 42.5);
    m.setCursorLag('123456789012', 'eu-west-1', -3);
    m.setPending({ archive: 2, note: 1 });
    m.setPending({ archive: 1 });
    expect(await value(m, 'guardduty_soar_cycles_total', { outcome: 'ok' })).toBe(1);
    expect(await value(m, 'guardduty_soar_cycles_total', { outcome: 'failed' })).toBe(1);
    expect(await value(m, 'guardduty_soar_last_cycle_success_timestamp_seconds')).toBe(1_700_000_000);
    const text = await m.text();
    expect(text).toContain('guardduty_soar_cycle_duration_seconds_count 2');
    expect(text).toContain('guardduty_soar_cycle_duration_seconds_sum 2.5');
    expect(await value(m, 'guardduty_soar_findings_total', { outcome: 'created', region: 'us-east-1' })).toBe(3);
    expect(await value(m, 'guardduty_soar_cursor_lag_seconds', { region: 'us-east-1' })).toBe(42.5);
    // A cursor slightly ahead of this machine's clock is no lag, not a negative one.
    expect(await value(m, 'guardduty_soar_cursor_lag_seconds', { region: 'eu-west-1' })).toBe(0);
    // Pending work is a snapshot: kinds that emptied disappear.
    expect(await value(m, 'guardduty_soar_pending_operations', { kind: 'archive' })).toBe(1);
    expect(await value(m, 'guardduty_soar_pending_operations', { kind: 'note' })).toBeUndefined();
  });

  it('shows the adaptive SOAR concurrency: the limit now, its floor and ceiling, its raises and cuts, and throttled requests', async () => {
    const m = new Metrics({ processMetrics: false });
    m.soarLimit({ limit: 4, min: 1, max: 16 });
    m.soarLimitChanged({ at: 0, from: 4, to: 5, reason: 'prompt' });
    m.soarLimitChanged({ at: 0, from: 5, to: 2, reason: 'throttled' });
    m.soarThrottled();
    m.soarThrottled();
    m.soarLimit({ limit: 2, min: 1, max: 16 });
    expect(await value(m, 'guardduty_soar_soar_concurrency_limit')).toBe(2);
    expect(await value(m, 'guardduty_soar_soar_concurrency_floor')).toBe(1);
    expect(await value(m, 'guardduty_soar_soar_concurrency_ceiling')).toBe(16);
    expect(await value(m, 'guardduty_soar_soar_concurrency_changes_total', { direction: 'raise', reason: 'prompt' })).toBe(1);
    expect(await value(m, 'guardduty_soar_soar_concurrency_changes_total', { direction: 'cut', reason: 'throttled' })).toBe(1);
    expect(await value(m, 'guardduty_soar_soar_throttled_requests_total')).toBe(2);
  });

  it('adds the process metrics (memory, CPU, event loop) under their standard names, so stock dashboards work', async () => {
    const text = await new Metrics().text();
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(text).toMatch(new RegExp(`^${name} `, 'm'));
    }
    expect(text).not.toContain('guardduty_soar_process_');
    expect(text).not.toContain('guardduty_soar_nodejs_');
    // The daemon's own metrics keep their prefix.
    expect(text).toContain('# TYPE guardduty_soar_cycles_total counter');
    expect(await new Metrics({ processMetrics: false }).text()).not.toContain('process_resident_memory_bytes');
  });
});
