import { ExternalServiceError } from '../core/errors.js';

/**
 * How a failed SOAR attempt is classified, once: whether the same call may succeed later
 * (`retryable`, for the caller), whether the transport may repeat it now (depends on whether the
 * request could have reached the server), and the message an operator reads.
 */

/** Network failures after which the request may or may not have been processed. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT',
  'ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
]);

/** Failures before a connection existed: the server certainly did not process the request. */
const NOT_DELIVERED_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Node's certificate verification failures. */
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

/** An attempt that failed: either an HTTP answer we do not accept, or no answer at all. */
export type FailedAttempt =
  | { kind: 'status'; status: number; body: unknown; retryAfter: string | undefined }
  | { kind: 'network'; code: string; message: string };

export interface Classification {
  /** The call may succeed if made again later. */
  retryable: boolean;
  /**
   * The request certainly never reached the server (no connection was made). Nothing else is
   * certain: a 429, a 5xx, a timeout or a reset may come after SOAR acted (a gateway, a proxy).
   */
  notProcessed: boolean;
  throttled: boolean;
  status: number | undefined;
  code: string | undefined;
  /** IBM's `message` (or the network error), shortened. */
  detail: string;
}

export function classifyAttempt(failure: FailedAttempt): Classification {
  if (failure.kind === 'network') {
    const transient = TRANSIENT_NETWORK_CODES.has(failure.code);
    return {
      retryable: transient,
      notProcessed: NOT_DELIVERED_CODES.has(failure.code),
      throttled: false,
      status: undefined,
      code: failure.code,
      // First line only: some errors (test doubles, proxies) append the request, headers included.
      detail: shorten(failure.message.split('\n')[0] ?? '', 200),
    };
  }
  const { status } = failure;
  return {
    retryable: status === 429 || status >= 500,
    notProcessed: false,
    throttled: status === 429,
    status,
    code: ibmErrorCode(failure.body),
    detail: ibmMessage(failure.body),
  };
}

export interface AuthDescription {
  kind: 'apikey' | 'password';
  /** The API key id or the email: never the secret. */
  principal: string;
}

/** The ExternalServiceError for a classified failure; the message names the fix where we know it. */
export function toServiceError(
  operation: string,
  c: Classification,
  auth: AuthDescription,
  cause: unknown,
): ExternalServiceError {
  const head = `${operation} failed: ${c.status ?? c.code ?? 'error'}`;
  return new ExternalServiceError({
    service: 'soar',
    operation,
    status: c.status,
    code: c.code,
    retryable: c.retryable,
    message: `${head} ${explain(c, auth)}`.trim(),
    cause,
  });
}

function explain(c: Classification, auth: AuthDescription): string {
  if (c.status === 401) {
    return auth.kind === 'apikey'
      ? `SOAR rejected the API key (api_key_id '${auth.principal}'): the key id or secret is wrong, the key is ` +
          'blocked or this IP address is banned. Check api_key_id and api_key_secret in [resilient].'
      : `SOAR rejected the email/password of '${auth.principal}' (or the session expired and logging in ` +
          'again failed). Check email and password in [resilient].';
  }
  if (c.status === 403) {
    return `${c.detail} (the SOAR account lacks a permission this call needs; see the API key's permissions)`.trim();
  }
  if (c.status === undefined && c.code !== undefined && TLS_CODES.test(c.code)) {
    return `${c.detail} (SOAR's TLS certificate is not trusted: set [resilient] cafile to the CA bundle that signed it)`;
  }
  if (c.status === undefined) return c.detail === c.code ? '' : c.detail;
  return c.detail;
}

function ibmErrorCode(body: unknown): string | undefined {
  if (isRecord(body) && typeof body['error_code'] === 'string') return body['error_code'];
  return undefined;
}

/** IBM's ErrorDTO `message`, or the start of whatever else came back (HTML error pages, text). */
export function ibmMessage(body: unknown): string {
  if (isRecord(body) && typeof body['message'] === 'string') return shorten(body['message']);
  if (typeof body === 'string') return shorten(body.replace(/<[^>]*>/g, ' '));
  return '';
}

export function shorten(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Total attempts, the first included. */
  maxAttempts: number;
  /** A longer `Retry-After` than this ends the call (retryable) instead of blocking the cycle. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxAttempts: 5,
  maxRetryAfterMs: 60_000,
};

/**
 * The wait before attempt `attempt + 1`: the server's `Retry-After` when it sent one (seconds or
 * an HTTP date), else exponential backoff with full jitter so that parallel writers spread out.
 * Undefined when the server asks for a longer pause than we are willing to block for.
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfter: string | undefined,
  now: number,
  random: () => number,
): number | undefined {
  const asked = parseRetryAfter(retryAfter, now);
  if (asked !== undefined) return asked > policy.maxRetryAfterMs ? undefined : asked;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
