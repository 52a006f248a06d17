import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AuthService } from '../auth/auth-service.js';
import { errorBody } from '../errors.js';
import type { CallLog } from '../faults/call-log.js';
import type { FaultInjector, FaultOutcome } from '../faults/faults.js';
import type { Principal } from '../state/records.js';
import type { SoarState } from '../state/soar-state.js';
import { readBody, sendJson, sleep } from './http-io.js';
import { dispatch } from './rest-dispatch.js';
import type { Router } from './router.js';
import type { HttpMethod } from './types.js';

export interface ServerParts {
  state: SoarState;
  auth: AuthService;
  rest: Router;
  admin: Router;
  faults: FaultInjector;
  calls: CallLog;
}

const STATUS_TEXT: Record<number, string> = {
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * The request pipeline: the admin API is answered directly; a REST request is counted under its
 * operation, delayed, possibly faulted before or after it is processed, then answered.
 *
 * The configured latency is the request's whole time in the emulator, counted from its arrival and
 * including the emulator's own work (reading, processing, rendering): what "30 ms per SOAR call"
 * means for a real server, and what the benchmark's bound counts. An injected fault's latency comes
 * on top, before the request is processed.
 */
export function createListener(parts: ServerParts): RequestListener {
  // REST requests being answered now, for maxInFlight fault rules.
  const inFlight = { count: 0 };
  return (req, res) => {
    handle(parts, inFlight, req, res).catch((error: unknown) => {
      sendJson(res, 500, errorBody(`Internal Server Error: ${error instanceof Error ? error.message : String(error)}`));
    });
  };
}

async function handle(parts: ServerParts, inFlight: { count: number }, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const arrived = performance.now();
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase() as HttpMethod;
  const rawBody = await readBody(req);
  const request = { method, path: url.pathname, query: url.searchParams, headers: req.headers, rawBody };
  if (url.pathname === '/__admin' || url.pathname.startsWith('/__admin/')) {
    const { response } = dispatch(parts.state, parts.auth, parts.admin.match(method, url.pathname), request);
    sendJson(res, response.status, response.body, response.headers);
    return;
  }

  const match = parts.rest.match(method, url.pathname);
  const operation = match?.operation ?? `${method} ${url.pathname}`;
  inFlight.count += 1;
  try {
    await answer(parts, req, res, { method, url, match, operation, request, arrived }, inFlight.count);
  } finally {
    inFlight.count -= 1;
  }
}

interface RestCall {
  method: HttpMethod;
  url: URL;
  match: ReturnType<Router['match']>;
  operation: string;
  request: Parameters<typeof dispatch>[3];
  /** performance.now() when it arrived. */
  arrived: number;
}

/** `inFlight`: the REST requests being answered, this one included. */
async function answer(parts: ServerParts, req: IncomingMessage, res: ServerResponse, call: RestCall, inFlight: number): Promise<void> {
  const { method, url, match, operation, request, arrived } = call;
  const decision = parts.faults.decide(operation, inFlight);
  await sleep(decision.latencyMs);
  const answerAt = arrived + decision.latencyMs + parts.state.options.latencyMs;
  const latency = (): Promise<void> => sleep(answerAt - performance.now());
  // The time a call is answered is read just before the answer is written, never after: a client may
  // read the answer and act on it (even log "Stopped") before this process runs its next statement, so
  // a time read afterwards could be later than anything the client did in response.
  const record = (send: () => number | undefined, principal: Principal | undefined): void => {
    const at = parts.state.now();
    const status = send();
    parts.calls.record({ operation, method, path: url.pathname, status, principal: principalName(parts.state, principal), at });
  };

  const { outcome } = decision;
  if (outcome?.mode === 'before') {
    if (!(outcome.kind === 'error' && outcome.atOnce)) await latency();
    record(() => fail(req, res, outcome), undefined);
    return;
  }
  const { response, principal } = dispatch(parts.state, parts.auth, match, request);
  await latency();
  if (decision.answerDelayMs > 0) await sleep(decision.answerDelayMs);
  if (outcome) {
    // The request took effect; only its answer is lost or replaced.
    record(() => fail(req, res, outcome), principal);
    return;
  }
  record(() => {
    sendJson(res, response.status, response.body, response.headers);
    return response.status;
  }, principal);
}

/** Answers an injected fault; returns the status sent, or undefined for a reset connection. */
function fail(req: IncomingMessage, res: ServerResponse, outcome: FaultOutcome): number | undefined {
  if (outcome.kind === 'reset') {
    req.socket.destroy();
    return undefined;
  }
  // [I] SOAR never documents 429; a Retry-After tells a polite client how long to wait.
  const headers: Record<string, string> = outcome.status === 429 ? { 'Retry-After': String(outcome.retryAfterSeconds ?? 1) } : {};
  sendJson(res, outcome.status, errorBody(STATUS_TEXT[outcome.status] ?? 'Injected fault'), headers);
  return outcome.status;
}

function principalName(state: SoarState, principal: Principal | undefined): string | undefined {
  if (principal?.kind === 'apikey') return principal.keyId;
  return principal?.kind === 'user' ? state.userOf(principal)?.email : undefined;
}
