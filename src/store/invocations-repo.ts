import type { Db } from './database.js';

/** How a function invocation ended: success / failure are the function's own answer, error an error reply. */
export type InvocationOutcome = 'success' | 'failure' | 'error';

export interface InvocationStart {
  messageId: string;
  functionName: string;
  /** sha256 of the normalised inputs: shows in `status` that a redelivery carried the same inputs, without storing them. */
  inputsDigest: string;
  correlationId: string;
}

/** What `claim` found: a finished invocation's stored reply, or a run to do (the first, or again after a crash). */
export type Claim = { kind: 'finished'; reply: unknown; outcome: InvocationOutcome } | { kind: 'run'; previousRuns: number };

export interface InvocationSummary {
  byOutcome: Record<InvocationOutcome | 'unfinished', number>;
  last: { functionName: string; outcome: InvocationOutcome | 'unfinished'; receivedAt: number; finishedAt: number | undefined } | undefined;
}

/** Rows kept: finished invocations older than this are pruned (a redelivery comes within minutes, not weeks). */
export const INVOCATION_RETENTION_MS = 7 * 24 * 3_600_000;
/** And never more than this many finished rows, whatever their age. */
export const INVOCATION_MAX_ROWS = 20_000;

interface Row {
  message_id: string; function_name: string; received_at: number; finished_at: number | null;
  outcome: InvocationOutcome | null; reply: string | null; runs: number;
}

/**
 * Every SOAR function invocation by STOMP `message-id`. A redelivery of a finished one is answered
 * with the stored reply and never executed twice; one that was running when the process died has no
 * reply yet and is run again (the functions are idempotent on their message id).
 */
export class InvocationsRepo {
  constructor(private readonly db: Db, private readonly now: () => number) {}

  /** Records the invocation (or finds it) and marks a run as started, in one transaction. */
  claim(start: InvocationStart): Claim {
    return this.db.transaction((): Claim => {
      const row = this.db.prepare('SELECT * FROM invocations WHERE message_id = ?').get(start.messageId) as Row | undefined;
      if (row?.reply != null && row.outcome != null) return { kind: 'finished', reply: JSON.parse(row.reply) as unknown, outcome: row.outcome };
      const now = this.now();
      this.db
        .prepare(
          `INSERT INTO invocations (message_id, function_name, inputs_digest, correlation_id, received_at, started_at, runs)
           VALUES (?, ?, ?, ?, ?, ?, 1)
           ON CONFLICT (message_id) DO UPDATE SET started_at = excluded.started_at, runs = runs + 1`,
        )
        .run(start.messageId, start.functionName, start.inputsDigest, start.correlationId, now, now);
      return { kind: 'run', previousRuns: row?.runs ?? 0 };
    })();
  }

  /** Stores the final reply before it is sent, so a crash between the two is answered from here. */
  finish(messageId: string, outcome: InvocationOutcome, reply: unknown): void {
    this.db
      .prepare('UPDATE invocations SET finished_at = ?, outcome = ?, reply = ? WHERE message_id = ?')
      .run(this.now(), outcome, JSON.stringify(reply), messageId);
  }

  /** Drops finished rows older than the retention or beyond the row cap; returns how many went. */
  prune(retentionMs = INVOCATION_RETENTION_MS, maxRows = INVOCATION_MAX_ROWS): number {
    return this.db.transaction(() => {
      const old = this.db.prepare('DELETE FROM invocations WHERE finished_at IS NOT NULL AND finished_at < ?').run(this.now() - retentionMs).changes;
      const over = this.db
        .prepare(
          `DELETE FROM invocations WHERE message_id IN (
             SELECT message_id FROM invocations WHERE finished_at IS NOT NULL ORDER BY finished_at DESC, received_at DESC LIMIT -1 OFFSET ?)`,
        )
        .run(maxRows).changes;
      return old + over;
    })();
  }

  /** Counts by outcome and the most recent invocation, for `status`. */
  summary(): InvocationSummary {
    const byOutcome: InvocationSummary['byOutcome'] = { success: 0, failure: 0, error: 0, unfinished: 0 };
    const counts = this.db.prepare('SELECT outcome, COUNT(*) AS n FROM invocations GROUP BY outcome').all() as { outcome: InvocationOutcome | null; n: number }[];
    for (const c of counts) byOutcome[c.outcome ?? 'unfinished'] = c.n;
    const last = this.db.prepare('SELECT * FROM invocations ORDER BY received_at DESC, rowid DESC LIMIT 1').get() as Row | undefined;
    return {
      byOutcome,
      last: last && { functionName: last.function_name, outcome: last.outcome ?? 'unfinished', receivedAt: last.received_at, finishedAt: last.finished_at ?? undefined },
    };
  }

  /** How many times an invocation was started (1 normally; more after a crash mid-function). */
  runs(messageId: string): number {
    const row = this.db.prepare('SELECT runs FROM invocations WHERE message_id = ?').get(messageId) as { runs: number } | undefined;
    return row?.runs ?? 0;
  }
}
