import axios, { isAxiosError, type AxiosInstance } from 'axios';
import type { Clock } from '../clock.js';
import type { SoarConfig } from '../config/app-config.js';
import { abandonedCall } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { nullObserver, type ApiObserver } from '../util/api-observer.js';
import { readCaTrust } from '../util/ca-file.js';
import type { AdaptiveLimit } from '../util/adaptive-limit.js';
import type { CallGate } from '../util/call-gate.js';
import { createRoutingAgent, type RouteCounts, type RoutingHttpAgent } from '../util/proxy-routing.js';
import { inSlot } from './limited-attempt.js';
import {
  classifyAttempt, defaultRetryPolicy, retryDelay, shorten, toServiceError,
  type AuthDescription, type Classification, type FailedAttempt, type RetryPolicy,
} from './soar-errors.js';

/**
 * The only code that talks HTTP to SOAR: URL layout (base + resource prefix + /rest/orgs/{id}),
 * authentication, TLS, proxy, timeouts, and the one retry loop of the SOAR side. Callers say
 * whether a call is safe to repeat; everything else about failures is decided here, once.
 */

export interface SoarHttpDeps {
  clock: Clock;
  logger: Logger;
  observer?: ApiObserver | undefined;
  /** Jitter source in [0, 1); injectable so tests can predict the backoff. */
  random?: (() => number) | undefined;
  retryPolicy?: Partial<RetryPolicy> | undefined;
  /** `NO_PROXY` (read by the composition root), honoured for the `[resilient]` proxy. */
  noProxy?: string | undefined;
  /** Closed by a stopping daemon: no attempt starts, no retry is sent, requests in flight are cut. */
  gate?: CallGate | undefined;
  /** The org's adaptive concurrency (aws_gd_soar_concurrency): every attempt takes one of its slots. */
  limit?: AdaptiveLimit | undefined;
}

/**
 * `idempotent`: repeated on 5xx, 429 and network errors (GETs, query POSTs, PATCH — a replayed
 * PATCH is checked against its old values and re-planned by the client).
 * `unsafe`: a create. Re-sent at once only when it never reached SOAR (connection refused). After a
 * 429, a 5xx, a timeout or a reset SOAR may have acted before the answer was lost: the create is
 * re-sent only once its `lookup` says SOAR does not hold it, and never without one.
 */
export type RetryMode = 'idempotent' | 'unsafe';

export interface SoarRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path under `/rest/orgs/{org_id}`, or under `/rest` when `absolute`. */
  path: string;
  /** The templated name for errors, logs and metrics, e.g. `PATCH /incidents/{id}`. */
  operation: string;
  retry: RetryMode;
  params?: Record<string, string | number | boolean> | undefined;
  body?: unknown;
  /** Statuses returned to the caller instead of thrown (404 for lookups, 409 for PATCH). */
  accept?: number[] | undefined;
  absolute?: boolean | undefined;
  /**
   * For an `unsafe` create: whether SOAR holds what an attempt whose answer was lost created. Asked
   * after the usual backoff and before any re-send; true ends the call as if it had been answered.
   */
  lookup?: (() => Promise<boolean>) | undefined;
}

export interface SoarResponse {
  status: number;
  /** Undefined when `found`. */
  data: unknown;
  /** The answer was lost and the request's `lookup` found what it created: nothing was re-sent. */
  found?: boolean;
}

type Attempt = { kind: 'response'; status: number; data: unknown; retryAfter: string | undefined } | FailedAttempt;

export class SoarHttp {
  /** True when `cafile = false`: the composition root warns loudly about it. */
  readonly tlsVerificationDisabled: boolean;
  private readonly axios: AxiosInstance;
  private readonly agent: RoutingHttpAgent;
  private readonly policy: RetryPolicy;
  private readonly prefix: string;
  private orgId: number | undefined;
  private session: { cookie: string | undefined; csrf: string | undefined; generation: number } | undefined;
  private loginInFlight: Promise<unknown> | undefined;

  constructor(
    private readonly config: SoarConfig,
    private readonly deps: SoarHttpDeps,
  ) {
    const tls = readCaTrust(config.cafile, 'resilient.cafile', 'point cafile at the CA bundle that signed the SOAR certificate, or remove it to use the system CAs');
    this.tlsVerificationDisabled = tls.rejectUnauthorized === false;
    const secure = config.baseUrl.toLowerCase().startsWith('https:');
    const proxy = config.proxy?.url;
    this.agent = createRoutingAgent(secure, { httpProxy: proxy, httpsProxy: proxy, noProxy: deps.noProxy }, tls);
    this.policy = { ...defaultRetryPolicy, ...deps.retryPolicy };
    const trimmed = config.resourcePrefix.replace(/^\/+|\/+$/g, '');
    this.prefix = trimmed === '' ? '' : `/${trimmed}`;
    this.axios = axios.create({
      baseURL: config.baseUrl,
      timeout: config.timeoutMs,
      // axios would otherwise read proxy variables itself; routing is the agent's job.
      proxy: false,
      ...(secure ? { httpsAgent: this.agent } : { httpAgent: this.agent }),
      maxRedirects: 0,
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    });
  }

