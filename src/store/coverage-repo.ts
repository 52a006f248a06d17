import type { Db } from './database.js';

/** What the last coverage check found in one account and region (JSON, as `status` and `/metrics` show it). */
export interface CoverageRecord<R = unknown> {
  account: string;
  region: string;
  checkedAt: number;
  report: R;
}

/** The latest coverage report per account and region. */
export class CoverageRepo {
  constructor(private readonly db: Db) {}

  save(account: string, region: string, checkedAt: number, report: unknown): void {
    this.db.prepare(
      `INSERT INTO coverage (account, region, checked_at, report) VALUES (?, ?, ?, ?)
       ON CONFLICT (account, region) DO UPDATE SET checked_at = excluded.checked_at, report = excluded.report`,
    ).run(account, region, checkedAt, JSON.stringify(report));
  }

  all<R>(): CoverageRecord<R>[] {
    const rows = this.db.prepare('SELECT account, region, checked_at, report FROM coverage ORDER BY account, region').all() as
      { account: string; region: string; checked_at: number; report: string }[];
    return rows.map((r) => ({ account: r.account, region: r.region, checkedAt: r.checked_at, report: JSON.parse(r.report) as R }));
  }

  /** Drops the reports of regions no longer checked (a region left out of aws_gd_regions, a detector gone). */
  keepOnly(account: string, regions: readonly string[]): void {
    const placeholders = regions.map(() => '?').join(', ');
    this.db.prepare(`DELETE FROM coverage WHERE account = ?${regions.length > 0 ? ` AND region NOT IN (${placeholders})` : ''}`).run(account, ...regions);
  }
}
