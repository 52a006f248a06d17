import type { SoarConfig } from '../config/app-config.js';
import { isLoginRequest, type SoarRequest, type SoarResponse } from './soar-request.js';

/**
 * The session of a password login: one `POST /rest/session` shared by concurrent callers, its
 * JSESSIONID cookie and CSRF token sent with every request, and a fresh login when a request is
 * refused with 401 (a session expires; an API key does not, so with one this does nothing).
 */
export class SessionLogin {
  private session: { cookie: string | undefined; csrf: string | undefined; generation: number } | undefined;
  private loginInFlight: Promise<unknown> | undefined;

  constructor(
    private readonly auth: SoarConfig['auth'],
    /** The HTTP core's request, retry loop included. */
    private readonly send: (req: SoarRequest) => Promise<SoarResponse>,
  ) {}

  /** Whether `req` runs in a session that a new login may renew: password mode, and not the login itself. */
  renews(req: SoarRequest): boolean {
    return this.auth.kind === 'password' && !isLoginRequest(req);
  }

  /** In session mode every request needs a session; the first one logs in. Returns its generation. */
  async ensure(req: SoarRequest): Promise<number> {
    if (!this.renews(req)) return 0;
    if (!this.session) await this.logIn(undefined);
    return this.session?.generation ?? 0;
  }

  /**
   * `POST /rest/session`. Concurrent callers share one login, and a caller whose 401 came from an
   * older session than the current one simply repeats its request.
   */
  async logIn(staleGeneration: number | undefined): Promise<unknown> {
    if (this.loginInFlight) return this.loginInFlight;
    if (staleGeneration !== undefined && this.session && this.session.generation > staleGeneration) return undefined;
    const auth = this.auth;
    if (auth.kind !== 'password') return undefined;
    this.loginInFlight = this.send({
      method: 'POST', path: '/session', absolute: true, operation: 'POST /rest/session',
      retry: 'idempotent', params: { include_permissions: false },
      body: { email: auth.email, password: auth.password },
    }).then((res) => res.data);
    try {
      return await this.loginInFlight;
    } finally {
      this.loginInFlight = undefined;
    }
  }

  /** Keeps the cookie and CSRF token of a login's answer. */
  store(body: unknown, setCookie: unknown): void {
    const cookies = Array.isArray(setCookie) ? setCookie.map(String) : typeof setCookie === 'string' ? [setCookie] : [];
    const jsession = cookies.map((c) => /(?:^|;\s*)JSESSIONID=([^;]*)/.exec(c)?.[1]).find((v) => v !== undefined);
    const csrf = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['csrf_token'] : undefined;
    this.session = {
      cookie: jsession,
      csrf: typeof csrf === 'string' ? csrf : undefined,
      generation: (this.session?.generation ?? 0) + 1,
    };
  }

  headers(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.session?.cookie !== undefined) headers['Cookie'] = `JSESSIONID=${this.session.cookie}`;
    if (this.session?.csrf !== undefined) headers['X-sess-id'] = this.session.csrf;
    return headers;
  }
}
