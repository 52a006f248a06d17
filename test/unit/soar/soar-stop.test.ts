import { Writable } from 'node:stream';
import winston from 'winston';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { isAbandoned } from '../../../src/core/errors.js';
import { createSoarClient } from '../../../src/soar/soar-client.js';
import type { ApiCallEvent } from '../../../src/util/api-observer.js';
import { CallGate } from '../../../src/util/call-gate.js';
import { useHttpMock } from '../../helpers/http-mock.js';
import { until } from '../../helpers/wait.js';
import { BASE, ORG, expectSession, ibmError, incident, soarConfig } from './fixtures.js';

/**
 * A stopping daemon closes its CallGate at the shutdown deadline: the SOAR client's retry loop must
 * neither wait out its backoff nor send again, and a request in flight is given up when the gate is
 * cut. The http mock fails the test on any request not mocked, i.e. on a re-send.
 */

const http = useHttpMock();

/** A clock whose sleeps last until they are aborted: a backoff that would outlive any deadline. */
function endlessSleepClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.UTC(2026, 0, 1),
    sleep: (ms, signal) => {
      sleeps.push(ms);
      return new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
    },
  };
}

function client(gate: CallGate, clock: Clock): { client: ReturnType<typeof createSoarClient>; warnings: string[]; calls: ApiCallEvent[] } {
  const warnings: string[] = [];
  const logger = winston.createLogger({
    level: 'debug',
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream: new Writable({ write: (chunk: Buffer, _e, done) => { warnings.push(chunk.toString()); done(); } }), level: 'warn' })],
  });
  const calls: ApiCallEvent[] = [];
  return { client: createSoarClient(soarConfig(), { clock, logger, observer: { onCall: (e) => calls.push(e) }, random: () => 0.999, gate }), warnings, calls };
}

describe('the SOAR client of a stopping daemon', () => {
  it('ends a retry backoff when the gate closes and does not send the request again', async () => {
    const scope = http.origin(BASE);
    expectSession(scope);
    // One 503; a second attempt would find no mock and fail the test.
    scope.get(`${ORG}/incidents/7`).query(true).reply(503, ibmError('Service Unavailable'));
    const gate = new CallGate();
    const clock = endlessSleepClock();
    const soar = client(gate, clock);

    const pending = soar.client.incidents.getIncident(7).then(() => undefined, (e: unknown) => e);
    await until(() => clock.sleeps.length > 0, 'the retry\'s sleep', { timeoutMs: 1_000, everyMs: 5 });
    expect(clock.sleeps).toEqual([499]);
    const warningsAtHalt = soar.warnings.length;
    gate.halt();
    const err = await pending;

    expect(isAbandoned(err)).toBe(true);
    // One "retrying" warning before the gate closed, none after; and no SOAR failure reported for it.
    expect(warningsAtHalt).toBe(1);
    expect(soar.warnings).toHaveLength(1);
    expect(soar.calls.filter((c) => c.operation === 'GET /incidents/{id}')).toEqual([]);
  });

  it('makes no call at all once the gate is closed', async () => {
    const gate = new CallGate();
    gate.halt();
    const soar = client(gate, endlessSleepClock());
    const err = await soar.client.incidents.getIncident(7).then(() => undefined, (e: unknown) => e);
    expect(isAbandoned(err)).toBe(true);
  });

  it('gives up a request in flight when the gate is cut', async () => {
    const scope = http.origin(BASE);
    expectSession(scope);
    scope.get(`${ORG}/incidents/7`).query(true).delay(60_000).reply(200, incident({ id: 7 }));
    const gate = new CallGate();
    const soar = client(gate, endlessSleepClock());
    await soar.client.session.connect();

    const pending = soar.client.incidents.getIncident(7).then(() => undefined, (e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    gate.cut();
    const err = await pending;

    expect(isAbandoned(err)).toBe(true);
    expect(soar.warnings).toEqual([]);
  });
});
