import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/commands/run.js';
import { statusCommand } from '../../../src/commands/status.js';
import { freePort } from '../../helpers/daemon-process.js';
import { sample } from '../../helpers/metrics-sample.js';
import { ManualClock } from '../../helpers/manual-clock.js';
import { createTestCa } from '../../helpers/test-ca.js';
import { until } from '../../helpers/wait.js';
import { logLines, startHarness, type Harness } from '../../helpers/harness.js';
import { startListenerWorld, stopListenerWorld } from '../support/listener-world.js';

/**
 * The functions listener and what SOAR's broker (ActiveMQ) does to it, on the SOAR emulator's broker:
 * a subscription refused on a connection left open, the backoff of the retries, late keep-alives.
 * The same listener meets the real ActiveMQ in activemq.test.ts.
 */

const DESTINATION = 'actions.201.fn_aws_gd';
const OUTSIDER = { id: 'outsider-key', secret: 'outsider-secret' };

let h: Harness | undefined;
afterEach(async () => {
  await stopListenerWorld();
  await h?.close();
  h = undefined;
});

const refusals = (log: Record<string, unknown>[]): Record<string, unknown>[] =>
  log.filter((l) => l.level === 'error' && String(l.message).startsWith(`SOAR's broker refused the subscription to ${DESTINATION}`));

describe('a subscription SOAR\'s broker refuses', () => {
  it('is never called serving: the ERROR is logged with the fix, the connection closed and retried, and /readyz, status and /metrics show it', async () => {
    const port = await freePort();
    // setup makes demo-key a user of fn_aws_gd; the daemon then runs with a key that is not one.
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$', aws_gd_health_port: String(port) }, soar: { apiKeys: [{ id: 'demo-key', secret: 'demo-secret' }, OUTSIDER] } });
    h.configure({ 'resilient.api_key_id': OUTSIDER.id, 'resilient.api_key_secret': OUTSIDER.secret });
    const io = h.io();
    let stop: (signal: string) => void = () => undefined;
    const running = runCommand(io, { config: h.configPath, healthHost: '127.0.0.1', signals: { onStop: (fn) => (stop = fn) } });
    await until(() => refusals(logLines(io.out())).length >= 2, 'two refused attempts');
    const log = logLines(io.out());

    expect(log.some((l) => l.message === 'Serving SOAR functions')).toBe(false);
    const [first] = refusals(log);
    expect(first).toMatchObject({
      error: `User ${OUTSIDER.id} is not authorized to read from: queue://${DESTINATION}`,
      fix: expect.stringMatching(/^Make "outsider-key" a user of the message destination fn_aws_gd: run "guardduty-soar setup"/),
      retryInMs: expect.any(Number),
    });
    // Closed after the ERROR, not left open beside the next attempt (ActiveMQ, like the emulator, would keep it).
    expect(h.soar.stompConnections().length).toBeLessThanOrEqual(1);

    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { functions: unknown }).functions).toMatchObject({
      status: 'refused', stage: 'subscription', destination: DESTINATION,
      error: `User ${OUTSIDER.id} is not authorized to read from: queue://${DESTINATION}`, fix: expect.stringContaining('guardduty-soar setup'),
      reconnects: expect.any(Number), nextAttempt: expect.any(String),
    });

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(sample(metrics, 'guardduty_soar_functions_listener_state', { state: 'refused' })).toBe(1);
    expect(sample(metrics, 'guardduty_soar_functions_listener_state', { state: 'connected' })).toBe(0);
    expect(sample(metrics, 'guardduty_soar_stomp_connected')).toBe(0);
    expect(sample(metrics, 'guardduty_soar_stomp_refusals_total', { stage: 'subscription' })).toBeGreaterThanOrEqual(2);

    const statusIo = h.io();
    expect(statusCommand(statusIo, { config: h.configPath })).toBe(0);
    expect(statusIo.out()).toMatch(new RegExp(`listener refused since \\S+, \\d+ reconnects; last error: User outsider-key is not authorized to read from: queue://${DESTINATION}\\n {2}fix: Make "outsider-key" a user of the message destination fn_aws_gd`));

    stop('SIGTERM');
    expect(await running).toBe(0);
  });

  it('run before setup: the refused attempts back off from 1 s to 60 s, at most 7 in the first 50 s (not 71), and each is logged with its wait', async () => {
    // No setup: fn_aws_gd does not exist yet, so every SUBSCRIBE is refused. The listener's clock is
    // manual: each attempt is a real connection, each wait between attempts is fired by the test.
    const clock = new ManualClock();
    const s = await startListenerWorld({ harness: { setup: false }, clock });
    const waits: number[] = [];
    const start = clock.now();
    while (clock.now() - start < 50_000) {
      await until(() => refusals(s.log()).length === waits.length + 1 && clock.pending().length === 1, `refused attempt ${waits.length + 1}`);
      waits.push(clock.fireNext());
    }
    // Attempts begun in the first 50 s: one at 0, one after each wait but the last (which ends past 50 s).
    expect(waits.length).toBeLessThanOrEqual(7);
    // Each wait is at least the one before (the jitter keeps every doubling within [½, 1] of it), up to the minute.
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1] ?? 0);
    expect(waits[0]).toBeLessThanOrEqual(1_000);
    expect(Math.max(...waits)).toBeLessThanOrEqual(60_000);
    expect(refusals(s.log()).slice(0, waits.length).map((l) => l.retryInMs)).toEqual(waits);
    expect(s.log().some((l) => l.message === 'Serving SOAR functions')).toBe(false);
    await until(() => refusals(s.log()).length === waits.length + 1, 'the attempt after the last wait refused too');
    expect(s.listener.state()).toMatchObject({ status: 'refused', reconnects: waits.length + 1, refusal: { stage: 'subscription' } });

    // setup creates fn_aws_gd with the key as a user: the next attempt is served, and only then is the backoff reset.
    expect((await s.h.setup()).code).toBe(0);
    clock.fireNext();
    await until(() => s.listener.state().status === 'connected', 'served after setup');
    expect(s.log().filter((l) => l.message === 'Serving SOAR functions')).toHaveLength(1);
    expect(s.listener.state()).toMatchObject({ lastError: undefined, refusal: undefined });
  });

  it('a login SOAR\'s broker refuses is logged at error level with the fix, and backs off too', async () => {
    const clock = new ManualClock();
    const s = await startListenerWorld({ clock, extra: { credentials: { login: 'demo-key', passcode: 'not-the-secret' } } });
    const logins = (): Record<string, unknown>[] => s.log().filter((l) => l.level === 'error' && String(l.message).startsWith('SOAR\'s broker refused the STOMP login'));
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      await until(() => logins().length === i + 1 && clock.pending().length === 1, `refused login ${i + 1}`);
      waits.push(clock.fireNext());
    }
    expect(logins()[0]).toMatchObject({ error: 'User name [demo-key] or password is invalid.', fix: expect.stringContaining('api_key_id and api_key_secret') });
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1] ?? 0);
    expect(s.listener.state()).toMatchObject({ status: 'refused', refusal: { stage: 'login' } });
  });
});

