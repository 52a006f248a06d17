import os from 'node:os';
import type { FunctionInputs, FunctionOutcome } from '../function-types.js';
import { JsonFloat, stringifyWithFloats } from '../json-float.js';

/**
 * The bodies the listener SENDs to an invocation's `reply-to` (reference §4.1, §4.2), as
 * resilient-circuits shapes them, so SOAR and IBM's playbook scripts read them unchanged.
 */

/** `message_type` 0: status or success; 1: error (SOAR fails the playbook step). */
export interface ReplyBody {
  message_type: 0 | 1;
  message: string;
  complete: boolean;
  results?: ResultPayload;
}

/**
 * The result payload a playbook reads as `results`: v2 (`version` 2.0, written as the float `2.0`
 * as Python writes it, `raw` null) or v1 (`version` "1.0", `raw` ""), as resilient-lib builds them.
 */
export interface ResultPayload {
  version: JsonFloat | '1.0';
  success: boolean;
  reason: string | null;
  content: unknown;
  raw: null | '';
  inputs: FunctionInputs;
  metrics: {
    version: '1.0';
    package: string;
    package_version: string;
    host: string;
    execution_time_ms: number;
    timestamp: string;
  };
}

/** Which package answers (IBM's says fn-aws-guardduty; ours names itself, honestly). */
export interface PackageInfo {
  name: string;
  version: string;
}

export function statusReply(text: string): ReplyBody {
  return { message_type: 0, message: text, complete: false };
}

export function successReply(outcome: FunctionOutcome, inputs: FunctionInputs, pkg: PackageInfo, elapsedMs: number, finishedAt: number): ReplyBody {
  return {
    message_type: 0,
    message: 'Completed',
    complete: true,
    results: {
      version: outcome.payloadVersion === 1 ? '1.0' : new JsonFloat(2),
      success: outcome.success,
      reason: outcome.reason,
      content: outcome.content,
      raw: outcome.payloadVersion === 1 ? '' : null,
      inputs,
      metrics: {
        version: '1.0', package: pkg.name, package_version: pkg.version, host: os.hostname(),
        execution_time_ms: Math.max(0, Math.round(elapsedMs)), timestamp: localTimestamp(finishedAt),
      },
    },
  };
}

/** A reply as resilient-circuits sends it (`json.dumps(…, indent=2)`), floats written as Python writes them. */
export function replyText(body: ReplyBody): string {
  return stringifyWithFloats(body, 2);
}

export function errorReply(message: string): ReplyBody {
  return { message_type: 1, message, complete: true };
}

/** `YYYY-MM-DD HH:MM:SS` in local time, as resilient-lib's FunctionMetrics writes it. */
function localTimestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
