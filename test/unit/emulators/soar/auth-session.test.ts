import { afterEach, describe, expect, it } from 'vitest';
import type { SoarEmulator } from '../../../../emulators/soar/index.js';
import { apiFor, basic, startEmulator } from './soar-test-helpers.js';

let emu: SoarEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('SOAR emulator: authentication and org resolution', () => {
  it('accepts HTTP Basic with the API key and answers the session with the org', async () => {
    const started = await startEmulator({ orgName: 'Acme SOC', orgId: 204 });
    emu = started.emu;
    const res = await started.api('GET', '/rest/session?include_permissions=false');
    expect(res.status).toBe(200);
    expect(res.body.api_key_handle).toEqual(expect.any(Number));
    expect(res.body.orgs).toEqual([
      expect.objectContaining({ id: 204, name: 'Acme SOC', enabled: true, uuid: expect.any(String), cloud_account: expect.any(String) }),
    ]);
    expect(emu.orgId).toBe(204);
    const org = await started.api('GET', '/rest/orgs/204');
    expect(org.body).toMatchObject({ id: 204, name: 'Acme SOC', actions_framework_enabled: true });
    const constants = await started.api('GET', '/rest/const');
    expect(constants.body.server_version).toMatchObject({ major: 51, version: expect.any(String) });
  });

  it('answers 401 with the generic body for wrong or missing credentials', async () => {
    ({ emu } = await startEmulator());
    for (const auth of [basic('demo-key', 'wrong'), basic('nobody', 'demo-secret'), {}]) {
      const res = await apiFor(emu, auth)('GET', '/incidents/1');
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ success: false, title: null, hints: [], error_code: 'generic' });
    }
  });

  it('logs in with email and password, then needs the cookie and X-sess-id on every request', async () => {
    ({ emu } = await startEmulator({ users: [{ email: 'ana@example.com', password: 's3cret', fname: 'Ana', lname: 'Lyst' }] }));
    const anonymous = apiFor(emu, {});
    expect((await anonymous('POST', '/rest/session', { email: 'ana@example.com', password: 'nope' })).status).toBe(401);

    const login = await anonymous('POST', '/rest/session?include_permissions=false', { email: 'ana@example.com', password: 's3cret' });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ user_email: 'ana@example.com', user_fname: 'Ana', csrf_token: expect.any(String) });
    expect(login.body.orgs[0]).toMatchObject({ id: emu.orgId, name: 'Demo Org' });
    const cookie = /JSESSIONID=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toBeTruthy();

    const withSession = apiFor(emu, { Cookie: `JSESSIONID=${cookie}`, 'X-sess-id': login.body.csrf_token });
    expect((await withSession('GET', '/rest/session')).body.user_id).toBe(login.body.user_id);
    const created = await withSession('POST', '/incidents', { name: 'by session', discovered_date: 0 });
    expect(created.status).toBe(200);
    expect(created.body.creator_id).toBe(login.body.user_id);

    const cookieOnly = apiFor(emu, { Cookie: `JSESSIONID=${cookie}` });
    expect((await cookieOnly('GET', '/rest/session')).status).toBe(401);
    const wrongToken = apiFor(emu, { Cookie: `JSESSIONID=${cookie}`, 'X-sess-id': 'forged' });
    expect((await wrongToken('GET', `/incidents/${created.body.id}`)).status).toBe(401);
  });

  it('refuses another org id with 403 and lists extra orgs in the session', async () => {
    let api;
    ({ emu, api } = await startEmulator({ extraOrgs: [{ id: 999, name: 'Other', enabled: false }] }));
    const session = await api('GET', '/rest/session');
    expect(session.body.orgs.map((o: { name: string }) => o.name)).toEqual(['Demo Org', 'Other']);
    const res = await api('GET', '/rest/orgs/999/incidents/1');
    expect(res.status).toBe(403);
    expect(res.body.error_code).toBe('generic');
  });

  it('lets a read-only key read and query but not write', async () => {
    ({ emu } = await startEmulator({ apiKeys: [{ id: 'ro', secret: 'x', readOnly: true }, { id: 'rw', secret: 'y' }] }));
    const ro = apiFor(emu, basic('ro', 'x'));
    const rw = apiFor(emu, basic('rw', 'y'));
    expect((await rw('POST', '/incidents', { name: 'n', discovered_date: 1 })).status).toBe(200);
    expect((await ro('POST', '/incidents', { name: 'n', discovered_date: 1 })).status).toBe(403);
    expect((await ro('POST', '/incidents/query_paged', {})).body.recordsFiltered).toBe(1);
  });
});