describe('a broker that never answers the SUBSCRIBE', () => {
  it('is not called serving: after stomp_timeout without a receipt the attempt ends, the connection is cut and made again', async () => {
    // A TLS "broker" that answers CONNECT and ignores everything else (neither RECEIPT nor ERROR).
    const ca = createTestCa();
    const frames: string[] = [];
    const server = tls.createServer({ key: ca.key, cert: ca.cert }, (socket) => {
      socket.on('data', (chunk: Buffer) => {
        frames.push(chunk.toString().split('\n')[0] ?? '');
        if (chunk.toString().startsWith('CONNECT')) socket.write('CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0');
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const clock = new ManualClock();
      const s = await startListenerWorld({
        clock, config: { 'resilient.stomp_port': String((server.address() as AddressInfo).port), 'resilient.stomp_cafile': ca.caFile, 'resilient.stomp_timeout': '20' },
      });
      // The only sleep while it waits is the receipt's: stomp_timeout.
      await until(() => frames.includes('SUBSCRIBE') && clock.pending().includes(20_000), 'waiting for the receipt');
      expect(s.listener.state().status).toBe('starting');
      clock.fireNext();
      await until(() => s.listener.state().status === 'reconnecting', 'the attempt given up');
      expect(s.log().find((l) => String(l.message).startsWith('STOMP connection to SOAR failed'))).toMatchObject({
        level: 'warn', error: `SOAR's broker did not confirm the subscription to ${DESTINATION} within 20 s (stomp_timeout)`,
      });
      expect(s.log().some((l) => l.message === 'Serving SOAR functions')).toBe(false);
      expect(sample(await s.app.metrics.text(), 'guardduty_soar_stomp_connected')).toBe(0);
    } finally {
      await stopListenerWorld();
      await new Promise((resolve) => server.close(resolve));
      ca.cleanup();
    }
  });
});

describe('heart-beats', () => {
  it('keep-alives 2.4 intervals apart (SOAR\'s ActiveMQ leaves almost 2 after traffic; late ones more) do not drop the connection', async () => {
    // The broker promises 500 ms (what the listener asks for) and sends a keep-alive every 1200 ms.
    const s = await startListenerWorld({ harness: { soar: { stompHeartbeatMs: 50 } }, extra: { heartbeatMs: 500 }, before: (hh) => hh.soar.setStompFaults({ keepAliveEveryMs: 1_200 }) });
    await until(() => s.listener.state().status === 'connected', 'served');
    expect(s.h.soar.stompConnections()[0]?.heartbeatMs).toBe(500);
    // Five silences of 2.4 intervals: a tolerance of 2 (stomp.js' default) drops the connection within two or three.
    await until(() => (s.h.soar.stompConnections()[0]?.keepAlives ?? 0) >= 5 || s.listener.state().reconnects > 0, 'five late keep-alives', { timeoutMs: 20_000 });
    expect(s.listener.state()).toMatchObject({ status: 'connected', reconnects: 0 });
    expect(s.log().filter((l) => String(l.message).startsWith('STOMP connection to SOAR lost'))).toEqual([]);
    expect(sample(await s.app.metrics.text(), 'guardduty_soar_stomp_reconnects_total')).toBe(0);
  });

  it('a broker silent for more than 3 intervals is declared gone: the connection is cut and made again, saying why', async () => {
    // Keep-alives far apart: the read side's tolerance (3 × 200 ms, checked every 200 ms) runs out.
    const s = await startListenerWorld({
      harness: { soar: { stompHeartbeatMs: 50 } }, extra: { heartbeatMs: 200, backoff: { initialMs: 50, maxMs: 100 } },
      before: (hh) => hh.soar.setStompFaults({ keepAliveEveryMs: 60_000 }),
    });
    await until(() => s.listener.state().reconnects > 0, 'the silence noticed');
    expect(s.log().find((l) => String(l.message).startsWith('STOMP connection to SOAR lost'))).toMatchObject({
      level: 'warn', error: 'no heart-beat or data from SOAR\'s broker for more than 0.6 s (3 × its 0.2 s heart-beat)',
    });
  });
});
