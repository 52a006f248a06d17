import { describe, expect, it } from 'vitest';
import { ExternalServiceError } from '../../../src/core/errors.js';
import { useHttpMock } from '../../helpers/http-mock.js';
import {
  BASE, BASIC, KEY_ID, KEY_SECRET, ORG, ORG_ID, acmeOrg, expectSession, harness, ibmError, incident, sessionBody, soarConfig,
} from './fixtures.js';

const http = useHttpMock();

async function failure(promise: Promise<unknown>): Promise<ExternalServiceError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ExternalServiceError);
  return err as ExternalServiceError;
}

describe('API key authentication', () => {
  it('sends HTTP Basic with the key id and secret on every request, the session lookup included', async () => {
    const scope = http.origin(BASE, { reqheaders: { authorization: BASIC } });
    expectSession(scope);
    scope.get(`${ORG}/incidents/2314`).query({ handle_format: 'names' }).reply(200, incident());
    const { client } = harness();

    const found = await client.incidents.getIncident(2314);

    expect(found).toMatchObject({ id: 2314, planStatus: 'A', vers: 4, lastModified: 1_767_229_200_000 });
  });

  it('puts the resource prefix (CP4S) before /rest', async () => {
    const scope = http.origin(BASE);
    scope.get('/api/respond/rest/session').query(true).reply(200, sessionBody());
    scope.get(`/api/respond${ORG}/incidents/1`).query(true).reply(404, ibmError('Unable to find object with ID 1'));
    const { client } = harness(soarConfig({ resourcePrefix: '/api/respond/' }));

    expect(await client.incidents.getIncident(1)).toBeUndefined();
  });

  it('turns a 401 into a non-retryable error that names the key id and never the secret', async () => {
    http.origin(BASE).get('/rest/session').query(true).reply(401, '');
    const { client } = harness();

    const err = await failure(client.session.connect());

    expect(err).toMatchObject({ service: 'soar', operation: 'GET /rest/session', status: 401, retryable: false });
    expect(err.message).toContain(`api_key_id '${KEY_ID}'`);
    expect(err.message).toContain('api_key_secret');
    expect(err.message).not.toContain(KEY_SECRET);
    expect(JSON.stringify(err.toJSON())).not.toContain(KEY_SECRET);
    expect(JSON.stringify(err.cause)).not.toContain(KEY_SECRET);
  });
});

describe('org resolution (contract §1.4)', () => {
  const other = { id: 9, name: 'Other', uuid: 'u-other', cloud_account: 'other-cloud', enabled: true };

  it.each([
    ['cloud_account', 'acme-cloud'],
    ['uuid', 'c0ffee00-0000-4000-8000-000000000001'],
    ['name', 'Acme SOC'],
  ])('finds the org by its %s and scopes later calls to its id', async (_how, org) => {
    expectSession(http.origin(BASE), [other, acmeOrg()]);
    const { client } = harness(soarConfig({ org }));

    expect(await client.session.connect()).toEqual({ id: ORG_ID, name: 'Acme SOC' });
  });

  it('resolves the org once, however many calls follow', async () => {
    const scope = http.origin(BASE);
    expectSession(scope);
    scope.get(`${ORG}/incidents/1`).query(true).reply(200, incident({ id: 1 }));
    scope.get(`${ORG}/incidents/2`).query(true).reply(200, incident({ id: 2 }));
    const { client } = harness();

    await Promise.all([client.incidents.getIncident(1), client.incidents.getIncident(2), client.session.connect()]);
  });

  it('says which orgs the user is a member of when the configured one is not among them', async () => {
    expectSession(http.origin(BASE), [acmeOrg(), other]);
    const { client } = harness(soarConfig({ org: 'Globex' }));

    const err = await failure(client.session.connect());

    expect(err.message).toContain("user is not a member of org 'Globex'; member of: Acme SOC, Other");
    expect(err).toMatchObject({ retryable: false, code: 'ORG_NOT_FOUND' });
  });

  it('refuses a disabled org', async () => {
    expectSession(http.origin(BASE), [acmeOrg({ enabled: false })]);
    const { client } = harness();

    const err = await failure(client.session.connect());

    expect(err.message).toContain("org 'Acme SOC' is disabled");
    expect(err.code).toBe('ORG_DISABLED');
  });

  it('reports a user with no orgs', async () => {
    expectSession(http.origin(BASE), []);
    const { client } = harness();

    expect((await failure(client.session.connect())).message).toContain('no orgs');
  });

  it('forgets a failed resolution so that the next call tries again', async () => {
    const scope = http.origin(BASE);
    scope.get('/rest/session').query(true).reply(403, ibmError('Forbidden'));
    expectSession(scope);
    const { client } = harness();

    await failure(client.session.connect());
    expect((await client.session.connect()).id).toBe(ORG_ID);
  });
});

describe('email/password session', () => {
  const config = soarConfig({ auth: { kind: 'password', email: 'soc@acme.test', password: 'pa55-w0rd!' } });

  function login(scope: ReturnType<typeof http.origin>, cookie: string, csrf: string): void {
    scope
      .post('/rest/session', { email: 'soc@acme.test', password: 'pa55-w0rd!' })
      .query({ include_permissions: 'false' })
      .reply(200, { ...sessionBody(), csrf_token: csrf }, { 'Set-Cookie': `JSESSIONID=${cookie}; Path=/; Secure; HttpOnly` });
  }

  it('logs in once, then sends the JSESSIONID cookie and X-sess-id, without Basic auth', async () => {
    const scope = http.origin(BASE, { badheaders: ['authorization'] });
    login(scope, 'cookie-1', 'csrf-1');
    scope
      .get(`${ORG}/incidents/5`).query(true)
      .matchHeader('cookie', 'JSESSIONID=cookie-1').matchHeader('x-sess-id', 'csrf-1')
      .reply(200, incident({ id: 5 }));
    const { client } = harness(config);

    expect((await client.incidents.getIncident(5))?.id).toBe(5);
  });

  it('logs in again once after a 401 (expired session) and repeats the request', async () => {
    const scope = http.origin(BASE);
    login(scope, 'cookie-1', 'csrf-1');
    scope.post(`${ORG}/incidents/5/comments`).matchHeader('x-sess-id', 'csrf-1').reply(401, '');
    login(scope, 'cookie-2', 'csrf-2');
    scope
      .post(`${ORG}/incidents/5/comments`, { text: { format: 'text', content: 'hello' } })
      .matchHeader('cookie', 'JSESSIONID=cookie-2').matchHeader('x-sess-id', 'csrf-2')
      .reply(200, { id: 1 });
    const { client } = harness(config);

    await client.incidents.addNote(5, { format: 'text', content: 'hello' });
  });

  it('gives up when the fresh login is rejected too, naming the email but not the password', async () => {
    const scope = http.origin(BASE);
    login(scope, 'cookie-1', 'csrf-1');
    scope.get(`${ORG}/incidents/5`).query(true).reply(401, '');
    scope.post('/rest/session').query(true).reply(401, '');
    const { client } = harness(config);

    const err = await failure(client.incidents.getIncident(5));

    expect(err).toMatchObject({ operation: 'POST /rest/session', status: 401, retryable: false });
    expect(err.message).toContain("email/password of 'soc@acme.test'");
    expect(err.message).not.toContain('pa55-w0rd!');
  });
});
