import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenerSnapshot } from './listener-state.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from './metrics.js';

export interface HealthState {
  /** Epoch ms of the scheduler's last tick (it ticks every second while alive). */
  lastTickAt(): number | undefined;
  /**
   * Epoch ms when the last cycle ran to its end (some regions may have failed: that is for the
   * metrics and the logs), undefined before. A cycle that could not start (SOAR or AWS unreachable,
   * credentials refused) does not count.
   */
  lastCompletedAt(): number | undefined;
  /** Whether that cycle had no failure at all. */
  lastCompletedOk(): boolean | undefined;
  /** True once SIGTERM arrived: the process is going away. */
  stopping(): boolean;
  /** Why cycles run but can do nothing until the operator acts (aws_gd_regions matches no region). */
  notReadyReason?: () => string | undefined;
  /** When the process started (readiness grace before the first cycle ends). */
  startedAt: number;
  /** Milliseconds between cycles; 0 when polling is disabled. */
  intervalMs: number;
  now(): number;
  /** The SOAR functions listener, when `run` has one. */
  functions?: () => ListenerSnapshot;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/** The scheduler ticks every second; this long without a tick means the event loop or the scheduler died. */
export const LIVENESS_WINDOW_MS = 30_000;

/**
 * `/healthz`: the scheduler is alive (ticked within the last 30 s). `/readyz`: a cycle ran to its end
 * within the last two polling intervals. `/metrics`: Prometheus text. GET and HEAD only.
 */
export async function startHealthServer(options: { host: string; port: number; state: HealthState; metrics: Metrics; logger: Logger }): Promise<HealthServer> {
  const { state, metrics, logger } = options;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://health');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
    if (url.pathname === '/healthz') return send(res, ...liveness(state));
    if (url.pathname === '/readyz') return send(res, ...readiness(state));
    if (url.pathname === '/metrics') {
      metrics.text().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(req.method === 'HEAD' ? undefined : text);
        },
        (err: unknown) => send(res, 500, { error: String(err) }),
      );
      return;
    }
    send(res, 404, { error: 'not found', paths: ['/healthz', '/readyz', '/metrics'] });
  });
  // Probes must never keep a stopping daemon alive.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  logger.info('Health endpoints listening', { host: options.host, port, paths: ['/healthz', '/readyz', '/metrics'] });
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function liveness(state: HealthState): [number, Record<string, unknown>] {
  const tick = state.lastTickAt();
  const age = tick === undefined ? undefined : state.now() - tick;
  const ok = age !== undefined && age < LIVENESS_WINDOW_MS;
  return [ok ? 200 : 503, { status: ok ? 'ok' : 'scheduler not ticking', lastTickSecondsAgo: age === undefined ? null : Math.round(age / 1000) }];
}

/**
 * Readiness is about polling. The functions listener's state is shown beside it but never fails the
 * probe: a lost STOMP connection does not stop polling, and an orchestrator restarting a daemon
 * whose polling works would only interrupt it while the listener reconnects by itself anyway.
 */
export function readiness(state: HealthState): [number, Record<string, unknown>] {
  const [code, body] = pollingReadiness(state);
  const snapshot = state.functions?.();
  return snapshot ? [code, { ...body, functions: describeListener(snapshot) }] : [code, body];
}

function describeListener(s: ListenerSnapshot): Record<string, unknown> {
  const since = new Date(s.since).toISOString();
  switch (s.status) {
    case 'disabled':
      return { status: 'disabled' };
    case 'framework-off':
      return { status: 'framework-off', since };
    case 'connected':
      return { status: 'connected', since, destination: s.destination, inFlight: s.inFlight, reconnects: s.reconnects };
    case 'reconnecting':
      return { status: 'reconnecting', since, lastError: s.lastError ?? null, reconnects: s.reconnects, nextAttempt: iso(s.nextAttemptAt) };
    case 'refused':
      // The broker answered with an ERROR frame (a login or subscription it does not allow): what it said and the fix.
      return {
        status: 'refused', since, stage: s.refusal?.stage ?? null, destination: s.destination, error: s.refusal?.error ?? s.lastError ?? null,
        fix: s.refusal?.fix ?? null, reconnects: s.reconnects, nextAttempt: iso(s.nextAttemptAt),
      };
    default:
      return { status: s.status, since };
  }
}

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

function pollingReadiness(state: HealthState): [number, Record<string, unknown>] {
  const now = state.now();
  const last = state.lastCompletedAt();
  const lastCycle = {
    lastCycleCompleted: last === undefined ? null : new Date(last).toISOString(),
    lastCycleOk: state.lastCompletedOk() ?? null,
  };
  if (state.stopping()) return [503, { status: 'stopping', ...lastCycle }];
  if (state.intervalMs <= 0) return [200, { status: 'ok', polling: 'disabled' }];
  // Cycles complete, so the window alone would call this ready; but they poll nothing.
  const reason = state.notReadyReason?.();
  if (reason) return [503, { status: 'not ready: nothing is polled', reason, ...lastCycle }];
  const window = 2 * state.intervalMs;
  const windowSeconds = window / 1000;
  if (last === undefined) {
    const ok = now - state.startedAt < window;
    return [ok ? 200 : 503, { status: ok ? 'starting' : 'no cycle has completed since the start', windowSeconds, ...lastCycle }];
  }
  const ok = now - last <= window;
  return [ok ? 200 : 503, { status: ok ? 'ok' : 'the last completed cycle is older than two polling intervals', windowSeconds, ...lastCycle }];
}

function send(res: http.ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : `${JSON.stringify(body)}\n`);
}
