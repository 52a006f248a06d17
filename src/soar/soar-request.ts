/** What an adapter asks of the HTTP core (`soar-http.ts`), and what it gets back. */

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

/** The password login itself (`POST /rest/session`), which never needs a session of its own. */
export function isLoginRequest(req: SoarRequest): boolean {
  return req.absolute === true && req.method === 'POST' && req.path === '/session';
}
