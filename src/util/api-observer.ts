import type { ServiceName } from '../core/errors.js';

/**
 * How the AWS and SOAR adapters report each logical API call, so metrics and the benchmark can
 * count calls and errors by service and operation without knowing about SDKs or axios.
 */
export interface ApiCallEvent {
  service: ServiceName;
  /** e.g. `ListFindings`, `GetFindings`, `POST /incidents`, `PATCH /incidents/{id}`. */
  operation: string;
  ok: boolean;
  /** HTTP status of the last attempt, when there was a response. */
  status?: number | undefined;
  /** Error code of a failed call. */
  code?: string | undefined;
  /** Attempts made (1 = no retry). */
  attempts: number;
  /** Retries caused by throttling (429 / throttling error codes). */
  throttleRetries: number;
  durationMs: number;
}

export interface ApiObserver {
  onCall(event: ApiCallEvent): void;
}

export const nullObserver: ApiObserver = { onCall: () => undefined };
