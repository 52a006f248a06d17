import { afterEach, describe, expect, it } from 'vitest';
import { freePort, type DaemonProcess } from '../../helpers/daemon-process.js';
import { sample } from '../../helpers/metrics-sample.js';
import { until } from '../../helpers/wait.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

/**
 * The daemon's health endpoints as a container platform and Prometheus see them: `/healthz` (the
 * scheduler is alive), `/readyz` (a cycle completed within two polling intervals), `/metrics`; and
 * the `healthcheck` command that the Dockerfile's HEALTHCHECK runs.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function get(port: number, path: string): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

/** Cycles every 0.6 s, retries included: the health states may take a while to turn. */
const HEALTH_WAIT = { timeoutMs: 20_000, everyMs: 100 };

async function runDaemon(harness: Harness, port: number): Promise<DaemonProcess> {
  const daemon = harness.daemon(['--health-host', '127.0.0.1']);
  await daemon.waitFor((l) => l.message === 'Health endpoints listening' && l.port === port);
  return daemon;
}

describe('health endpoints', () => {
  it('/healthz, /readyz and /metrics with the metrics of SPEC §7 after a cycle', async () => {
    const port = await freePort();
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^(us-east-1|eu-west-1)$', aws_gd_health_port: String(port) } });
    h.aws.generateFindings({ count: 5, region: 'us-east-1' });
    // One throttled ListFindings (the SDK retries it) and one failed GetFindings region-wide later: retries and errors show.
    h.aws.setFault({ service: 'guardduty', operation: 'ListFindings', region: 'us-east-1', failNext: 1, statuses: [429] });
    h.aws.setFault({ service: 'guardduty', operation: 'ListFindings', region: 'eu-west-1', failNext: 3, statuses: [403] });
    const d = await runDaemon(h, port);
    await d.waitFor((l) => l.message === 'Cycle finished');

    const live = await get(port, '/healthz');
    expect(live.status).toBe(200);
    expect(JSON.parse(live.body)).toMatchObject({ status: 'ok' });
    const ready = await get(port, '/readyz');
    expect(ready.status).toBe(200);
    // eu-west-1 failed, but the cycle ran to its end: ready, and the failure is in the body and the metrics.
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'ok', lastCycleOk: false, windowSeconds: 1200 });

    const metrics = await get(port, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toContain('text/plain');
    const m = metrics.body;
    expect(sample(m, 'guardduty_soar_cycles_total', { outcome: 'failed' })).toBe(1);
    expect(sample(m, 'guardduty_soar_findings_total', { outcome: 'created', region: 'us-east-1' })).toBe(5);
    expect(sample(m, 'guardduty_soar_api_calls_total', { service: 'guardduty', operation: 'ListFindings' })).toBeGreaterThanOrEqual(2);
    expect(sample(m, 'guardduty_soar_api_calls_total', { service: 'soar', operation: 'POST /incidents' })).toBe(5);
    expect(sample(m, 'guardduty_soar_api_errors_total', { service: 'guardduty', operation: 'ListFindings', code: 'AccessDeniedException' })).toBe(1);
    expect(sample(m, 'guardduty_soar_throttling_retries_total', { service: 'guardduty' })).toBe(1);
    expect(sample(m, 'guardduty_soar_api_retries_total', { service: 'guardduty' })).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'guardduty_soar_cycle_duration_seconds_count')).toBe(1);
    expect(sample(m, 'guardduty_soar_cursor_lag_seconds', { account: '123456789012', region: 'us-east-1' })).toBeGreaterThanOrEqual(0);
    expect(sample(m, 'guardduty_soar_last_cycle_success_timestamp_seconds')).toBe(0);
    expect(m).toMatch(/^process_resident_memory_bytes /m);

    expect((await get(port, '/nope')).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('/readyz turns 503 when no cycle can complete (SOAR down), /healthz stays 200, and both recover', async () => {
    const port = await freePort();
    // 0.01 minutes: a cycle every 0.6 s, so "two intervals" pass quickly.
    h = await startHarness({ findings: 2, config: { aws_gd_regions: '^us-east-1$', aws_gd_health_port: String(port), aws_gd_polling_interval: '0.01' } });
    const outage = h.soar.addFault({ operations: ['GET /rest/session'], statuses: [503], errorRate: 1 });
    await runDaemon(h, port);
    const down = await until(async () => {
      const r = await get(port, '/readyz');
      return r.status === 503 ? r : undefined;
    }, '/readyz answering 503', HEALTH_WAIT);
    expect(JSON.parse(down.body)).toMatchObject({ status: 'no cycle has completed since the start', lastCycleCompleted: null });
    expect((await get(port, '/healthz')).status).toBe(200);
    // A cycle that could not even start (the SOAR session failed after its retries) counts as failed.
    await until(async () => sample((await get(port, '/metrics')).body, 'guardduty_soar_cycles_total', { outcome: 'failed' }), 'a failed cycle counted', HEALTH_WAIT);

    h.soar.removeFault(outage.id);
    const up = await until(async () => {
      const r = await get(port, '/readyz');
      return r.status === 200 ? r : undefined;
    }, '/readyz answering 200 again', HEALTH_WAIT);
    expect(JSON.parse(up.body)).toMatchObject({ status: 'ok', lastCycleOk: true });
  });

  it('aws_gd_regions matching no region: an error naming the regions and the fix at every cycle, each counted failed, and /readyz 503 with the reason', async () => {
    const port = await freePort();
    h = await startHarness({ findings: 2, config: { aws_gd_regions: '^mars-', aws_gd_health_port: String(port), aws_gd_polling_interval: '0.01' } });
    const d = await runDaemon(h, port);
    const errors = (): Record<string, unknown>[] => d.lines().filter((l) => l.level === 'error' && l.message === 'No enabled AWS region matches aws_gd_regions; nothing is polled');
    // Every cycle, not only the first (regions are rediscovered once an hour).
    await d.waitFor(() => errors().length >= 2);
    expect(errors()[1]).toMatchObject({ pattern: '^mars-', account: '123456789012', fix: expect.stringMatching(/^Widen aws_gd_regions /) });
    expect(errors()[1]?.enabledRegions).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1']));
    const ready = await get(port, '/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toMatchObject({
      status: 'not ready: nothing is polled',
      reason: expect.stringMatching(/^aws_gd_regions \/\^mars-\/ matches none of the \d+ regions enabled for these credentials \(account 123456789012, DescribeRegions in us-east-1\): .*us-east-1.*; nothing was polled\. Fix: Widen aws_gd_regions/),
    });
    expect((await get(port, '/healthz')).status).toBe(200);
    expect(sample((await get(port, '/metrics')).body, 'guardduty_soar_cycles_total', { outcome: 'failed' })).toBeGreaterThanOrEqual(2);
    expect(h.incidents()).toEqual([]);
  });

  it('with polling off, the daemon serves health and reports ready', async () => {
    const port = await freePort();
    h = await startHarness({ findings: 0, config: { aws_gd_health_port: String(port), aws_gd_polling_interval: '0' } });
    await runDaemon(h, port);
    // Beside polling, /readyz shows the SOAR functions listener (it never fails readiness).
    expect(JSON.parse((await get(port, '/readyz')).body)).toMatchObject({ status: 'ok', polling: 'disabled', functions: { status: expect.any(String) } });
    expect((await get(port, '/healthz')).status).toBe(200);
  });

  it('a health port already in use stops the start with a clear message', async () => {
    const port = await freePort();
    h = await startHarness({ findings: 0, config: { aws_gd_health_port: String(port) } });
    const first = await runDaemon(h, port);
    h.configure({ aws_gd_db_path: `${h.dbPath}.second` });
    const second = await h.cli(['run', '--config', h.configPath, '--health-host', '127.0.0.1']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`Cannot listen on aws_gd_health_port ${port}`);
    expect(second.stderr).toContain('EADDRINUSE');
    first.signal('SIGTERM');
    expect((await first.exited).code).toBe(0);
  });
});

describe('guardduty-soar healthcheck (the container HEALTHCHECK)', () => {
  it('exits 0 while the daemon is healthy, 1 once it is gone, and 0 when health is off', async () => {
    const port = await freePort();
    h = await startHarness({ findings: 0, config: { aws_gd_health_port: String(port) } });
    const d = await runDaemon(h, port);
    const healthy = await h.cli(['healthcheck', '--config', h.configPath]);
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toContain(`healthy: http://127.0.0.1:${port}/healthz`);
    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
    const gone = await h.cli(['healthcheck', '--config', h.configPath]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('ECONNREFUSED');
    h.configure({ aws_gd_health_port: 'off' });
    const off = await h.cli(['healthcheck', '--config', h.configPath]);
    expect(off.code).toBe(0);
    expect(off.stdout).toContain('health endpoints are off');
  });

  it('a configuration that cannot be read is unhealthy (exit 1, which Docker reads as unhealthy)', async () => {
    h = await startHarness({ findings: 0 });
    h.configure({ aws_gd_health_port: 'ninety' });
    const bad = await h.cli(['healthcheck', '--config', h.configPath]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('aws_gd_health_port');
  });
});
