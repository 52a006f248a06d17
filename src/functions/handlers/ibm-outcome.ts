import { ExternalServiceError } from '../../core/errors.js';
import type { FunctionOutcome } from '../function-types.js';

/**
 * How IBM's fn_aws_guardduty turns AWS's answer into a result (issue 22), for its twelve functions:
 *
 * - `post` (create, update, archive) and `delete`: AWS's response plus `status: "ok"`; a ClientError
 *   whose text names `BadRequestException` or `ValidationError` is *caught* and answered as
 *   `success: true, reason: null, content: {status: "error", msg}` (IBM's app does it, odd as it is:
 *   the playbook's script inspects `content.status`);
 * - `get` (get, list): AWS's answer; any ClientError is `success: false, reason, content: {}`;
 * - anything else AWS or the network answers (403, 5xx after retries, no connection), and botocore's
 *   own checks before sending (`ParamValidationError`), is `success: false, reason, content: {}`.
 *
 * The texts are botocore's `str(error)`, which IBM's playbooks show:
 * `An error occurred (<Code>) when calling the <Operation> operation: <AWS's message>`.
 */

/**
 * What botocore checks before it sends (types, and the model's minimums only: never a maximum, an
 * enum or a pattern), as IBM's functions see it: `Parameter validation failed:` and one line per problem.
 */
export class ParamValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Parameter validation failed:\n${problems.join('\n')}`);
    this.name = 'ParamValidationError';
  }
}

/** botocore's "Invalid type" line: `value: yes, type: <class 'str'>, valid types: <class 'bool'>`. */
export function invalidType(parameter: string, value: unknown, valid: 'bool' | 'int' | 'str'): string {
  const type = typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? (Number.isInteger(value) ? 'int' : 'float') : Array.isArray(value) ? 'list' : 'str';
  return `Invalid type for parameter ${parameter}, value: ${pythonText(value)}, type: <class '${type}'>, valid types: <class '${valid}'>`;
}

/** A number input as botocore takes an `int`: a whole number (text of one too, leniently), else its type error. */
export function ibmInteger(parameter: string, value: unknown, min: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n)) throw new ParamValidationError([invalidType(parameter, value, 'int')]);
  if (n < min) throw new ParamValidationError([`Invalid value for parameter ${parameter}, value: ${n}, valid min value: ${min}`]);
  return n;
}

/** A boolean input as botocore takes a `bool` (`"true"`/`"false"` text accepted too, leniently). */
export function ibmBoolean(parameter: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw new ParamValidationError([invalidType(parameter, value, 'bool')]);
}

/** A string parameter with the model's minimum length. */
export function ibmMinLength(parameter: string, value: string, min: number): string {
  if (value.length < min) throw new ParamValidationError([`Invalid length for parameter ${parameter}, value: ${value.length}, valid min length: ${min}`]);
  return value;
}

function pythonText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null || value === undefined) return 'None';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** botocore's text of an AWS error; the daemon's own text for what never reached AWS (no HTTP status). */
export function botocoreText(err: ExternalServiceError): string {
  if (err.status === undefined || err.code === undefined) return err.message;
  const cause = err.cause as { message?: unknown; $metadata?: { attempts?: number } } | undefined;
  const aws = typeof cause?.message === 'string' && cause.message !== '' ? cause.message : err.message;
  const attempts = cause?.$metadata?.attempts ?? 1;
  const retries = err.retryable && attempts > 1 ? ` (reached max retries: ${attempts - 1})` : '';
  return `An error occurred (${err.code}) when calling the ${err.operation} operation${retries}: ${aws}`;
}

/** IBM's `post`/`delete`: `{...response, status: "ok"}`, a rejected request in the content, anything else failed. */
export async function ibmPostOutcome(run: () => Promise<Record<string, unknown>>): Promise<FunctionOutcome> {
  try {
    return { success: true, reason: null, content: await run() };
  } catch (err) {
    if (err instanceof ExternalServiceError) {
      const text = botocoreText(err);
      if (err.status !== undefined && /BadRequestException|ValidationError/.test(text)) return { success: true, reason: null, content: { status: 'error', msg: text } };
      return { success: false, reason: text, content: {} };
    }
    if (err instanceof ParamValidationError) return { success: false, reason: err.message, content: {} };
    throw err;
  }
}

/** IBM's `get`: AWS's answer, or any failure as `success: false` with botocore's text and `{}`. */
export async function ibmGetOutcome(run: () => Promise<unknown>): Promise<FunctionOutcome> {
  try {
    return { success: true, reason: null, content: await run() };
  } catch (err) {
    if (err instanceof ExternalServiceError) return { success: false, reason: botocoreText(err), content: {} };
    if (err instanceof ParamValidationError) return { success: false, reason: err.message, content: {} };
    throw err;
  }
}
