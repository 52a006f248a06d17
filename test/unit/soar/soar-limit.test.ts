import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../../src/logging/logger.js';
import { createSoarClient } from '../../../src/soar/soar-client.js';
import { SOAR_LIMIT_META, createSoarLimit, readSoarLimit, type SoarLimit } from '../../../src/soar/soar-limit.js';
import type { ApiCallEvent } from '../../../src/util/api-observer.js';
import { urgently } from '../../../src/util/urgency.js';
import { useHttpMock } from '../../helpers/http-mock.js';
import { BASE, ORG, expectSession, fakeClock, ibmError, incident, soarConfig } from './fixtures.js';

const http = useHttpMock();

function limited(range: { min: number; max: number }, logger = silentLogger()): {
  client: ReturnType<typeof createSoarClient>; limit: SoarLimit; clock: ReturnType<typeof fakeClock>; calls: ApiCallEvent[];
} {
  const clock = fakeClock();
  const calls: ApiCallEvent[] = [];
  const limit = createSoarLimit(range, { clock, logger });
  const client = createSoarClient(soarConfig(), { clock, logger, observer: { onCall: (e) => calls.push(e) }, random: () => 0.999, limit: limit.limit });
  return { client, limit, clock, calls };
}

/** GETs of incidents `ids` that SOAR answers only when the test says so; `arrived` lists them in arrival order. */
function heldIncidents(ids: number[]): { arrived: number[]; answer: (id: number) => void } {
  const scope = http.origin(BASE);
  const waiting = new Map<number, () => void>();
  const arrived: number[] = [];
  for (const id of ids) {
    scope.get(`${ORG}/incidents/${id}`).query(true).reply((_uri, _body, callback) => {
      arrived.push(id);
      waiting.set(id, () => callback(null, [200, incident({ id })]));
    });
  }
  return { arrived, answer: (id) => waiting.get(id)?.() };
}

async function until(check: () => boolean): Promise<void> {
  // A hang guard, not a timing: an answer travels through nock's stream and axios in a few turns.
  for (let i = 0; i < 1_000 && !check(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(check()).toBe(true);
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe('SOAR requests under the adaptive concurrency', () => {
  it('holds each request to a slot: at a pinned concurrency of 2, the third waits until one is answered', async () => {
    expectSession(http.origin(BASE));
    const { client } = limited({ min: 2, max: 2 });
    await client.session.connect();
    const soar = heldIncidents([1, 2, 3]);
    const reads = [1, 2, 3].map((id) => client.incidents.getIncident(id));
    await until(() => soar.arrived.length === 2);
    await settle();
    expect(soar.arrived).toEqual([1, 2]);
    soar.answer(1);
    await until(() => soar.arrived.length === 3);
    soar.answer(2);
    soar.answer(3);
    expect((await Promise.all(reads)).map((i) => i?.id)).toEqual([1, 2, 3]);
  });

  it('a SOAR function\'s requests go before the cycle\'s that were waiting longer', async () => {
    expectSession(http.origin(BASE));
    const { client } = limited({ min: 1, max: 1 });
    await client.session.connect();
    const soar = heldIncidents([1, 2, 3, 9]);
    const first = client.incidents.getIncident(1);
    await until(() => soar.arrived.length === 1);
    const cycle = [client.incidents.getIncident(2), client.incidents.getIncident(3)];
    const fn = urgently((id: number) => client.incidents.getIncident(id))(9);
    for (const id of [1, 9, 2, 3]) {
      await until(() => soar.arrived.includes(id));
      soar.answer(id);
    }
    await Promise.all([first, fn, ...cycle]);
    expect(soar.arrived).toEqual([1, 9, 2, 3]);
  });

  it('a 429 cuts the concurrency and is retried once, after its Retry-After: the only wait (one retry layer)', async () => {
    const scope = http.origin(BASE);
    expectSession(scope);
    scope.get(`${ORG}/incidents/7`).query(true).reply(429, ibmError('Too many requests'), { 'Retry-After': '3' });
    scope.get(`${ORG}/incidents/7`).query(true).reply(200, incident({ id: 7 }));
    const { client, limit, clock, calls } = limited({ min: 1, max: 16 });

    expect((await client.incidents.getIncident(7))?.id).toBe(7);

    expect(clock.sleeps).toEqual([3_000]);
    expect(calls.at(-1)).toMatchObject({ operation: 'GET /incidents/{id}', ok: true, attempts: 2, throttleRetries: 1 });
    expect(limit.limit.state()).toMatchObject({ throttled: 1, cuts: 1 });
    expect(limit.limit.limit).toBeLessThan(4);
  });

  it('a 503 counts as throttling too; a 500 does not', async () => {
    const scope = http.origin(BASE);
    expectSession(scope);
    scope.get(`${ORG}/incidents/7`).query(true).reply(500, ibmError('Internal Server Error'));
    scope.get(`${ORG}/incidents/7`).query(true).reply(503, ibmError('Service Unavailable'));
    scope.get(`${ORG}/incidents/7`).query(true).reply(200, incident({ id: 7 }));
    const { client, limit } = limited({ min: 1, max: 16 });
    await client.incidents.getIncident(7);
    expect(limit.limit.state()).toMatchObject({ throttled: 1 });
  });
});

describe('createSoarLimit: what operators see', () => {
  it('logs each cut, and keeps its latest state where `status` reads it (only once recording)', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({ write: (chunk: Buffer, _enc, done) => { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
    const logger = createLogger({ level: 'info', format: 'json', stream });
    const clock = fakeClock();
    const soarLimit = createSoarLimit({ min: 1, max: 16 }, { clock, logger });
    const meta = new Map<string, string>();
    const store = { setMeta: (k: string, v: string) => void meta.set(k, v), getMeta: (k: string) => meta.get(k) };

    const before = await soarLimit.limit.acquire();
    before?.release({ kind: 'throttled', retryAfterMs: 2_000 });
    expect(meta.size).toBe(0);

    soarLimit.recordIn(store);
    expect(readSoarLimit(store)).toMatchObject({ limit: 1, min: 1, max: 16, cuts: 1, throttled: 1, lastCut: { from: 4, to: 1, reason: 'throttled', retryAfterMs: 2_000 } });
    clock.sleeps.length = 0;
    const permits = await Promise.all([soarLimit.limit.acquire()]);
    permits[0]?.release({ kind: 'throttled' });
    expect(readSoarLimit(store)).toMatchObject({ throttled: 2 });
    expect(meta.has(SOAR_LIMIT_META)).toBe(true);

    await new Promise((r) => setImmediate(r));
    expect(lines.filter((l) => l.message === 'SOAR is throttling: concurrency cut')).toEqual([
      expect.objectContaining({ level: 'info', from: 4, to: 1, floor: 1, ceiling: 16, retryAfterMs: 2_000 }),
    ]);
  });
});
