import type { FindingKey } from '../findings/finding-key.js';
import type { Db } from './database.js';

/**
 * finding → incident links. A link is written `creating` before the SOAR create and moves to
 * `partial` (incident exists, rows may be missing) and `synced` as the work completes, so a crash at
 * any instant leaves a state the next run knows how to finish.
 *
 * - creating: the create may or may not have reached SOAR; look the incident up before creating.
 * - partial:  the incident exists; data-table rows or artifacts may be missing; complete them.
 * - synced:   incident matches the finding as of `updated_at`/`count`.
 * - adopted:  rebuilt from SOAR into an empty database; what rows/artifacts exist is unknown until read.
 * - gone:     GuardDuty no longer returns the finding; the incident is left as responders have it.
 * - orphaned: the incident no longer exists in SOAR (deleted, or the org restored from an older
 *             backup); `incident_id` is cleared and `deleted_incident_id` names it. Open: the next
 *             sync of the finding recreates it (aws_gd_deleted_incident = recreate); closed: forgotten
 *             until GuardDuty updates the finding again and the setting says recreate.
 */
export type LinkState = 'creating' | 'partial' | 'synced' | 'adopted' | 'gone' | 'orphaned';
export type IncidentState = 'open' | 'closed';

/** The finding facts a link remembers, to recognise a re-read finding at no cost. */
export interface FindingSnapshot {
  findingAccount: string;
  updatedAt: string;
  count: number;
  severity: number | null;
  archived: boolean;
}

export interface Link extends FindingKey, FindingSnapshot {
  incidentId: number | null;
  incidentState: IncidentState;
  /**
   * When SOAR closed the incident (epoch ms), recorded when the daemon learns of a responder's close;
   * null while open, when the daemon closed it itself, or when unknown.
   */
  closedAt: number | null;
  state: LinkState;
  /** Incident field values the daemon last wrote (the update template's output), for diffs. */
  applied: Record<string, unknown>;
  seenCycle: number;
  createdAt: number;
  changedAt: number;
  /** The last incident of this finding that SOAR no longer holds (null: none was ever lost). */
  deletedIncidentId: number | null;
  /** When the incident was last found in SOAR holding this finding (null: never checked). */
  verifiedAt: number | null;
}

interface LinkRow {
  account: string; region: string; detector_id: string; finding_id: string; finding_account: string;
  incident_id: number | null; updated_at: string; count: number; severity: number | null; archived: number;
  incident_state: IncidentState; closed_at: number | null; state: LinkState; applied: string; seen_cycle: number;
  created_at: number; changed_at: number;
  /** Absent from a database not yet migrated to schema 4 (status reads it as it is). */
  deleted_incident_id?: number | null; verified_at?: number | null;
}

const KEY_WHERE = 'account = @account AND region = @region AND detector_id = @detectorId AND finding_id = @findingId';

function toLink(row: LinkRow): Link {
  return {
    account: row.account, region: row.region, detectorId: row.detector_id, findingId: row.finding_id,
    findingAccount: row.finding_account, incidentId: row.incident_id, updatedAt: row.updated_at,
    count: row.count, severity: row.severity, archived: row.archived === 1,
    incidentState: row.incident_state, closedAt: row.closed_at, state: row.state,
    applied: JSON.parse(row.applied) as Record<string, unknown>,
    seenCycle: row.seen_cycle, createdAt: row.created_at, changedAt: row.changed_at,
    deletedIncidentId: row.deleted_incident_id ?? null, verifiedAt: row.verified_at ?? null,
  };
}

function keyParams(key: FindingKey): Record<string, string> {
  return { account: key.account, region: key.region, detectorId: key.detectorId, findingId: key.findingId };
}

function snapshotParams(s: FindingSnapshot): Record<string, string | number | null> {
  return { findingAccount: s.findingAccount, updatedAt: s.updatedAt, count: s.count, severity: s.severity, archived: s.archived ? 1 : 0 };
}

export class LinksRepo {
  constructor(private readonly db: Db, private readonly now: () => number) {}

  get(key: FindingKey): Link | undefined {
    const row = this.db.prepare(`SELECT * FROM links WHERE ${KEY_WHERE}`).get(keyParams(key)) as LinkRow | undefined;
    return row ? toLink(row) : undefined;
  }

  /** The link whose incident this is (an orphaned link names none). */
  byIncident(incidentId: number): Link | undefined {
    const row = this.db.prepare('SELECT * FROM links WHERE incident_id = ? ORDER BY changed_at DESC LIMIT 1').get(incidentId) as
      | LinkRow
      | undefined;
    return row ? toLink(row) : undefined;
  }

