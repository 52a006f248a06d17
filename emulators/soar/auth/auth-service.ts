import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SoarError } from '../errors.js';
import type { ApiKeyOption, ResolvedUser } from '../options.js';
import type { Principal } from '../state/records.js';

export interface Session {
  id: string;
  csrfToken: string;
  userId: number;
}

/** [I] SOAR's exact 401 texts are not documented; these say which check failed. */
const UNAUTHORIZED = 'Unauthorized: no API key (HTTP Basic) and no session cookie were sent.';

/**
 * API key (HTTP Basic on every request) or email/password session (JSESSIONID cookie plus the
 * `X-sess-id` CSRF header on every request). Basic wins when both are sent: IBM's client clears its
 * cookies before each API-key request because the server ignores the session then.
 */
export class AuthService {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly keys: readonly ApiKeyOption[],
    private readonly users: readonly ResolvedUser[],
  ) {}

  authenticate(headers: IncomingHttpHeaders): Principal {
    const authorization = headers.authorization;
    if (authorization?.toLowerCase().startsWith('basic ')) return this.byApiKey(authorization.slice(6).trim());
    const sessionId = cookie(headers.cookie, 'JSESSIONID');
    if (sessionId === undefined) throw new SoarError(401, UNAUTHORIZED);
    const session = this.sessions.get(sessionId);
    if (!session) throw new SoarError(401, 'Unauthorized: the session has expired or does not exist.');
    // [I] A missing or wrong CSRF header is answered 401 like any other failed authentication.
    const csrf = headers['x-sess-id'];
    if (csrf !== session.csrfToken) throw new SoarError(401, 'Unauthorized: the X-sess-id header does not match the session.');
    return { kind: 'user', userId: session.userId, sessionId: session.id };
  }

  login(body: unknown): { session: Session; principal: Principal } {
    const creds = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const email = typeof creds.email === 'string' ? creds.email.toLowerCase() : undefined;
    const user = this.users.find((u) => u.email.toLowerCase() === email);
    if (!user || user.password !== creds.password) {
      throw new SoarError(401, 'The email address or password you entered is incorrect.');
    }
    const session: Session = { id: token(16), csrfToken: token(16), userId: user.id };
    this.sessions.set(session.id, session);
    return { session, principal: { kind: 'user', userId: user.id, sessionId: session.id } };
  }

  session(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  logout(id: string): void {
    this.sessions.delete(id);
  }

  private byApiKey(encoded: string): Principal {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const id = colon < 0 ? decoded : decoded.slice(0, colon);
    const secret = colon < 0 ? '' : decoded.slice(colon + 1);
    const index = this.keys.findIndex((k) => k.id === id && k.secret === secret);
    const key = this.keys[index];
    if (!key) {
      throw new SoarError(401, 'Unauthorized: the API key id or secret is incorrect, or the key has been blocked.');
    }
    return { kind: 'apikey', keyId: key.id, handle: 100 + index, readOnly: key.readOnly ?? false };
  }
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function token(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