  /** Requests sent through the `[resilient]` proxy and straight to SOAR so far (NO_PROXY decides per request). */
  get routed(): RouteCounts {
    return { ...this.agent.routed };
  }

  setOrg(orgId: number): void {
    this.orgId = orgId;
  }

  /** The session JSON (orgs): `GET /rest/session` with an API key, a login with email/password. */
  async openSession(): Promise<unknown> {
    if (this.config.auth.kind === 'password') return this.logIn(undefined);
    const res = await this.request({
      method: 'GET', path: '/session', absolute: true, operation: 'GET /rest/session',
      retry: 'idempotent', params: { include_permissions: false },
    });
    return res.data;
  }

  async request(req: SoarRequest): Promise<SoarResponse> {
    const started = this.deps.clock.now();
    let attempts = 0;
    let throttleRetries = 0;
    let reloggedIn = false;
    const gate = this.deps.gate;
    for (;;) {
      attempts += 1;
      gate?.check('soar', req.operation);
      const generation = await this.ensureSession(req);
      const limit = this.deps.limit;
      const attempt = limit ? await inSlot(limit, this.deps.clock, req.operation, gate?.haltSignal, () => this.attempt(req)) : await this.attempt(req);
      if (attempt.kind === 'response' && (attempt.status < 300 || req.accept?.includes(attempt.status))) {
        this.report(req, started, { ok: true, status: attempt.status, attempts, throttleRetries });
        return { status: attempt.status, data: attempt.data };
      }
      // Stopping: a failed (or cut) attempt is neither retried nor reported as SOAR's failure; the
      // next start makes the call again.
      if (gate?.halted) throw abandonedCall('soar', req.operation);
      const failure: FailedAttempt =
        attempt.kind === 'response' ? { kind: 'status', status: attempt.status, body: attempt.data, retryAfter: attempt.retryAfter } : attempt;
      if (failure.kind === 'status' && failure.status === 401 && this.mayLogInAgain(req) && !reloggedIn) {
        // A session expires; an API key does not. One fresh login, then the same request again.
        reloggedIn = true;
        await this.logIn(generation);
        continue;
      }
      const c = classifyAttempt(failure);
      const delay = this.nextDelay(req, c, failure, attempts);
      if (delay === undefined) {
        this.report(req, started, { ok: false, status: c.status, code: c.code, attempts, throttleRetries });
        throw toServiceError(req.operation, c, this.authDescription(), this.shrink(req, failure));
      }
      if (c.throttled) throttleRetries += 1;
      this.deps.logger.warn('SOAR call failed; retrying', {
        operation: req.operation, status: c.status, code: c.code, attempt: attempts, delayMs: delay,
      });
      // The backoff ends early when the daemon stops; the loop's gate check then gives the call up.
      await this.deps.clock.sleep(delay, gate?.haltSignal);
      if (req.retry !== 'unsafe' || c.notProcessed) continue;
      // Stopping: the lookup is left to the next start too (the caller's durable state asks then).
      if (gate?.halted) throw abandonedCall('soar', req.operation);
      const found = await this.lookUp(req, c);
      if (found === false) continue;
      this.report(req, started, { ok: found === true, status: c.status, code: c.code, attempts, throttleRetries });
      // Could not ask: the create's own error, never a blind re-send (the caller's durable state asks later).
      if (found === undefined) throw toServiceError(req.operation, c, this.authDescription(), this.shrink(req, failure));
      return { status: c.status ?? 0, data: undefined, found: true };
    }
  }

  /**
   * Asks SOAR (the request's lookup) whether a create whose answer was lost took effect: true or
   * false, or undefined when the lookup itself failed.
   */
  private async lookUp(req: SoarRequest, c: Classification): Promise<boolean | undefined> {
    const context = { operation: req.operation, status: c.status, code: c.code };
    try {
      const found = await (req.lookup as () => Promise<boolean>)();
      if (found) this.deps.logger.info('SOAR had acted on a create whose answer was lost; not sent again', context);
      return found;
    } catch (err) {
      this.deps.logger.warn('SOAR could not be asked whether a create whose answer was lost took effect', { ...context, error: err });
      return undefined;
    }
  }

  /** Releases the keep-alive sockets (shutdown, tests). */
  close(): void {
    this.agent.destroy();
  }

  private nextDelay(req: SoarRequest, c: Classification, failure: FailedAttempt, attempts: number): number | undefined {
    if (!c.retryable || attempts >= this.policy.maxAttempts) return undefined;
    if (req.retry === 'unsafe' && !c.notProcessed && req.lookup === undefined) return undefined;
    const retryAfter = failure.kind === 'status' ? failure.retryAfter : undefined;
    return retryDelay(this.policy, attempts, retryAfter, this.deps.clock.now(), this.deps.random ?? Math.random);
  }

