import http from 'node:http';
import { ConfigError, errorMessage } from '../core/errors.js';
import { readAppConfig, type Io } from '../app/app.js';

export interface HealthcheckOptions {
  config?: string | undefined;
  /** Where the daemon's health endpoints listen; the container's own loopback by default. */
  host?: string | undefined;
  timeoutMs?: number | undefined;
}

/**
 * `guardduty-soar healthcheck`: the container's HEALTHCHECK. Reads `aws_gd_health_port` from the
 * configuration and GETs `/healthz` on this machine: exit 0 when the daemon answers 200, or when the
 * health endpoints are off (nothing to probe: the container is then judged by its process alone);
 * exit 1 otherwise, which is what Docker reads as unhealthy. It opens no database and calls no
 * service, so it is cheap enough to run every 30 seconds.
 */
export async function healthcheckCommand(io: Io, options: HealthcheckOptions): Promise<number> {
  let port: number | undefined;
  try {
    port = readAppConfig(io, options.config).healthPort;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`unhealthy: ${err.message}\n`);
    return 1;
  }
  if (port === undefined) {
    io.stdout.write('healthy: health endpoints are off (aws_gd_health_port), nothing to probe\n');
    return 0;
  }
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/healthz`;
  try {
    const { status, body } = await get(url, options.timeoutMs ?? 5_000);
    if (status === 200) {
      io.stdout.write(`healthy: ${url} ${body.trim()}\n`);
      return 0;
    }
    io.stderr.write(`unhealthy: ${url} answered ${status} ${body.trim()}\n`);
    return 1;
  } catch (err) {
    io.stderr.write(`unhealthy: ${url}: ${errorMessage(err)}\n`);
    return 1;
  }
}

function get(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk.slice(0, 1000)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
