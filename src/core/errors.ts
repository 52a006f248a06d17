/**
 * The few error types of the program. Anything else that is thrown is a bug.
 *
 * - ConfigError: the configuration or the command line is wrong; exit code 2.
 * - ExternalServiceError: AWS or SOAR answered with an error or could not be reached. Classified once,
 *   at the adapter, so callers decide on `retryable` and never inspect SDK or axios errors themselves.
 */

export interface ConfigProblem {
  /** `section.key` (or a command-line option) the problem is about. */
  key: string;
  /** The value found, already blanked if it is a secret; undefined when the key is missing. */
  value?: string;
  /** What was expected. */
  expected: string;
  /** How to fix it. */
  hint?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: ConfigProblem[]) {
    super(ConfigError.describe(problems));
  }

  static describe(problems: ConfigProblem[]): string {
    const lines = problems.map((p) => {
      const found = p.value === undefined ? 'missing' : `found ${JSON.stringify(p.value)}`;
      const hint = p.hint ? ` Fix: ${p.hint}` : '';
      return `  - ${p.key}: ${found}; expected ${p.expected}.${hint}`;
    });
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    return [`Configuration has ${count}:`, ...lines].join('\n');
  }
}

export type ServiceName = 'guardduty' | 'ec2' | 'sts' | 's3' | 'soar';

export class ExternalServiceError extends Error {
  override readonly name = 'ExternalServiceError';
  readonly service: ServiceName;
  readonly operation: string;
  /** HTTP status, when the service answered. */
  readonly status: number | undefined;
  /** The service's own error code (e.g. `BadRequestException`, `AccessDenied`, `ECONNRESET`). */
  readonly code: string | undefined;
  /** True when the same call may succeed if repeated later (5xx, 429, throttling, network). */
  readonly retryable: boolean;

  constructor(args: {
    service: ServiceName;
    operation: string;
    message: string;
    status?: number;
    code?: string;
    retryable: boolean;
    cause?: unknown;
  }) {
    super(args.message, { cause: args.cause });
    this.service = args.service;
    this.operation = args.operation;
    this.status = args.status;
    this.code = args.code;
    this.retryable = args.retryable;
  }

  /** A compact description for logs and notes, never containing credentials. */
  toJSON(): Record<string, unknown> {
    return {
      service: this.service,
      operation: this.operation,
      status: this.status,
      code: this.code,
      retryable: this.retryable,
      message: this.message,
    };
  }
}

/**
 * SOAR answered 404 for a call on an incident, and the incident itself is missing (an administrator
 * deleted it, or the org was restored from an older backup): not a data table or any other child
 * object that went missing. Thrown by the SOAR adapter only once it asked; the sync heals the link.
 */
export class IncidentGoneError extends ExternalServiceError {
  constructor(readonly incidentId: number, operation: string, cause?: unknown) {
    super({
      service: 'soar', operation, status: 404, code: 'INCIDENT_GONE', retryable: false, cause,
      message: `${operation} failed: 404 incident ${incidentId} no longer exists in SOAR (deleted, or the org was restored from an older backup)`,
    });
  }
}

/**
 * The error of an API call a stopping daemon did not make, or cut short: `retryable`, because the
 * next start makes it again (every write is safe to replay), so any code that records failures for
 * a retry treats it as transient. Code that counts or logs failures asks `isAbandoned` first: an
 * abandoned call is not SOAR's or AWS's fault.
 */
export function abandonedCall(service: ServiceName, operation: string): ExternalServiceError {
  return new ExternalServiceError({
    service, operation, code: ABANDONED, retryable: true,
    message: `${operation} was not made: guardduty-soar is stopping (the next start makes it)`,
  });
}

const ABANDONED = 'ABANDONED';

export function isAbandoned(err: unknown): boolean {
  return err instanceof ExternalServiceError && err.code === ABANDONED;
}

export function isRetryable(err: unknown): boolean {
  return err instanceof ExternalServiceError && err.retryable;
}

/** The message of anything thrown, for logs. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
