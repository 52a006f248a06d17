import type { Db } from './database.js';

/** A suppression rule (an ARCHIVE filter) created from an incident, and what it matches. */
export interface SuppressionRecord {
  account: string;
  region: string;
  name: string;
  detectorId: string;
  incidentId: number;
  findingId: string;
  /** Field → the values it must equal (the conditions the daemon wrote, all `Equals`). */
  criteria: Record<string, string[]>;
  createdAt: number;
}

interface Row { account: string; region: string; name: string; detector_id: string; incident_id: number; finding_id: string; criteria: string; created_at: number }

/** The suppression rules guardduty-soar created, by account, region and name. */
export class SuppressionsRepo {
  constructor(private readonly db: Db, private readonly now: () => number) {}

  record(rule: Omit<SuppressionRecord, 'createdAt'>): void {
    this.db.prepare(
      `INSERT INTO suppression_rules (account, region, name, detector_id, incident_id, finding_id, criteria, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account, region, name) DO UPDATE SET criteria = excluded.criteria, incident_id = excluded.incident_id, finding_id = excluded.finding_id`,
    ).run(rule.account, rule.region, rule.name, rule.detectorId, rule.incidentId, rule.findingId, JSON.stringify(rule.criteria), this.now());
  }

  forget(account: string, region: string, name: string): void {
    this.db.prepare('DELETE FROM suppression_rules WHERE account = ? AND region = ? AND name = ?').run(account, region, name);
  }

  /** The rules of one detector's account and region. */
  inRegion(account: string, region: string): SuppressionRecord[] {
    return (this.db.prepare('SELECT * FROM suppression_rules WHERE account = ? AND region = ? ORDER BY created_at, name').all(account, region) as Row[]).map((r) => ({
      account: r.account, region: r.region, name: r.name, detectorId: r.detector_id, incidentId: r.incident_id, findingId: r.finding_id,
      criteria: JSON.parse(r.criteria) as Record<string, string[]>, createdAt: r.created_at,
    }));
  }
}
