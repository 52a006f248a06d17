import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from '../state/records.js';
import type { OutputOptions } from '../values/output-options.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestRequest {
  method: HttpMethod;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Pattern parameters, e.g. `id`, `table`, `org_id`. */
  params: Record<string, string>;
  body: unknown;
  principal: Principal;
  out: OutputOptions;
}

export interface RestResponse {
  status: number;
  /** Serialized as JSON; undefined sends no body (204). */
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (req: RestRequest) => RestResponse;

export interface RouteDef {
  method: HttpMethod;
  /** Org-relative (`/incidents/{id}`, served under `/rest/orgs/{org_id}`) or absolute (`/rest/session`). */
  pattern: string;
  scope: 'org' | 'absolute';
  handler: RouteHandler;
  /** A POST that only reads (queries): allowed for read-only API keys. */
  read?: boolean;
  /** Needs no credentials (the login itself). */
  public?: boolean;
}

export function ok(body: unknown): RestResponse {
  return { status: 200, body };
}

export function route(method: HttpMethod, pattern: string, handler: RouteHandler, extra: Partial<RouteDef> = {}): RouteDef {
  return { method, pattern, scope: 'org', handler, ...extra };
}

/** A numeric path parameter; anything else is a missing object. */
export function idParam(req: RestRequest, name: string): number {
  const raw = req.params[name] ?? '';
  return /^\d+$/.test(raw) ? Number(raw) : NaN;
}
