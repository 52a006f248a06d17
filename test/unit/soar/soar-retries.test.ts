import { describe, expect, it } from 'vitest';
import { ExternalServiceError } from '../../../src/errors.js';
import { networkError, useHttpMock } from '../../helpers/http-mock.js';
import { BASE, ORG, expectSession, harness, ibmError, incident } from './fixtures.js';

const http = useHttpMock();

async function failure(promise: Promise<unknown>): Promise<ExternalServiceError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ExternalServiceError);
  return err as ExternalServiceError;
}

function soar(): ReturnType<typeof http.origin> {
  const scope = http.origin(BASE);
  expectSession(scope);
  return scope;
}

const payload = { name: 'AWS GuardDuty: Recon', discovered_date: 1_767_225_600_000, properties: { aws_guardduty_finding_id: 'f-1' } };

describe('idempotent calls are retried with backoff', () => {
  it('repeats a GET after a 500 and a connection reset, waiting with full-jitter exponential backoff', async () => {
    const scope = soar();
    const path = `${ORG}/incidents/2314`;
    scope.get(path).query(true).reply(500, ibmError('Internal Server Error'));
    scope.get(path).query(true).replyWithError(networkError('ECONNRESET', 'socket hang up'));
    scope.get(path).query(true).reply(200, incident());
    const { client, clock, calls } = harness();

    expect((await client.getIncident(2314))?.id).toBe(2314);

    // random() = 0.999 → just under the ceilings 500 ms and 1000 ms
    expect(clock.sleeps).toEqual([499, 999]);
    expect(calls.find((c) => c.operation === 'GET /incidents/{id}')).toMatchObject({
      service: 'soar', ok: true, status: 200, attempts: 3, throttleRetries: 0,
    });
  });

  it('honours Retry-After (seconds and HTTP date) on 429 and counts the throttling retries', async () => {
    const scope = soar();
    const { client, clock, calls } = harness();
    const inNineSeconds = new Date(clock.now() + 9_000).toUTCString();
    scope.post(`${ORG}/incidents/query_paged`).query(true).reply(429, ibmError('Too many requests'), { 'Retry-After': '3' });
    scope.post(`${ORG}/incidents/query_paged`).query(true).reply(429, '', { 'Retry-After': inNineSeconds });
    scope.post(`${ORG}/incidents/query_paged`).query(true).reply(200, { recordsTotal: 0, recordsFiltered: 0, data: [] });

    for await (const page of client.queryIncidents({ conditions: [] })) expect(page).toEqual([]);

    // The date is 9 s after the start, and the clock already moved 3 s during the first wait.
    expect(clock.sleeps).toEqual([3_000, 6_000]);
    expect(calls.at(-1)).toMatchObject({ operation: 'POST /incidents/query_paged', ok: true, attempts: 3, throttleRetries: 2 });
  });

  it('stops after 5 attempts with a retryable error that says what SOAR answered', async () => {
    const scope = soar();
    scope.get(`${ORG}/incidents/7`).query(true).times(5).reply(503, ibmError('Service Unavailable'));
    const { client, clock, calls } = harness();

    const err = await failure(client.getIncident(7));

    expect(err).toMatchObject({ service: 'soar', operation: 'GET /incidents/{id}', status: 503, code: 'generic', retryable: true });
    expect(err.message).toBe('GET /incidents/{id} failed: 503 Service Unavailable');
    expect(clock.sleeps).toEqual([499, 999, 1998, 3996]);
    expect(calls.at(-1)).toMatchObject({ ok: false, status: 503, code: 'generic', attempts: 5 });
  });

  it('repeats a PATCH after a timeout (a replay is checked against its old values)', async () => {
    const scope = soar();
    scope.patch(`${ORG}/incidents/7`).query(true).replyWithError(networkError('ETIMEDOUT', 'timeout of 5000ms exceeded'));
    scope.patch(`${ORG}/incidents/7`).query(true).reply(200, { success: true, title: null, message: null, hints: [] });
    const { client, clock } = harness();

    await client.patchIncident(7, [{ field: 'aws_guardduty_count', oldValue: '1', newValue: '2' }]);

    expect(clock.sleeps).toHaveLength(1);
  });

  it('does not retry a 4xx, and keeps headers (Basic auth) out of the error', async () => {
    const scope = soar();
    scope.get(`${ORG}/incidents/7`).query(true).reply(403, ibmError('User does not have permission to view incident'));
    const { client, clock } = harness();

    const err = await failure(client.getIncident(7));

    expect(err).toMatchObject({ status: 403, retryable: false });
    expect(err.message).toContain('User does not have permission to view incident');
    expect(clock.sleeps).toEqual([]);
    expect(err.cause).toEqual({
      method: 'GET',
      url: `${BASE}${ORG}/incidents/7?handle_format=names`,
      status: 403,
      body: JSON.stringify(ibmError('User does not have permission to view incident')),
    });
  });
});

describe('creates are never re-sent once they may have reached SOAR', () => {
  it('sends POST /incidents once on a 500 and surfaces a retryable error (the caller looks the finding up)', async () => {
    const scope = soar();
    scope.post(`${ORG}/incidents`, payload).query(true).once().reply(500, ibmError('Internal Server Error'));
    const { client, clock, calls } = harness();

    const err = await failure(client.createIncident(payload));

    expect(err).toMatchObject({ operation: 'POST /incidents', status: 500, retryable: true });
    expect(clock.sleeps).toEqual([]);
    expect(calls.at(-1)).toMatchObject({ operation: 'POST /incidents', ok: false, attempts: 1 });
  });

  it('sends a note once after a connection reset', async () => {
    const scope = soar();
    scope.post(`${ORG}/incidents/7/comments`).once().replyWithError(networkError('ECONNRESET', 'socket hang up'));
    const { client } = harness();

    const err = await failure(client.addNote(7, { format: 'text', content: 'x' }));

    expect(err).toMatchObject({ operation: 'POST /incidents/{id}/comments', code: 'ECONNRESET', retryable: true });
    expect(err.message).toBe('POST /incidents/{id}/comments failed: ECONNRESET socket hang up');
  });

  it('repeats a create after 429 or a refused connection: SOAR certainly did not process it', async () => {
    const scope = soar();
    scope.post(`${ORG}/incidents`).query(true).reply(429, '');
    scope.post(`${ORG}/incidents`).query(true).replyWithError(networkError('ECONNREFUSED', 'connect ECONNREFUSED'));
    scope.post(`${ORG}/incidents`, payload).query({ handle_format: 'names' }).reply(200, incident({ id: 99 }));
    const { client, calls } = harness();

    expect((await client.createIncident(payload)).id).toBe(99);
    expect(calls.at(-1)).toMatchObject({ attempts: 3, throttleRetries: 1 });
  });

  it('keeps SOAR\'s 400 message for the caller (e.g. fields required on close)', async () => {
    const scope = soar();
    const message = 'The following fields are required to close the incident: Resolution, Resolution Summary';
    scope.patch(`${ORG}/incidents/7`).query(true).reply(400, ibmError(message));
    const { client, clock } = harness();

    const err = await failure(client.patchIncident(7, [{ field: 'plan_status', oldValue: 'A', newValue: 'C' }]));

    expect(err).toMatchObject({ operation: 'PATCH /incidents/{id}', status: 400, retryable: false });
    expect(err.message).toBe(`PATCH /incidents/{id} failed: 400 ${message}`);
    expect(clock.sleeps).toEqual([]);
  });
});