  private async attempt(req: SoarRequest): Promise<Attempt> {
    const auth = this.config.auth;
    try {
      const res = await this.axios.request<unknown>({
        method: req.method,
        url: this.pathOf(req),
        params: req.params,
        data: req.body,
        headers: this.sessionHeaders(),
        auth: auth.kind === 'apikey' ? { username: auth.id, password: auth.secret } : undefined,
        signal: this.deps.gate?.cutSignal,
      });
      const retryAfter: unknown = res.headers['retry-after'];
      const setCookie: unknown = res.headers['set-cookie'];
      if (isLoginRequest(req) && res.status < 300) this.storeSession(res.data, setCookie);
      return { kind: 'response', status: res.status, data: res.data, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined };
    } catch (err) {
      if (isAxiosError(err) && err.response === undefined) {
        return { kind: 'network', code: err.code ?? 'ENETWORK', message: err.message };
      }
      throw err;
    }
  }

  private pathOf(req: SoarRequest): string {
    if (req.absolute) return `${this.prefix}/rest${req.path}`;
    if (this.orgId === undefined) throw new Error(`SOAR ${req.operation} before the org was resolved (call connect() first)`);
    return `${this.prefix}/rest/orgs/${this.orgId}${req.path}`;
  }

  private mayLogInAgain(req: SoarRequest): boolean {
    return this.config.auth.kind === 'password' && !isLoginRequest(req);
  }

  /** In session mode every request needs a session; the first one logs in. Returns its generation. */
  private async ensureSession(req: SoarRequest): Promise<number> {
    if (!this.mayLogInAgain(req)) return 0;
    if (!this.session) await this.logIn(undefined);
    return this.session?.generation ?? 0;
  }

  /**
   * `POST /rest/session`. Concurrent callers share one login, and a caller whose 401 came from an
   * older session than the current one simply repeats its request.
   */
  private async logIn(staleGeneration: number | undefined): Promise<unknown> {
    if (this.loginInFlight) return this.loginInFlight;
    if (staleGeneration !== undefined && this.session && this.session.generation > staleGeneration) return undefined;
    const auth = this.config.auth;
    if (auth.kind !== 'password') return undefined;
    this.loginInFlight = this.request({
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

  private storeSession(body: unknown, setCookie: unknown): void {
    const cookies = Array.isArray(setCookie) ? setCookie.map(String) : typeof setCookie === 'string' ? [setCookie] : [];
    const jsession = cookies.map((c) => /(?:^|;\s*)JSESSIONID=([^;]*)/.exec(c)?.[1]).find((v) => v !== undefined);
    const csrf = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['csrf_token'] : undefined;
    this.session = {
      cookie: jsession,
      csrf: typeof csrf === 'string' ? csrf : undefined,
      generation: (this.session?.generation ?? 0) + 1,
    };
  }

  private sessionHeaders(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.session?.cookie !== undefined) headers['Cookie'] = `JSESSIONID=${this.session.cookie}`;
    if (this.session?.csrf !== undefined) headers['X-sess-id'] = this.session.csrf;
    return headers;
  }

  private authDescription(): AuthDescription {
    const auth = this.config.auth;
    return auth.kind === 'apikey' ? { kind: 'apikey', principal: auth.id } : { kind: 'password', principal: auth.email };
  }

  /** What an error carries as its cause: method, URL without credentials, status, body. Never headers. */
  private shrink(req: SoarRequest, failure: FailedAttempt): Record<string, unknown> {
    const url = new URL(this.config.baseUrl);
    url.username = '';
    url.password = '';
    const query = req.params
      ? `?${new URLSearchParams(Object.entries(req.params).map(([k, v]): [string, string] => [k, String(v)])).toString()}`
      : '';
    const base = url.toString().replace(/\/$/, '');
    const target = `${base}${req.absolute || this.orgId !== undefined ? this.pathOf(req) : req.path}${query}`;
    if (failure.kind === 'network') return { method: req.method, url: target, code: failure.code };
    const body = typeof failure.body === 'string' ? failure.body : JSON.stringify(failure.body ?? null);
    return { method: req.method, url: target, status: failure.status, body: shorten(body, 1000) };
  }

  private report(
    req: SoarRequest,
    started: number,
    result: { ok: boolean; status?: number | undefined; code?: string | undefined; attempts: number; throttleRetries: number },
  ): void {
    const durationMs = this.deps.clock.now() - started;
    (this.deps.observer ?? nullObserver).onCall({ service: 'soar', operation: req.operation, durationMs, ...result });
    this.deps.logger.debug('SOAR call', { operation: req.operation, ...result, durationMs });
  }
}

function isLoginRequest(req: SoarRequest): boolean {
  return req.absolute === true && req.method === 'POST' && req.path === '/session';
}

export function createSoarHttp(config: SoarConfig, deps: SoarHttpDeps): SoarHttp {
  return new SoarHttp(config, deps);
}
