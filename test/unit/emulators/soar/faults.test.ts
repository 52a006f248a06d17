import { afterEach, describe, expect, it } from 'vitest';
import type { SoarEmulator } from '../../../../emulators/soar/index.js';
import { incidentBody, startEmulator, type Api } from './soar-test-helpers.js';

const started: SoarEmulator[] = [];
async function start(options = {}): Promise<{ emu: SoarEmulator; api: Api }> {
  const result = await startEmulator(options);
  started.push(result.emu);
  return result;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

describe('SOAR emulator: faults and call counts', () => {
  it("'before' fails the call without processing it", async () => {
    const { emu, api } = await start();
    emu.failNext('POST /rest/orgs/{org}/incidents', 1, { statuses: [503] });
    const failed = await api('POST', '/incidents', incidentBody());
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ success: false, error_code: 'generic' });
    expect(emu.summary().incidents.total).toBe(0);
    expect((await api('POST', '/incidents', incidentBody())).status).toBe(200);
    expect(emu.callCount('POST /rest/orgs/{org}/incidents')).toBe(2);
  });

  it("'after' processes the call, then answers the error (an incident created but answered 500)", async () => {
    const { emu, api } = await start();
    emu.addFault({ operations: ['POST /rest/orgs/{org}/incidents'], failNext: 1, statuses: [500], mode: 'after' });
    const res = await api('POST', '/incidents', incidentBody({ name: 'created anyway' }));
    expect(res.status).toBe(500);
    expect(emu.listIncidents().map((i) => i.name)).toEqual(['created anyway']);
  });

  it('resets connections, before and after processing', async () => {
    const { emu, api } = await start();
    emu.failNext('POST /rest/orgs/{org}/incidents', 1, { reset: true, mode: 'after' });
    await expect(api('POST', '/incidents', incidentBody())).rejects.toThrow();
    expect(emu.summary().incidents.total).toBe(1);
    emu.addFault({ operations: ['GET /rest/orgs/{org}/incidents/{id}'], resetRate: 1 });
    await expect(api('GET', `/incidents/${emu.listIncidents()[0].id}`)).rejects.toThrow();
    const records = emu.calls().records;
    expect(records.map((r) => [r.operation, r.status])).toEqual([
      ['POST /rest/orgs/{org}/incidents', undefined],
      ['GET /rest/orgs/{org}/incidents/{id}', undefined],
    ]);
  });

  it('applies error rates only to the filtered operations, 429 with Retry-After', async () => {
    const { emu, api } = await start();
    const fault = emu.addFault({ operations: ['POST /rest/orgs/{org}/incidents'], errorRate: 1, statuses: [429] });
    const res = await api('POST', '/incidents', incidentBody());
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect((await api('GET', '/rest/session')).status).toBe(200);
    expect(emu.faults()).toEqual([expect.objectContaining({ id: fault.id, triggered: 1 })]);
    emu.clearFaults();
    expect((await api('POST', '/incidents', incidentBody())).status).toBe(200);
  });

  it('maxInFlight: refuses at once with 429 and its Retry-After what arrives above N concurrent requests', async () => {
    const { emu, api } = await start({ latencyMs: 200 });
    const fault = emu.addFault({ operations: ['POST /rest/orgs/{org}/incidents'], maxInFlight: 2, retryAfterSeconds: 3 });
    const sent = Date.now();
    const answers = await Promise.all([0, 1, 2].map(async (i) => {
      // One after another, so that the third arrives while the first two are being answered.
      await new Promise((r) => setTimeout(r, 40 * i));
      const res = await api('POST', '/incidents', incidentBody({ name: `n${i}` }));
      return { i, status: res.status, retryAfter: res.headers.get('retry-after'), ms: Date.now() - sent };
    }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(answers[2]).toMatchObject({ retryAfter: '3' });
    // Turned away on arrival, not after the 200 ms every answer takes.
    expect(answers[2]?.ms).toBeLessThan(answers[0]?.ms ?? 0);
    expect(emu.listIncidents().map((i) => i.name)).toEqual(['n0', 'n1']);
    expect(emu.faults()).toEqual([expect.objectContaining({ id: fault.id, triggered: 1 })]);
    // Once they are answered, the next one is let through.
    expect((await api('POST', '/incidents', incidentBody({ name: 'n3' }))).status).toBe(200);
  });

  it('maxInFlight rules can be set through the admin API', async () => {
    const { emu, api } = await start();
    const res = await api('POST', '/__admin/faults', { maxInFlight: 6, retryAfterSeconds: 1 });
    expect(res.status).toBe(200);
    expect(emu.faults()).toEqual([expect.objectContaining({ maxInFlight: 6, retryAfterSeconds: 1 })]);
  });

  it('is deterministic with the seed', async () => {
    const statuses = async (seed: number): Promise<number[]> => {
      const { emu, api } = await start({ seed });
      emu.addFault({ errorRate: 0.5 });
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push((await api('GET', '/rest/session')).status);
      return out;
    };
    const first = await statuses(42);
    expect(await statuses(42)).toEqual(first);
    expect(first.some((s) => s === 200)).toBe(true);
    expect(first.filter((s) => s !== 200).every((s) => [500, 502, 503, 429].includes(s))).toBe(true);
  });

  it('adds latency and counts calls by normalized operation until reset', async () => {
    const { emu, api } = await start({ latencyMs: 30 });
    const t0 = Date.now();
    const id = (await api('POST', '/incidents', incidentBody())).body.id;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    await api('PATCH', `/incidents/${id}`, { changes: [] });
    await api('POST', `/incidents/${id}/comments`, { text: 'n' });
    await api('GET', `/incidents/${id}`);
    await api('GET', `/incidents/${id}`);
    expect(emu.calls().counts).toEqual({
      'POST /rest/orgs/{org}/incidents': 1,
      'PATCH /rest/orgs/{org}/incidents/{id}': 1,
      'POST /rest/orgs/{org}/incidents/{id}/comments': 1,
      'GET /rest/orgs/{org}/incidents/{id}': 2,
    });
    emu.resetCalls();
    expect(emu.calls().counts).toEqual({});
  });
});
