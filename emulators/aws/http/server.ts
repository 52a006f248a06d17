import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { adminRoutes, handleAdmin } from '../admin/admin-api.js';
import type { EmulatorControl } from '../admin/control.js';
import { authenticate, execute, identify, renderError, type Incoming, type Rendered, type Target } from './dispatch.js';
import { readRawBody, requestId, resetConnection, send, sleep } from '../protocol/http-io.js';
import { AwsServiceError, faultError } from '../protocol/service-error.js';
import { parseAttempt, parseAuthorization } from '../protocol/sigv4.js';
import type { EmulatorState } from '../state/state.js';

/**
 * The HTTP server: admin API under `/__admin/`, everything else an AWS call. An AWS call goes
 * through: count → latency → authenticate → fault (before) → execute → fault (after) → answer.
 */
export function createEmulatorServer(state: EmulatorState, control: EmulatorControl): http.Server {
  const routes = adminRoutes(control);
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const work = url.pathname.startsWith('/__admin/') ? handleAdmin(req, res, url, routes) : handleAws(state, req, res, url);
    work.catch((err: unknown) => {
      send(res, 500, 'text/plain', `emulator bug: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    });
  });
}

async function handleAws(state: EmulatorState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const bytes = await readRawBody(req);
  const incoming: Incoming = { method: req.method ?? 'GET', url, headers: req.headers, bytes, raw: bytes.toString('utf8') };
  const auth = parseAuthorization(header(req, 'authorization'));
  const target = identify(incoming, auth.ok ? auth.credential.service : undefined);
  const record = state.calls.record({
    service: target.service,
    operation: target.operation,
    region: auth.ok ? auth.credential.region : undefined,
    accessKeyId: auth.ok ? auth.credential.accessKeyId : undefined,
    attempt: parseAttempt(header(req, 'amz-sdk-request')),
    invocationId: header(req, 'amz-sdk-invocation-id'),
    status: undefined,
    at: state.now(),
  });
  await sleep(state.latencyMs);
  const id = requestId();
  const answer = await answerAws(state, req, target, auth, incoming, id);
  if (answer === 'reset') return resetConnection(req, res);
  record.status = answer.status;
  send(res, answer.status, answer.contentType, answer.body, answer.headers);
}

async function answerAws(
  state: EmulatorState, req: IncomingMessage, target: Target, auth: ReturnType<typeof parseAuthorization>, incoming: Incoming, id: string,
): Promise<Rendered | 'reset'> {
  try {
    const { caller, region } = authenticate(target, auth, req, state);
    const decision = state.faults.decide(target.service, target.operation, caller?.accessKeyId, region);
    await sleep(decision.latencyMs);
    const fault = decision.outcome;
    if (fault?.mode === 'before') return fault.kind === 'reset' ? 'reset' : renderError(target, faultError(target.service, fault.status), id);
    const result = execute(target, caller, region, incoming, state, id);
    if (fault) return fault.kind === 'reset' ? 'reset' : renderError(target, faultError(target.service, fault.status), id);
    return result;
  } catch (err) {
    if (err instanceof AwsServiceError) return renderError(target, err, id);
    const message = `The emulator failed: ${err instanceof Error ? err.message : String(err)}`;
    const code = target.service === 's3' ? 'InternalError' : 'InternalServerErrorException';
    return renderError(target, new AwsServiceError(500, code, message, target.service === 's3' ? code : 'InternalException'), id);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
