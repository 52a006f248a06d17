import type { IncomingHttpHeaders } from 'node:http';
import type { AuthService } from '../auth/auth-service.js';
import { SoarError, errorBody } from '../errors.js';
import type { Principal } from '../state/records.js';
import type { SoarState } from '../state/soar-state.js';
import { outputOptions } from '../values/output-options.js';
import type { RouteMatch } from './router.js';
import type { HttpMethod, RestResponse } from './types.js';

export interface Dispatched {
  response: RestResponse;
  principal: Principal | undefined;
}

/**
 * Runs one REST request: authentication, org scoping, read-only keys, JSON parsing, then the
 * route. Every failure becomes SOAR's generic error body; an unexpected exception is a 500 so
 * an emulator bug is visible to the client as a server error.
 */
export function dispatch(
  state: SoarState,
  auth: AuthService,
  match: RouteMatch | undefined,
  request: { method: HttpMethod; path: string; query: URLSearchParams; headers: IncomingHttpHeaders; rawBody: string },
): Dispatched {
  let principal: Principal | undefined;
  try {
    principal = match?.route.public ? { kind: 'anonymous' } : auth.authenticate(request.headers);
    // [I] Unknown endpoints answer 404 (v51 answers some with 500, which would only cause retries).
    if (!match) throw new SoarError(404, `No such endpoint in the SOAR emulator: ${request.method} ${request.path}`);
    const orgId = match.params.org_id;
    // [I] Another org's id is a 403: the caller is authenticated but not a member of it.
    if (orgId !== undefined && orgId !== String(state.options.org.id)) {
      throw new SoarError(403, `Forbidden: you are not a member of organization ${orgId}.`);
    }
    const write = request.method !== 'GET' && !match.route.read && !match.route.public;
    if (write && principal.kind === 'apikey' && principal.readOnly) {
      throw new SoarError(403, 'Forbidden: the API key does not have permission for this operation.');
    }
    const response = match.route.handler({
      method: request.method,
      path: request.path,
      query: request.query,
      headers: request.headers,
      params: match.params,
      body: parseJson(request.rawBody),
      principal,
      out: outputOptions(request.query, request.headers),
    });
    return { response, principal };
  } catch (error) {
    if (error instanceof SoarError) {
      return { response: { status: error.status, body: errorBody(error.message), headers: error.headers }, principal };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { response: { status: 500, body: errorBody(`Internal Server Error: ${message}`) }, principal };
  }
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new SoarError(400, 'Bad Request: the body is not valid JSON.');
  }
}
