import { afterEach, describe, expect, it } from 'vitest';
import { liveness, readiness, startHealthServer, type HealthServer, type HealthState } from '../../../src/health/health-server.js';
import { Metrics } from '../../../src/health/metrics.js';
import { silentLogger } from '../../../src/logging/logger.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const MINUTE = 60_000;

/** A daemon ten minutes into its life, polling every 5 minutes, whose scheduler ticked a second ago. */
function state(over: Partial<{ tick: number | undefined; completed: number | undefined; ok: boolean | undefined; stopping: boolean; intervalMs: number; startedAt: number }> = {}): HealthState {
  const s = { tick: NOW - 1_000, completed: undefined, ok: undefined, stopping: false, intervalMs: 5 * MINUTE, startedAt: NOW - 10 * MINUTE, ...over };
  return {
    startedAt: s.startedAt, intervalMs: s.intervalMs, now: () => NOW,
    lastTickAt: () => s.tick, lastCompletedAt: () => s.completed, lastCompletedOk: () => s.ok, stopping: () => s.stopping,
  };
}

describe('liveness (/healthz): the scheduler ticks', () => {
  it('is 200 while the scheduler ticked within 30 s, 503 otherwise', () => {
    expect(liveness(state())[0]).toBe(200);
    expect(liveness(state({ tick: NOW - 29_000 }))[0]).toBe(200);
    expect(liveness(state({ tick: NOW - 31_000 }))).toEqual([503, { status: 'scheduler not ticking', lastTickSecondsAgo: 31 }]);
    expect(liveness(state({ tick: undefined }))[0]).toBe(503);
  });
});

describe('readiness (/readyz): a cycle completed within two polling intervals', () => {
  it('is 200 after a recent completed cycle, whether or not every region succeeded', () => {
    const [status, body] = readiness(state({ completed: NOW - 9 * MINUTE, ok: false }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', lastCycleOk: false, windowSeconds: 600, lastCycleCompleted: new Date(NOW - 9 * MINUTE).toISOString() });
  });

  it('is 503 with the reason while cycles complete but can poll nothing (aws_gd_regions matches no region)', () => {
    const reason = 'aws_gd_regions /^mars-/ matches none of the 17 regions enabled for these credentials (…); nothing was polled. Fix: Widen aws_gd_regions …';
    const s = { ...state({ completed: NOW - MINUTE, ok: false }), notReadyReason: () => reason };
    expect(readiness(s)).toEqual([503, expect.objectContaining({ status: 'not ready: nothing is polled', reason, lastCycleOk: false })]);
    expect(readiness({ ...s, notReadyReason: () => undefined })[0]).toBe(200);
  });

  it('is 503 when the last completed cycle is older than two intervals', () => {
    expect(readiness(state({ completed: NOW - 11 * MINUTE, ok: true }))[0]).toBe(503);
  });

  it('gives a new daemon two intervals to complete its first cycle', () => {
    expect(readiness(state({ startedAt: NOW - 9 * MINUTE }))).toEqual([200, expect.objectContaining({ status: 'starting' })]);
    expect(readiness(state({ startedAt: NOW - 11 * MINUTE }))).toEqual([503, expect.objectContaining({ status: 'no cycle has completed since the start' })]);
  });

  it('is 503 while stopping, and 200 when polling is off', () => {
    expect(readiness(state({ completed: NOW, ok: true, stopping: true }))[0]).toBe(503);
    expect(readiness(state({ intervalMs: 0 }))).toEqual([200, { status: 'ok', polling: 'disabled' }]);
  });
});

describe('the health server', () => {
  let server: HealthServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves GET and HEAD on the three paths, 405 for other methods, 404 elsewhere', async () => {
    const metrics = new Metrics({ processMetrics: false });
    metrics.cycleFinished(true, 1_500, NOW);
    server = await startHealthServer({ host: '127.0.0.1', port: 0, state: state({ completed: NOW, ok: true }), metrics, logger: silentLogger() });
    const base = `http://127.0.0.1:${server.port}`;
    const live = await fetch(`${base}/healthz`);
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toBe('application/json');
    const head = await fetch(`${base}/readyz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('guardduty_soar_cycles_total{outcome="ok"} 1');
    const post = await fetch(`${base}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const missing = await fetch(`${base}/status`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not found', paths: ['/healthz', '/readyz', '/metrics'] });
  });
});
