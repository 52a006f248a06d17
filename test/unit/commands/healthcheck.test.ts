import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { healthcheckCommand } from '../../../src/commands/healthcheck.js';
import type { Io } from '../../../src/app/app.js';
import { configText, sandbox } from '../config/config-fixture.js';

/** The HEALTHCHECK command against a stand-in health server on 127.0.0.1. */

let server: http.Server | undefined;
afterEach(async () => {
  if (server) await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

function io(cwd: string): Io & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]): Writable => new Writable({ write: (c: Buffer, _e, done) => { into.push(c.toString()); done(); } });
  return { env: {}, cwd, stdout: sink(out), stderr: sink(err), out: () => out.join(''), err: () => err.join('') };
}

async function healthServer(status: number, body: string): Promise<number> {
  server = http.createServer((req, res) => {
    res.writeHead(req.url === '/healthz' ? status : 404, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('healthcheck', () => {
  it('exits 0 when /healthz answers 200', async () => {
    const port = await healthServer(200, '{"status":"ok"}');
    const box = sandbox();
    const config = box.write('app.config', configText({ fn: { aws_gd_health_port: String(port) } }));
    const streams = io(box.dir);
    expect(await healthcheckCommand(streams, { config })).toBe(0);
    expect(streams.out()).toContain(`healthy: http://127.0.0.1:${port}/healthz {"status":"ok"}`);
  });

  it('exits 1 when /healthz answers 503, with the body', async () => {
    const port = await healthServer(503, '{"status":"scheduler not ticking"}');
    const box = sandbox();
    const config = box.write('app.config', configText({ fn: { aws_gd_health_port: String(port) } }));
    const streams = io(box.dir);
    expect(await healthcheckCommand(streams, { config })).toBe(1);
    expect(streams.err()).toContain('answered 503 {"status":"scheduler not ticking"}');
  });

  it('exits 1 when nothing listens, 0 when health is off', async () => {
    const port = await healthServer(200, '{}');
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    const box = sandbox();
    const on = box.write('on.config', configText({ fn: { aws_gd_health_port: String(port) } }));
    const down = io(box.dir);
    expect(await healthcheckCommand(down, { config: on })).toBe(1);
    expect(down.err()).toContain('ECONNREFUSED');
    const off = box.write('off.config', configText());
    const streams = io(box.dir);
    expect(await healthcheckCommand(streams, { config: off })).toBe(0);
    expect(streams.out()).toContain('health endpoints are off');
  });
});
