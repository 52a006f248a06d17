import type { Db } from './database.js';

/** A malware scan the daemon follows for an incident until its verdict is written into it. */
export interface ScanRecord {
  scanId: string;
  incidentId: number;
  account: string;
  region: string;
  detectorId: string;
  findingId: string | undefined;
  resourceArn: string;
  /** GuardDuty's scan status as last read (RUNNING, COMPLETED, FAILED, SKIPPED, …), or GONE. */
  status: string;
  recordedAt: number;
  checkedAt: number | undefined;
  /** When the verdict was written into the incident; undefined while the daemon follows it. */
  verdictAt: number | undefined;
  lastError: string | undefined;
}

interface Row {
  scan_id: string; incident_id: number; account: string; region: string; detector_id: string; finding_id: string | null; resource_arn: string;
  status: string; recorded_at: number; checked_at: number | null; verdict_at: number | null; last_error: string | null;
}

/** Malware scans by (scan, incident): the same scan may be recorded on two incidents of one instance. */
export class ScansRepo {
  constructor(private readonly db: Db, private readonly now: () => number) {}

  /** Records a scan to follow; a scan already recorded for the incident is left as it is. Answers whether it is new. */
  record(scan: Omit<ScanRecord, 'recordedAt' | 'checkedAt' | 'verdictAt' | 'lastError'>): boolean {
    const result = this.db.prepare(
      `INSERT OR IGNORE INTO malware_scans (scan_id, incident_id, account, region, detector_id, finding_id, resource_arn, status, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(scan.scanId, scan.incidentId, scan.account, scan.region, scan.detectorId, scan.findingId ?? null, scan.resourceArn, scan.status, this.now());
    return result.changes > 0;
  }

  get(scanId: string, incidentId: number): ScanRecord | undefined {
    const row = this.db.prepare('SELECT * FROM malware_scans WHERE scan_id = ? AND incident_id = ?').get(scanId, incidentId) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** The scans whose verdict is not in their incident yet, oldest first. */
  open(): ScanRecord[] {
    return (this.db.prepare('SELECT * FROM malware_scans WHERE verdict_at IS NULL ORDER BY recorded_at, scan_id').all() as Row[]).map(toRecord);
  }

  forIncident(incidentId: number): ScanRecord[] {
    return (this.db.prepare('SELECT * FROM malware_scans WHERE incident_id = ? ORDER BY recorded_at, scan_id').all(incidentId) as Row[]).map(toRecord);
  }

  checked(scanId: string, incidentId: number, status: string, error?: string): void {
    this.db.prepare('UPDATE malware_scans SET status = ?, checked_at = ?, last_error = ? WHERE scan_id = ? AND incident_id = ?')
      .run(status, this.now(), error ?? null, scanId, incidentId);
  }

  verdictWritten(scanId: string, incidentId: number, status: string): void {
    this.db.prepare('UPDATE malware_scans SET status = ?, checked_at = ?, verdict_at = ?, last_error = NULL WHERE scan_id = ? AND incident_id = ?')
      .run(status, this.now(), this.now(), scanId, incidentId);
  }

  /** Scans by status: those followed (verdict not written yet) and those done. */
  counts(): { following: number; done: number } {
    const row = this.db.prepare('SELECT SUM(verdict_at IS NULL) AS following, SUM(verdict_at IS NOT NULL) AS done FROM malware_scans').get() as { following: number | null; done: number | null };
    return { following: row.following ?? 0, done: row.done ?? 0 };
  }
}

function toRecord(row: Row): ScanRecord {
  return {
    scanId: row.scan_id, incidentId: row.incident_id, account: row.account, region: row.region, detectorId: row.detector_id,
    findingId: row.finding_id ?? undefined, resourceArn: row.resource_arn, status: row.status, recordedAt: row.recorded_at,
    checkedAt: row.checked_at ?? undefined, verdictAt: row.verdict_at ?? undefined, lastError: row.last_error ?? undefined,
  };
}
