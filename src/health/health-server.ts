import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from './metrics.js';

export interface HealthState {
  /** Epoch ms of the scheduler's last tick (it ticks every second while alive). */
  lastTickAt(): number | undefined;
  /** Epoch ms when the last cycle finished successfully, undefined before. */
  lastSuccessAt(): number | undefined;
  /** When the process started (readiness grace before the first cycle ends). */
  startedAt: number;
  /** Milliseconds between cycles; 0 when polling is disabled. */
  intervalMs: number;
  now(): number;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * `/healthz`: the scheduler is alive (ticked within the last 30 s). `/readyz`: the last cycle finished
 * within two intervals. `/metrics`: Prometheus text.
 */
export async function startHealthServer(options: { host: string; port: number; state: HealthState; metrics: Metrics; logger: Logger }): Promise<HealthServer> {
  const { state, metrics, logger } = options;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://health');
    if (req.method !== 'GET') return send(res, 405, { error: 'method not allowed' });
    if (url.pathname === '/healthz') return send(res, ...liveness(state));
    if (url.pathname === '/readyz') return send(res, ...readiness(state));
    if (url.pathname === '/metrics') {
      metrics.text().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        },
        (err: unknown) => send(res, 500, { error: String(err) }),
      );
      return;
    }
    send(res, 404, { error: 'not found', paths: ['/healthz', '/readyz', '/metrics'] });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  logger.info('Health endpoints listening', { host: options.host, port });
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function liveness(state: HealthState): [number, Record<string, unknown>] {
  const tick = state.lastTickAt();
  const age = tick === undefined ? undefined : state.now() - tick;
  const ok = age !== undefined && age < 30_000;
  return [ok ? 200 : 503, { status: ok ? 'ok' : 'scheduler not ticking', lastTickSecondsAgo: age === undefined ? null : Math.round(age / 1000) }];
}

function readiness(state: HealthState): [number, Record<string, unknown>] {
  const now = state.now();
  if (state.intervalMs <= 0) return [200, { status: 'ok', polling: 'disabled' }];
  const window = 2 * state.intervalMs;
  const last = state.lastSuccessAt();
  if (last === undefined) {
    const ok = now - state.startedAt < window;
    return [ok ? 200 : 503, { status: ok ? 'starting' : 'no cycle has finished', lastSuccess: null }];
  }
  const ok = now - last <= window;
  return [ok ? 200 : 503, { status: ok ? 'ok' : 'last successful cycle is too old', lastSuccess: new Date(last).toISOString(), windowSeconds: window / 1000 }];
}

function send(res: http.ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(`${JSON.stringify(body)}\n`);
}
