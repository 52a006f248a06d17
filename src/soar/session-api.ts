import type { SoarConfig } from '../config/app-config.js';
import { ExternalServiceError } from '../core/errors.js';
import type { OrgInfo, OrgSession, SoarPrincipal } from './case-system.js';
import { orgSchema, selectOrg, sessionSchema } from './session-schemas.js';
import type { SoarHttp } from './soar-http.js';
import { parseBody } from './soar-wire.js';

/**
 * The org discovery: the session (API key or login), the org id every other call is made under,
 * who the session is, and whether the org runs functions at all. The incident and catalog adapters
 * connect through it; the functions listener asks it before subscribing.
 */
export class SessionApi implements OrgSession {
  private org: Promise<OrgInfo> | undefined;
  private principal: SoarPrincipal | undefined;

  constructor(
    private readonly config: SoarConfig,
    private readonly http: SoarHttp,
  ) {}

  connect(): Promise<OrgInfo> {
    // One resolution shared by concurrent callers; a failed one is forgotten so the next call retries.
    this.org ??= this.resolveOrg().catch((err: unknown) => {
      this.org = undefined;
      throw err;
    });
    return this.org;
  }

  async whoAmI(): Promise<SoarPrincipal> {
    await this.connect();
    if (!this.principal) {
      throw new ExternalServiceError({
        service: 'soar', operation: 'GET /rest/session', code: 'generic', retryable: false,
        message: 'GET /rest/session failed: the session names neither an api_key_handle nor a user_id',
      });
    }
    return this.principal;
  }

  async actionsFrameworkEnabled(): Promise<boolean> {
    const org = await this.connect();
    const op = 'GET /rest/orgs/{id}';
    const res = await this.http.request({ method: 'GET', path: `/orgs/${org.id}`, absolute: true, operation: op, retry: 'idempotent' });
    return parseBody(orgSchema, res.data, op).actions_framework_enabled;
  }

  private async resolveOrg(): Promise<OrgInfo> {
    const op = this.config.auth.kind === 'apikey' ? 'GET /rest/session' : 'POST /rest/session';
    const session = parseBody(sessionSchema, await this.http.openSession(), op);
    const org = selectOrg(session, this.config.org, op);
    this.http.setOrg(org.id);
    if (session.api_key_handle != null) this.principal = { kind: 'apikey', handle: session.api_key_handle };
    else if (session.user_id != null) this.principal = { kind: 'user', userId: session.user_id };
    return { id: org.id, name: org.name };
  }
}
