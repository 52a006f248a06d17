import type { Db } from './database.js';

/**
 * What the daemon has written into each incident: the fingerprints of the latest rows per data table
 * (so a refresh adds a row only when a table's content changed) and the (type, value) of every
 * artifact (so a refresh adds only new artifacts).
 */
export class FingerprintsRepo {
  constructor(private readonly db: Db) {}

  rows(incidentId: number, table: string): string[] {
    const row = this.db
      .prepare('SELECT fingerprints FROM row_fingerprints WHERE incident_id = ? AND table_name = ?')
      .get(incidentId, table) as { fingerprints: string } | undefined;
    return row ? (JSON.parse(row.fingerprints) as string[]) : [];
  }

  /** Tables that have any recorded row for the incident. */
  tables(incidentId: number): string[] {
    return (this.db.prepare('SELECT table_name FROM row_fingerprints WHERE incident_id = ?').all(incidentId) as { table_name: string }[]).map(
      (r) => r.table_name,
    );
  }

  setRows(incidentId: number, table: string, fingerprints: readonly string[]): void {
    this.db
      .prepare(
        `INSERT INTO row_fingerprints (incident_id, table_name, fingerprints) VALUES (?, ?, ?)
         ON CONFLICT (incident_id, table_name) DO UPDATE SET fingerprints = excluded.fingerprints`,
      )
      .run(incidentId, table, JSON.stringify(fingerprints));
  }

  artifacts(incidentId: number): Set<string> {
    const rows = this.db.prepare('SELECT type, value FROM artifact_keys WHERE incident_id = ?').all(incidentId) as {
      type: string;
      value: string;
    }[];
    return new Set(rows.map((r) => artifactKey(r.type, r.value)));
  }

  addArtifacts(incidentId: number, artifacts: readonly { type: string; value: string }[]): void {
    const stmt = this.db.prepare('INSERT OR IGNORE INTO artifact_keys (incident_id, type, value) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const a of artifacts) stmt.run(incidentId, a.type, a.value);
    })();
  }

  /** Forgets what was recorded for an incident (before rebuilding it from what SOAR holds). */
  forget(incidentId: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM row_fingerprints WHERE incident_id = ?').run(incidentId);
      this.db.prepare('DELETE FROM artifact_keys WHERE incident_id = ?').run(incidentId);
    })();
  }
}

/**
 * What makes two artifacts the same one on an incident. A DNS name is case-insensitive and its
 * trailing dot (the root) is optional, so `Evil.Example.COM.` and `evil.example.com` are one
 * artifact, also against artifacts the incident already has; every other type compares exactly.
 */
export function artifactKey(type: string, value: string): string {
  const comparable = type === 'DNS Name' ? value.toLowerCase().replace(/\.$/, '') : value;
  return `${type}\u0000${comparable}`;
}
