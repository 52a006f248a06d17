import type { Db } from './database.js';

export type DetectorStatus = 'active' | 'no-detector' | 'failed';

export interface DetectorRow {
  account: string;
  region: string;
  detectorId: string | undefined;
  status: DetectorStatus;
  reason: string | undefined;
  discoveredAt: number;
}

interface Row {
  account: string; region: string; detector_id: string | null; status: DetectorStatus; reason: string | null; discovered_at: number;
}

/** The regions and detectors found by the last discovery of each account. */
export class DetectorsRepo {
  constructor(private readonly db: Db) {}

  /** Replaces an account's discovery result in one transaction. */
  replace(account: string, rows: readonly Omit<DetectorRow, 'account'>[]): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM detectors WHERE account = ?').run(account);
      const insert = this.db.prepare(
        'INSERT INTO detectors (account, region, detector_id, status, reason, discovered_at) VALUES (?, ?, ?, ?, ?, ?)',
      );
      for (const r of rows) insert.run(account, r.region, r.detectorId ?? null, r.status, r.reason ?? null, r.discoveredAt);
    })();
  }

  list(account?: string): DetectorRow[] {
    const rows = (
      account === undefined
        ? this.db.prepare('SELECT * FROM detectors ORDER BY account, region').all()
        : this.db.prepare('SELECT * FROM detectors WHERE account = ? ORDER BY region').all(account)
    ) as Row[];
    return rows.map((r) => ({
      account: r.account, region: r.region, detectorId: r.detector_id ?? undefined, status: r.status,
      reason: r.reason ?? undefined, discoveredAt: r.discovered_at,
    }));
  }
}
