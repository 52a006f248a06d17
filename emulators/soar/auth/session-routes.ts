import type { RestRequest, RestResponse, RouteDef } from '../http/types.js';
import { ok, route } from '../http/types.js';
import type { SoarState } from '../state/soar-state.js';
import type { AuthService, Session } from './auth-service.js';

/** `/rest/session`, `/rest/const` and `/rest/orgs/{org_id}`: what a client needs to resolve its org. */
export function sessionRoutes(state: SoarState, auth: AuthService): RouteDef[] {
  const absolute = { scope: 'absolute' as const };
  return [
    route('POST', '/rest/session', (req) => login(state, auth, req), { ...absolute, public: true }),
    route('GET', '/rest/session', (req) => ok(sessionJson(state, req, sessionOf(auth, req))), absolute),
    route('DELETE', '/rest/session', (req) => logout(auth, req), absolute),
    route('GET', '/rest/const', () => ok(constJson()), absolute),
    route('GET', '/rest/orgs/{org_id}', () => ok(orgJson(state)), absolute),
    route('GET', '/users', () => ok(state.users.map((u) => userJson(u.id, u.fname, u.lname, u.email)))),
  ];
}

function login(state: SoarState, auth: AuthService, req: RestRequest): RestResponse {
  const { session, principal } = auth.login(req.body);
  const secure = state.options.tls ? '; Secure' : '';
  return {
    status: 200,
    body: sessionJson(state, { ...req, principal }, session),
    headers: { 'Set-Cookie': `JSESSIONID=${session.id}; Path=/; HttpOnly${secure}` },
  };
}

function logout(auth: AuthService, req: RestRequest): RestResponse {
  if (req.principal.kind === 'user') auth.logout(req.principal.sessionId);
  return { status: 204 };
}

function sessionOf(auth: AuthService, req: RestRequest): Session | undefined {
  return req.principal.kind === 'user' ? auth.session(req.principal.sessionId) : undefined;
}

function sessionJson(state: SoarState, req: RestRequest, session: Session | undefined): Record<string, unknown> {
  const user = state.userOf(req.principal);
  const { org } = state.options;
  const orgs = [
    orgEntry(org.id, org.name, org.uuid, org.cloudAccount, true, state.options.actionsFrameworkEnabled),
    ...state.options.extraOrgs.map((o) => orgEntry(o.id, o.name, `extra-org-${o.id}`, `extra-cloud-${o.id}`, o.enabled ?? true)),
  ];
  return {
    orgs,
    user_id: user?.id ?? null,
    user_fname: user?.fname ?? null,
    user_lname: user?.lname ?? null,
    user_email: user?.email ?? null,
    display_name: user ? `${user.fname} ${user.lname}` : req.principal.kind === 'apikey' ? req.principal.keyId : null,
    api_key_handle: req.principal.kind === 'apikey' ? req.principal.handle : null,
    client_id: null,
    // [I] An API-key session has no use for a CSRF token; a stable placeholder is returned.
    csrf_token: session?.csrfToken ?? (req.principal.kind === 'apikey' ? `apikey-${req.principal.handle}` : null),
    session_ip: '127.0.0.1',
    is_saml: false,
    is_ldap: false,
    saml_alias: null,
    password_expiration_date: null,
  };
}

function orgEntry(id: number, name: string, uuid: string, cloudAccount: string, enabled: boolean, actionsFramework = true): Record<string, unknown> {
  return {
    id,
    name,
    uuid,
    cloud_account: cloudAccount,
    enabled,
    perms: null,
    effective_permissions: [],
    role_handles: [],
    session_timeout: 14400,
    has_saml: false,
    require_saml: false,
    twofactor_auth_domain: null,
    has_available_twofactor: false,
    parent_org: null,
    incident_deletion_allowed: true,
    actions_framework_enabled: actionsFramework,
    attachments_enabled: true,
    tasks_private: false,
    configuration_type: 'standard',
  };
}

function orgJson(state: SoarState): Record<string, unknown> {
  const { org } = state.options;
  return { ...orgEntry(org.id, org.name, org.uuid, org.cloudAccount, true, state.options.actionsFrameworkEnabled), timezone: null, addr: null, city: null, state: null, zip: null };
}

function userJson(id: number, fname: string, lname: string, email: string): Record<string, unknown> {
  return { id, fname, lname, email, display_name: `${fname} ${lname}`, status: 'A', locked: false, is_external: false };
}

/** [I] Version fields as QRadar SOAR 51.0.9.0 reports them (v51 adds v, r, m, f). */
function constJson(): Record<string, unknown> {
  return {
    server_version: { major: 51, minor: 0, build_number: 9, version: '51.0.9.0', v: 51, r: 0, m: 9, f: 0 },
    emulated: true,
  };
}
