import type { Db } from './database.js';

export interface DetectorKey {
  account: string;
  region: string;
  detectorId: string;
}

export interface CursorRow extends DetectorKey {
  /** updatedAt (epoch ms) up to which every finding has been handled; undefined before the first listing. */
  cursorMs: number | undefined;
  lastAttemptAt: number | undefined;
  lastSuccessAt: number | undefined;
  lastError: string | undefined;
  lastErrorAt: number | undefined;
}

interface Row {
  account: string; region: string; detector_id: string; cursor_ms: number | null; last_attempt_at: number | null;
  last_success_at: number | null; last_error: string | null; last_error_at: number | null;
}

function toCursor(r: Row): CursorRow {
  return {
    account: r.account, region: r.region, detectorId: r.detector_id, cursorMs: r.cursor_ms ?? undefined,
    lastAttemptAt: r.last_attempt_at ?? undefined, lastSuccessAt: r.last_success_at ?? undefined,
    lastError: r.last_error ?? undefined, lastErrorAt: r.last_error_at ?? undefined,
  };
}

const UPSERT = `INSERT INTO cursors (account, region, detector_id) VALUES (@account, @region, @detectorId)
  ON CONFLICT (account, region, detector_id) DO NOTHING`;
const WHERE = 'account = @account AND region = @region AND detector_id = @detectorId';

/** Durable per-(account, region, detector) listing cursors and the health of each region. */
export class CursorsRepo {
  constructor(private readonly db: Db, private readonly now: () => number) {}

  get(key: DetectorKey): CursorRow | undefined {
    const row = this.db.prepare(`SELECT * FROM cursors WHERE ${WHERE}`).get(params(key)) as Row | undefined;
    return row ? toCursor(row) : undefined;
  }

  all(): CursorRow[] {
    return (this.db.prepare('SELECT * FROM cursors ORDER BY account, region').all() as Row[]).map(toCursor);
  }

  /** Moves the cursor forward; a value behind the stored one is ignored (cursors never go back). */
  advance(key: DetectorKey, cursorMs: number): void {
    this.db.transaction(() => {
      this.db.prepare(UPSERT).run(params(key));
      this.db
        .prepare(`UPDATE cursors SET cursor_ms = @cursorMs WHERE ${WHERE} AND (cursor_ms IS NULL OR cursor_ms < @cursorMs)`)
        .run({ ...params(key), cursorMs });
    })();
  }

  recordAttempt(key: DetectorKey): void {
    this.db.prepare(UPSERT).run(params(key));
    this.db.prepare(`UPDATE cursors SET last_attempt_at = @now WHERE ${WHERE}`).run({ ...params(key), now: this.now() });
  }

  recordSuccess(key: DetectorKey): void {
    this.db.prepare(UPSERT).run(params(key));
    this.db
      .prepare(`UPDATE cursors SET last_success_at = @now, last_error = NULL, last_error_at = NULL WHERE ${WHERE}`)
      .run({ ...params(key), now: this.now() });
  }

  recordError(key: DetectorKey, message: string): void {
    this.db.prepare(UPSERT).run(params(key));
    this.db
      .prepare(`UPDATE cursors SET last_error = @message, last_error_at = @now WHERE ${WHERE}`)
      .run({ ...params(key), message: message.slice(0, 2000), now: this.now() });
  }
}

function params(key: DetectorKey): Record<string, string> {
  return { account: key.account, region: key.region, detectorId: key.detectorId };
}
