import type { Db } from './database.js';

/**
 * Sync actions recorded before they are attempted and cleared after they succeed, so a crash or an
 * outage at any instant is finished by a later cycle. Every action is idempotent, so repeating one
 * that had in fact completed is harmless.
 */
export interface PendingOp {
  id: number;
  kind: string;
  key: string;
  payload: Record<string, unknown>;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | undefined;
  createdAt: number;
}

interface Row {
  id: number; kind: string; op_key: string; payload: string; attempts: number; next_attempt_at: number;
  last_error: string | null; created_at: number;
}

function toOp(r: Row): PendingOp {
  return {
    id: r.id, kind: r.kind, key: r.op_key, payload: JSON.parse(r.payload) as Record<string, unknown>,
    attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastError: r.last_error ?? undefined, createdAt: r.created_at,
  };
}

export class PendingOpsRepo {
  constructor(private readonly db: Db, private readonly now: () => number) {}

  /** Records an action; if the same (kind, key) is already pending, its payload is replaced and its schedule kept. */
  enqueue(kind: string, key: string, payload: Record<string, unknown> = {}, dueAt?: number): void {
    const now = this.now();
    this.db
      .prepare(
        `INSERT INTO pending_ops (kind, op_key, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (kind, op_key) DO UPDATE SET payload = excluded.payload`,
      )
      .run(kind, key, JSON.stringify(payload), dueAt ?? now, now);
  }

  get(kind: string, key: string): PendingOp | undefined {
    const row = this.db.prepare('SELECT * FROM pending_ops WHERE kind = ? AND op_key = ?').get(kind, key) as Row | undefined;
    return row ? toOp(row) : undefined;
  }

  /** Actions of a kind that are due, oldest first. */
  due(kind: string, limit = 10_000): PendingOp[] {
    return (
      this.db
        .prepare('SELECT * FROM pending_ops WHERE kind = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?')
        .all(kind, this.now(), limit) as Row[]
    ).map(toOp);
  }

  complete(kind: string, key: string): void {
    this.db.prepare('DELETE FROM pending_ops WHERE kind = ? AND op_key = ?').run(kind, key);
  }

  /** Drops the actions of a kind recorded for one incident (`payload.incidentId`): it no longer exists in SOAR. */
  completeForIncident(kind: string, incidentId: number): number {
    return this.db.prepare("DELETE FROM pending_ops WHERE kind = ? AND json_extract(payload, '$.incidentId') = ?").run(kind, incidentId).changes;
  }

  /** Records a failed attempt and when to try again. */
  fail(kind: string, key: string, error: string, nextAttemptAt: number): void {
    this.db
      .prepare(
        `UPDATE pending_ops SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE kind = ? AND op_key = ?`,
      )
      .run(error.slice(0, 2000), nextAttemptAt, kind, key);
  }

  /** The keys of the actions of a kind that are waiting for their backoff to pass. */
  waitingKeys(kind: string): string[] {
    return (this.db.prepare('SELECT op_key FROM pending_ops WHERE kind = ? AND next_attempt_at > ?').all(kind, this.now()) as { op_key: string }[])
      .map((r) => r.op_key);
  }

  /** Ends every action's backoff: they are all tried at the next opportunity. Returns how many waited. */
  makeAllDue(): number {
    const now = this.now();
    return this.db.prepare('UPDATE pending_ops SET next_attempt_at = ? WHERE next_attempt_at > ?').run(now, now).changes;
  }

  all(): PendingOp[] {
    return (this.db.prepare('SELECT * FROM pending_ops ORDER BY kind, next_attempt_at').all() as Row[]).map(toOp);
  }

  countByKind(): Record<string, number> {
    const rows = this.db.prepare('SELECT kind, COUNT(*) AS n FROM pending_ops GROUP BY kind').all() as { kind: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
  }
}