  /** Records the intent to create an incident; a link that already has an incident is left alone. */
  beginCreate(key: FindingKey, snapshot: FindingSnapshot): void {
    const now = this.now();
    this.db
      .prepare(
        `INSERT INTO links (account, region, detector_id, finding_id, finding_account, incident_id, updated_at, count,
           severity, archived, state, created_at, changed_at)
         VALUES (@account, @region, @detectorId, @findingId, @findingAccount, NULL, @updatedAt, @count, @severity,
           @archived, 'creating', @now, @now)
         ON CONFLICT (account, region, detector_id, finding_id) DO UPDATE SET
           finding_account = excluded.finding_account, updated_at = excluded.updated_at, count = excluded.count,
           severity = excluded.severity, archived = excluded.archived, incident_id = NULL, incident_state = 'open',
           closed_at = NULL, state = 'creating', applied = '{}', changed_at = excluded.changed_at`,
      )
      .run({ ...keyParams(key), ...snapshotParams(snapshot), now });
  }

  /** The incident exists in SOAR (created now, or found by its finding id): verified as of now. */
  attachIncident(key: FindingKey, incidentId: number, state: 'partial' | 'adopted', applied: Record<string, unknown>, incidentState: IncidentState = 'open'): void {
    this.db
      .prepare(
        `UPDATE links SET incident_id = @incidentId, state = @state, applied = @applied, incident_state = @incidentState,
           closed_at = NULL, changed_at = @now, verified_at = @now WHERE ${KEY_WHERE}`,
      )
      .run({ ...keyParams(key), incidentId, state, applied: JSON.stringify(applied), incidentState, now: this.now() });
  }

  /** Inserts a link rebuilt from SOAR (an empty database next to a populated SOAR). */
  /** Returns false when the finding already has a link (that one is kept). */
  insertAdopted(
    key: FindingKey, snapshot: FindingSnapshot, incidentId: number, incidentState: IncidentState, applied: Record<string, unknown>, closedAt: number | null = null,
  ): boolean {
    const now = this.now();
    return this.db
      .prepare(
        `INSERT OR IGNORE INTO links (account, region, detector_id, finding_id, finding_account, incident_id, updated_at,
           count, severity, archived, incident_state, closed_at, state, applied, created_at, changed_at, verified_at)
         VALUES (@account, @region, @detectorId, @findingId, @findingAccount, @incidentId, @updatedAt, @count,
           @severity, @archived, @incidentState, @closedAt, 'adopted', @applied, @now, @now, @now)`,
      )
      .run({ ...keyParams(key), ...snapshotParams(snapshot), incidentId, incidentState, closedAt, applied: JSON.stringify(applied), now }).changes === 1;
  }

  /** The incident reflects the finding as of `snapshot`. */
  markSynced(key: FindingKey, snapshot: FindingSnapshot, applied?: Record<string, unknown>): void {
    const set = applied ? ', applied = @applied' : '';
    this.db
      .prepare(
        `UPDATE links SET state = 'synced', finding_account = @findingAccount, updated_at = @updatedAt, count = @count,
           severity = @severity, archived = @archived, changed_at = @now${set} WHERE ${KEY_WHERE}`,
      )
      .run({ ...keyParams(key), ...snapshotParams(snapshot), now: this.now(), ...(applied ? { applied: JSON.stringify(applied) } : {}) });
  }

  /** Forgets a link whose incident never came to exist (an interrupted create of a finding since archived). */
  remove(key: FindingKey): void {
    this.db.prepare(`DELETE FROM links WHERE ${KEY_WHERE} AND incident_id IS NULL`).run(keyParams(key));
  }

  /**
   * The link's incident no longer exists in SOAR: the link keeps its finding facts, names the lost
   * incident in `deleted_incident_id` and no incident at all (an id SOAR hands out again later must
   * never be mistaken for it). `incidentState` open: to be recreated; closed: forgotten.
   */
  markOrphaned(key: FindingKey, deletedIncidentId: number, incidentState: IncidentState): void {
    this.db
      .prepare(
        `UPDATE links SET state = 'orphaned', incident_id = NULL, deleted_incident_id = @deletedIncidentId,
           incident_state = @incidentState, changed_at = @now WHERE ${KEY_WHERE}`,
      )
      .run({ ...keyParams(key), deletedIncidentId, incidentState, now: this.now() });
  }

  /** The incidents were found in SOAR holding their findings at `at`. */
  markVerified(incidentIds: readonly number[], at: number): void {
    const stmt = this.db.prepare('UPDATE links SET verified_at = ? WHERE incident_id = ?');
    this.db.transaction(() => {
      for (const id of incidentIds) stmt.run(at, id);
    })();
  }

