import axios, { isAxiosError, type AxiosInstance } from 'axios';
import type { Clock } from '../core/clock.js';
import type { SoarConfig } from '../config/app-config.js';
import { abandonedCall } from '../core/errors.js';
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
import { SessionLogin } from './soar-login.js';
import { isLoginRequest, type SoarRequest, type SoarResponse } from './soar-request.js';

/**
 * The only code that talks HTTP to SOAR: URL layout (base + resource prefix + /rest/orgs/{id}),
 * authentication (a password login's session: `soar-login.ts`), TLS, proxy, timeouts, and the one
 * retry loop of the SOAR side. Callers say whether a call is safe to repeat; everything else about
 * failures is decided here, once.
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

type Attempt = { kind: 'response'; status: number; data: unknown; retryAfter: string | undefined } | FailedAttempt;

export class SoarHttp {
  /** True when `cafile = false`: the composition root warns loudly about it. */
  readonly tlsVerificationDisabled: boolean;
  private readonly axios: AxiosInstance;
  private readonly agent: RoutingHttpAgent;
  private readonly policy: RetryPolicy;
  private readonly prefix: string;
  private orgId: number | undefined;
  private readonly login: SessionLogin;

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
    this.login = new SessionLogin(config.auth, (req) => this.request(req));
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
    if (this.config.auth.kind === 'password') return this.login.logIn(undefined);
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
      const generation = await this.login.ensure(req);
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
      if (failure.kind === 'status' && failure.status === 401 && this.login.renews(req) && !reloggedIn) {
        // A session expires; an API key does not. One fresh login, then the same request again.
        reloggedIn = true;
        await this.login.logIn(generation);
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
        headers: this.login.headers(),
        auth: auth.kind === 'apikey' ? { username: auth.id, password: auth.secret } : undefined,
        signal: this.deps.gate?.cutSignal,
      });
      const retryAfter: unknown = res.headers['retry-after'];
      const setCookie: unknown = res.headers['set-cookie'];
      if (isLoginRequest(req) && res.status < 300) this.login.store(res.data, setCookie);
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

export function createSoarHttp(config: SoarConfig, deps: SoarHttpDeps): SoarHttp {
  return new SoarHttp(config, deps);
}
