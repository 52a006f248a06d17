import type { Db } from './database.js';

export interface LockOwner {
  owner: string;
  pid: number;
  host: string;
}

export interface LockHolder extends LockOwner {
  startedAt: number;
  heartbeatAt: number;
}

export type LockResult = { acquired: true } | { acquired: false; holder: LockHolder };

interface Row { owner: string; pid: number; host: string; started_at: number; heartbeat_at: number }

/**
 * One daemon per database. The lock is a row in the database itself (so it travels with the file on a
 * shared volume) with a heartbeat. A holder is considered gone when its heartbeat is stale, or when it
 * was on this host and its process no longer exists (after kill -9 the next start takes over at once;
 * in a container the restarted process often has the same pid, which is then necessarily us).
 */
export class LockRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly isAlive: (pid: number) => boolean = processIsAlive,
  ) {}

  acquire(me: LockOwner, staleAfterMs: number): LockResult {
    return this.db.transaction((): LockResult => {
      const row = this.db.prepare('SELECT * FROM daemon_lock WHERE id = 1').get() as Row | undefined;
      if (row && !this.isStale(row, me, staleAfterMs)) {
        return {
          acquired: false,
          holder: { owner: row.owner, pid: row.pid, host: row.host, startedAt: row.started_at, heartbeatAt: row.heartbeat_at },
        };
      }
      const now = this.now();
      this.db
        .prepare(
          `INSERT INTO daemon_lock (id, owner, pid, host, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, host = excluded.host,
             started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at`,
        )
        .run(me.owner, me.pid, me.host, now, now);
      return { acquired: true };
    }).immediate();
  }

  heartbeat(me: LockOwner): boolean {
    const result = this.db
      .prepare('UPDATE daemon_lock SET heartbeat_at = ? WHERE id = 1 AND owner = ?')
      .run(this.now(), me.owner);
    return result.changes === 1;
  }

  release(me: LockOwner): void {
    this.db.prepare('DELETE FROM daemon_lock WHERE id = 1 AND owner = ?').run(me.owner);
  }

  holder(): LockHolder | undefined {
    const row = this.db.prepare('SELECT * FROM daemon_lock WHERE id = 1').get() as Row | undefined;
    return row ? { owner: row.owner, pid: row.pid, host: row.host, startedAt: row.started_at, heartbeatAt: row.heartbeat_at } : undefined;
  }

  private isStale(row: Row, me: LockOwner, staleAfterMs: number): boolean {
    if (this.now() - row.heartbeat_at > staleAfterMs) return true;
    if (row.host !== me.host) return false;
    return row.pid === me.pid || !this.isAlive(row.pid);
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