  /** A random sample of the links that name an incident (the start-up check of the database against SOAR). */
  verificationSample(limit: number): Link[] {
    const rows = this.db
      .prepare("SELECT * FROM links WHERE incident_id IS NOT NULL AND state != 'orphaned' ORDER BY RANDOM() LIMIT ?")
      .all(limit) as LinkRow[];
    return rows.map(toLink);
  }

  /** Links of open incidents not verified since `before`, the least recently verified (or never) first. */
  unverifiedOpen(before: number, limit: number): Link[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM links WHERE incident_state = 'open' AND incident_id IS NOT NULL AND state IN ('partial', 'synced', 'adopted')
           AND (verified_at IS NULL OR verified_at < ?)
         ORDER BY verified_at IS NOT NULL, verified_at, incident_id LIMIT ?`,
      )
      .all(before, limit) as LinkRow[];
    return rows.map(toLink);
  }

  /** Links that got a new incident after SOAR lost theirs (for `status`). */
  countRecreated(): number {
    const row = this.db.prepare("SELECT COUNT(*) AS n FROM links WHERE deleted_incident_id IS NOT NULL AND state != 'orphaned'").get() as { n: number };
    return row.n;
  }

  setState(key: FindingKey, state: LinkState): void {
    this.db.prepare(`UPDATE links SET state = @state, changed_at = @now WHERE ${KEY_WHERE}`).run({ ...keyParams(key), state, now: this.now() });
  }

  /** `closedAt`: when SOAR closed it, if known (a responder's close); cleared when the incident is open. */
  setIncidentState(key: FindingKey, incidentState: IncidentState, closedAt: number | null = null): void {
    this.db
      .prepare(`UPDATE links SET incident_state = @incidentState, closed_at = @closedAt, changed_at = @now WHERE ${KEY_WHERE}`)
      .run({ ...keyParams(key), incidentState, closedAt: incidentState === 'closed' ? closedAt : null, now: this.now() });
  }

  setArchived(key: FindingKey, archived: boolean): void {
    this.db
      .prepare(`UPDATE links SET archived = @archived, changed_at = @now WHERE ${KEY_WHERE}`)
      .run({ ...keyParams(key), archived: archived ? 1 : 0, now: this.now() });
  }

  setApplied(key: FindingKey, applied: Record<string, unknown>): void {
    this.db
      .prepare(`UPDATE links SET applied = @applied, changed_at = @now WHERE ${KEY_WHERE}`)
      .run({ ...keyParams(key), applied: JSON.stringify(applied), now: this.now() });
  }

  markSeen(keys: readonly FindingKey[], cycle: number): void {
    const stmt = this.db.prepare(`UPDATE links SET seen_cycle = @cycle WHERE ${KEY_WHERE}`);
    this.db.transaction(() => {
      for (const key of keys) stmt.run({ ...keyParams(key), cycle });
    })();
  }

  /**
   * The next links of one detector that this cycle has not seen and whose incident is open (or not yet
   * created, or to be recreated): their findings are fetched to learn whether they were archived,
   * changed or vanished.
   * Keyset-paged by finding id (never an open cursor across the awaits that follow).
   */
  unseenOpen(account: string, region: string, detectorId: string, cycle: number, afterFindingId: string, limit: number): Link[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM links WHERE account = ? AND region = ? AND detector_id = ? AND seen_cycle < ? AND finding_id > ?
           AND incident_state = 'open' AND state IN ('creating', 'partial', 'synced', 'adopted', 'orphaned')
         ORDER BY finding_id LIMIT ?`,
      )
      .all(account, region, detectorId, cycle, afterFindingId, limit) as LinkRow[];
    return rows.map(toLink);
  }

  inState(state: LinkState): Link[] {
    return (this.db.prepare('SELECT * FROM links WHERE state = ? ORDER BY created_at').all(state) as LinkRow[]).map(toLink);
  }

  isEmpty(): boolean {
    return this.db.prepare('SELECT 1 FROM links LIMIT 1').get() === undefined;
  }

  /** Counts for `status`: by link state, incident state and archived flag. */
  counts(): { state: LinkState; incidentState: IncidentState; archived: boolean; count: number }[] {
    const rows = this.db
      .prepare('SELECT state, incident_state, archived, COUNT(*) AS n FROM links GROUP BY state, incident_state, archived ORDER BY state')
      .all() as { state: LinkState; incident_state: IncidentState; archived: number; n: number }[];
    return rows.map((r) => ({ state: r.state, incidentState: r.incident_state, archived: r.archived === 1, count: r.n }));
  }
}
