import { describe, expect, it } from 'vitest';
import { ExternalServiceError } from '../../../src/core/errors.js';
import type { IncidentLookup } from '../../../src/soar/case-system.js';
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

    expect((await client.incidents.getIncident(2314))?.id).toBe(2314);

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

    for await (const page of client.incidents.queryIncidents({ conditions: [] })) expect(page).toEqual([]);

    // The date is 9 s after the start, and the clock already moved 3 s during the first wait.
    expect(clock.sleeps).toEqual([3_000, 6_000]);
    expect(calls.at(-1)).toMatchObject({ operation: 'POST /incidents/query_paged', ok: true, attempts: 3, throttleRetries: 2 });
  });

  it('stops after 5 attempts with a retryable error that says what SOAR answered', async () => {
    const scope = soar();
    scope.get(`${ORG}/incidents/7`).query(true).times(5).reply(503, ibmError('Service Unavailable'));
    const { client, clock, calls } = harness();

    const err = await failure(client.incidents.getIncident(7));

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

    await client.incidents.patchIncident(7, [{ field: 'aws_guardduty_count', oldValue: '1', newValue: '2' }]);

    expect(clock.sleeps).toHaveLength(1);
  });

  it('does not retry a 4xx, and keeps headers (Basic auth) out of the error', async () => {
    const scope = soar();
    scope.get(`${ORG}/incidents/7`).query(true).reply(403, ibmError('User does not have permission to view incident'));
    const { client, clock } = harness();

    const err = await failure(client.incidents.getIncident(7));

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

    const err = await failure(client.incidents.createIncident(payload));

    expect(err).toMatchObject({ operation: 'POST /incidents', status: 500, retryable: true });
    expect(clock.sleeps).toEqual([]);
    expect(calls.at(-1)).toMatchObject({ operation: 'POST /incidents', ok: false, attempts: 1 });
  });

  it('sends a create once on a 429 when it has no lookup: a 429 may come after SOAR acted', async () => {
    const scope = soar();
    scope.post(`${ORG}/incidents`, payload).query(true).once().reply(429, ibmError('Too many requests'), { 'Retry-After': '1' });
    const { client, calls } = harness();

    const err = await failure(client.incidents.createIncident(payload));

    expect(err).toMatchObject({ operation: 'POST /incidents', status: 429, retryable: true });
    expect(calls.at(-1)).toMatchObject({ operation: 'POST /incidents', ok: false, attempts: 1 });
  });

  it('repeats a create at once after a refused connection: it never reached SOAR', async () => {
    const scope = soar();
    scope.post(`${ORG}/incidents`).query(true).replyWithError(networkError('ECONNREFUSED', 'connect ECONNREFUSED'));
    scope.post(`${ORG}/incidents`, payload).query({ handle_format: 'names' }).reply(200, incident({ id: 99 }));
    const { client, calls } = harness();

    expect((await client.incidents.createIncident(payload, byFindingId)).id).toBe(99);
    expect(calls.at(-1)).toMatchObject({ operation: 'POST /incidents', ok: true, attempts: 2 });
  });

  it('keeps SOAR\'s 400 message for the caller (e.g. fields required on close)', async () => {
    const scope = soar();
    const message = 'The following fields are required to close the incident: Resolution, Resolution Summary';
    scope.patch(`${ORG}/incidents/7`).query(true).reply(400, ibmError(message));
    const { client, clock } = harness();

    const err = await failure(client.incidents.patchIncident(7, [{ field: 'plan_status', oldValue: 'A', newValue: 'C' }]));

    expect(err).toMatchObject({ operation: 'PATCH /incidents/{id}', status: 400, retryable: false });
    expect(err.message).toBe(`PATCH /incidents/{id} failed: 400 ${message}`);
    expect(clock.sleeps).toEqual([]);
  });
});

const byFindingId: IncidentLookup = {
  conditions: [{ field: 'properties.aws_guardduty_finding_id', method: 'equals', value: 'f-1' }],
  matches: (i) => i.properties.aws_guardduty_finding_id === 'f-1',
};

function queried(...incidents: Record<string, unknown>[]): Record<string, unknown> {
  return { recordsTotal: incidents.length, recordsFiltered: incidents.length, data: incidents };
}

const lost: [string, (scope: ReturnType<typeof soar>, path: string) => void][] = [
  ['429', (scope, path) => scope.post(path).query(true).reply(429, ibmError('Too many requests'), { 'Retry-After': '1' })],
  ['502', (scope, path) => scope.post(path).query(true).reply(502, 'Bad Gateway')],
  ['503', (scope, path) => scope.post(path).query(true).reply(503, ibmError('Service Unavailable'))],
  ['a reset connection', (scope, path) => scope.post(path).query(true).replyWithError(networkError('ECONNRESET', 'socket hang up'))],
  ['a timeout', (scope, path) => scope.post(path).query(true).replyWithError(networkError('ETIMEDOUT', 'timeout of 5000ms exceeded'))],
];

