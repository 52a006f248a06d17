import type { PendingOp } from '../store/pending-ops-repo.js';

/** What each kind of pending operation is, in an operator's words (status lists each with its last error). */
const KIND_LABEL: Record<string, string> = {
  'sync-finding': 'finding(s) whose sync failed',
  archive: 'finding archive(s) in GuardDuty',
  note: 'incident note(s)',
  content: 'incident(s) whose rows or artifacts are unfinished',
  reopen: 'reopen(s) to confirm',
  'recur-new': 'recurrence incident(s) to finish',
};

export interface PendingWork {
  /** Operations by kind: how many, how many the next run retries at once, and when the others are due. */
  byKind: Record<string, { count: number; dueNow: number; waiting: number; firstRetryAt?: string; lastRetryAt?: string }>;
  total: number;
  /** One paragraph for stderr. */
  text: string;
}

/**
 * The work a `once` leaves for later: failed findings (retried at the next run, or after their
 * backoff), archives, notes, … — with when each is retried. Undefined when nothing is left.
 */
export function describePendingWork(ops: readonly PendingOp[], now: number): PendingWork | undefined {
  if (ops.length === 0) return undefined;
  const byKind: PendingWork['byKind'] = {};
  for (const op of ops) {
    const k = (byKind[op.kind] ??= { count: 0, dueNow: 0, waiting: 0 });
    k.count += 1;
    if (op.nextAttemptAt <= now) {
      k.dueNow += 1;
      continue;
    }
    k.waiting += 1;
    const at = new Date(op.nextAttemptAt).toISOString();
    if (k.firstRetryAt === undefined || at < k.firstRetryAt) k.firstRetryAt = at;
    if (k.lastRetryAt === undefined || at > k.lastRetryAt) k.lastRetryAt = at;
  }
  const parts = Object.entries(byKind).map(([kind, k]) => {
    const when: string[] = [];
    if (k.dueNow > 0) when.push(`${k.dueNow} retried by the next run`);
    if (k.waiting > 0) {
      const until = k.firstRetryAt === k.lastRetryAt ? `until ${k.firstRetryAt ?? ''}` : `from ${k.firstRetryAt ?? ''} to ${k.lastRetryAt ?? ''}`;
      when.push(`${k.waiting} waiting out a backoff (retried ${until})`);
    }
    return `${k.count} ${KIND_LABEL[kind] ?? kind}: ${when.join(', ')}`;
  });
  const text = `Work left pending, so the exit code is 1: ${parts.join('; ')}. ` +
    '`guardduty-soar status` lists each with its last error; `once` or `run` retries them when they are due.';
  return { byKind, total: ops.length, text };
}
