import os from 'node:os';
import type { FunctionInputs, FunctionOutcome } from '../function-types.js';

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

/** The v2 result payload a playbook reads as `results` (`version` 2.0, `raw` null). */
export interface ResultPayload {
  version: 2.0;
  success: boolean;
  reason: string | null;
  content: unknown;
  raw: null;
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
      version: 2.0,
      success: outcome.success,
      reason: outcome.reason,
      content: outcome.content,
      raw: null,
      inputs,
      metrics: {
        version: '1.0', package: pkg.name, package_version: pkg.version, host: os.hostname(),
        execution_time_ms: Math.max(0, Math.round(elapsedMs)), timestamp: localTimestamp(finishedAt),
      },
    },
  };
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