describe('a create whose answer was lost is looked up before anything is sent again', () => {
  it.each(lost)('an incident answered %s after SOAR created it is found by its finding id, not created twice', async (_what, fail) => {
    const scope = soar();
    fail(scope, `${ORG}/incidents`);
    // The lookup: newest first, and an incident of another finding is not taken for this one.
    scope
      .post(`${ORG}/incidents/query_paged`, (body: any) => body.filters[0].conditions[0].value === 'f-1' && body.sorts[0].type === 'desc')
      .query(true)
      .reply(200, queried(incident({ id: 77, properties: { aws_guardduty_finding_id: 'f-1' } })));
    const { client, calls } = harness();

    const created = await client.incidents.createIncident(payload, byFindingId);

    expect(created.id).toBe(77);
    expect(calls.filter((c) => c.operation === 'POST /incidents')).toEqual([expect.objectContaining({ ok: true, attempts: 1 })]);
  });

  it('an incident the lookup does not find is sent again, after the backoff', async () => {
    const scope = soar();
    scope.post(`${ORG}/incidents`).query(true).reply(503, ibmError('Service Unavailable'));
    scope.post(`${ORG}/incidents/query_paged`).query(true).reply(200, queried(incident({ id: 5, properties: { aws_guardduty_finding_id: 'f-other' } })));
    scope.post(`${ORG}/incidents`, payload).query(true).reply(200, incident({ id: 99 }));
    const { client, clock } = harness();

    expect((await client.incidents.createIncident(payload, byFindingId)).id).toBe(99);
    expect(clock.sleeps).toEqual([499]);
  });

  it('a lookup that fails ends the call with the create\'s own error: nothing is sent blind', async () => {
    const scope = soar();
    scope.post(`${ORG}/incidents`).query(true).once().reply(502, 'Bad Gateway');
    scope.post(`${ORG}/incidents/query_paged`).query(true).times(5).reply(503, ibmError('Service Unavailable'));
    const { client, calls } = harness();

    const err = await failure(client.incidents.createIncident(payload, byFindingId));

    expect(err).toMatchObject({ operation: 'POST /incidents', status: 502, retryable: true });
    expect(calls.filter((c) => c.operation === 'POST /incidents')).toEqual([expect.objectContaining({ ok: false, attempts: 1 })]);
  });

  it.each(lost)('a note answered %s after SOAR added it is found in the incident\'s notes, not added twice', async (_what, fail) => {
    const scope = soar();
    fail(scope, `${ORG}/incidents/7/comments`);
    scope.get(`${ORG}/incidents/7/comments`).query(true).reply(200, [
      { id: 1, text: 'The finding as JSON' },
      { id: 2, text: '<p><b>GuardDuty finding updated</b>: f-1</p><ul><li>Count: 1 → 3</li></ul>' },
    ]);
    const { client } = harness();

    await client.incidents.addNote(7, { format: 'html', content: '<p><b>GuardDuty finding updated</b>: f-1</p><ul><li>Count: 1 → 3</li></ul>' });
  });

  it.each(lost)('an artifact answered %s after SOAR added it is found in the incident\'s artifacts, not added twice', async (_what, fail) => {
    const scope = soar();
    fail(scope, `${ORG}/incidents/7/artifacts`);
    scope.post(`${ORG}/incidents/7/artifacts/query_paged`).query(true).reply(200, queried({ id: 3, type: { name: 'IP Address' }, value: '203.0.113.9' }));
    const { client } = harness();

    await client.incidents.addArtifact(7, { type: 'IP Address', value: '203.0.113.9', description: 'remote IP' });
  });

  it('an artifact the incident does not have is sent again', async () => {
    const scope = soar();
    scope.post(`${ORG}/incidents/7/artifacts`).query(true).reply(502, 'Bad Gateway');
    scope.post(`${ORG}/incidents/7/artifacts/query_paged`).query(true).reply(200, queried({ id: 3, type: { name: 'IP Address' }, value: '198.51.100.1' }));
    scope.post(`${ORG}/incidents/7/artifacts`).query(true).reply(200, { id: 4, type: 'IP Address', value: '203.0.113.9' });
    const { client } = harness();

    await client.incidents.addArtifact(7, { type: 'IP Address', value: '203.0.113.9', description: 'remote IP' });
  });

  it.each(lost)('a data-table row answered %s after SOAR added it is found by all its cells, not added twice', async (_what, fail) => {
    const scope = soar();
    const path = `${ORG}/incidents/7/table_data/gd_finding_overview/row_data`;
    fail(scope, path);
    scope.get(`${ORG}/incidents/7/table_data/gd_finding_overview`).query(true).reply(200, {
      id: 7,
      rows: [{ id: 11, cells: { count: { value: '3' }, region: { value: 'us-east-1' }, query_execution_date: { value: '2026-01-01T00:00:00Z' }, severity: { value: null } } }],
    });
    const { client } = harness();

    await client.incidents.addTableRow(7, 'gd_finding_overview', { count: '3', region: 'us-east-1', query_execution_date: '2026-01-01T00:00:00Z', severity: '' });
  });

  it('a row like an earlier one but for its query_execution_date is sent again (a table\'s history may repeat)', async () => {
    const scope = soar();
    const path = `${ORG}/incidents/7/table_data/gd_finding_overview/row_data`;
    scope.post(path).query(true).reply(503, ibmError('Service Unavailable'));
    scope.get(`${ORG}/incidents/7/table_data/gd_finding_overview`).query(true).reply(200, {
      id: 7,
      rows: [{ id: 11, cells: { count: { value: '3' }, query_execution_date: { value: '2025-12-31T00:00:00Z' } } }],
    });
    scope.post(path).query(true).reply(200, { id: 12, cells: {} });
    const { client } = harness();

    await client.incidents.addTableRow(7, 'gd_finding_overview', { count: '3', query_execution_date: '2026-01-01T00:00:00Z' });
  });
});
