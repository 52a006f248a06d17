import type { FindingKey } from '../findings/finding-key.js';
import type { Db } from './database.js';

/** One finding an attack sequence is made of, and how far its links have been made. */
export interface SequenceMember {
  account: string;
  region: string;
  detectorId: string;
  sequenceId: string;
  memberId: string;
  signalUid: string;
  signalName: string;
  sequenceType: string;
  sequenceTitle: string | null;
  /** The member incident that got the note and the field pointing at `notedSequenceIncident`. */
  notedMemberIncident: number | null;
  notedSequenceIncident: number | null;
  /** The member incident the sequence incident's signal row names. */
  rowMemberIncident: number | null;
  /** fold: the sequence incident holding the member's details (the member has no incident). */
  foldedInto: number | null;
  /** fold: the member's version (`updatedAt#count`) those details show. */
  foldedVersion: string | null;
  archivedAt: number | null;
}

/** Where a walk over the unlinked pairs has got to: the last pair it took. */
export type PairCursor = Pick<SequenceMember, 'account' | 'region' | 'detectorId' | 'sequenceId' | 'memberId'>;

/** A member and its sequence, both with an incident: what the links are made between. */
export interface LinkedPair extends SequenceMember {
  sequenceIncident: number;
  memberIncident: number;
}

/** A member that can be folded: its sequence's incident is open. */
export interface FoldTarget extends SequenceMember {
  sequenceIncident: number;
}

interface Row {
  account: string; region: string; detector_id: string; sequence_id: string; member_id: string; signal_uid: string; signal_name: string;
  sequence_type: string; sequence_title: string | null; noted_member_incident: number | null; noted_sequence_incident: number | null;
  row_member_incident: number | null; folded_into: number | null; folded_version: string | null; archived_at: number | null;
  sequence_incident?: number; member_incident?: number;
}

function toMember(row: Row): SequenceMember {
  return {
    account: row.account, region: row.region, detectorId: row.detector_id, sequenceId: row.sequence_id, memberId: row.member_id,
    signalUid: row.signal_uid, signalName: row.signal_name, sequenceType: row.sequence_type, sequenceTitle: row.sequence_title,
    notedMemberIncident: row.noted_member_incident, notedSequenceIncident: row.noted_sequence_incident,
    rowMemberIncident: row.row_member_incident, foldedInto: row.folded_into, foldedVersion: row.folded_version, archivedAt: row.archived_at,
  };
}

const DETECTOR = 'sm.account = @account AND sm.region = @region AND sm.detector_id = @detectorId';
const SEQUENCE_LINK = 'JOIN links s ON s.account = sm.account AND s.region = sm.region AND s.detector_id = sm.detector_id AND s.finding_id = sm.sequence_id';
const MEMBER_LINK = 'JOIN links m ON m.account = sm.account AND m.region = sm.region AND m.detector_id = sm.detector_id AND m.finding_id = sm.member_id';
const LIVE = "('partial', 'synced', 'adopted')";

function detector(key: FindingKey): Record<string, string> {
  return { account: key.account, region: key.region, detectorId: key.detectorId };
}

/**
 * The members of the attack sequences the daemon has read (`sequence_members`, migration 006): a
 * sequence's FINDING signals name them, whichever of the two findings arrives first.
 */
export class SequenceMembersRepo {
  constructor(private readonly db: Db, private readonly now: () => number) {}

  /** Records a sequence's members (new ones added, known ones refreshed; none ever removed). */
  record(sequence: FindingKey, about: { type: string; title: string | null }, members: readonly { memberId: string; signalUid: string; signalName: string }[]): void {
    const stmt = this.db.prepare(
      `INSERT INTO sequence_members (account, region, detector_id, sequence_id, member_id, signal_uid, signal_name, sequence_type, sequence_title, recorded_at)
       VALUES (@account, @region, @detectorId, @sequenceId, @memberId, @signalUid, @signalName, @type, @title, @now)
       ON CONFLICT (account, region, detector_id, sequence_id, member_id) DO UPDATE SET
         signal_uid = excluded.signal_uid, signal_name = excluded.signal_name, sequence_type = excluded.sequence_type,
         sequence_title = excluded.sequence_title`,
    );
    this.db.transaction(() => {
      for (const m of members) stmt.run({ ...detector(sequence), sequenceId: sequence.findingId, ...m, type: about.type, title: about.title, now: this.now() });
    })();
  }

  ofSequence(sequence: FindingKey): SequenceMember[] {
    const rows = this.db.prepare(`SELECT * FROM sequence_members sm WHERE ${DETECTOR} AND sm.sequence_id = @id ORDER BY sm.recorded_at, sm.member_id`)
      .all({ ...detector(sequence), id: sequence.findingId }) as Row[];
    return rows.map(toMember);
  }

  ofMember(member: FindingKey): SequenceMember[] {
    const rows = this.db.prepare(`SELECT * FROM sequence_members sm WHERE ${DETECTOR} AND sm.member_id = @id ORDER BY sm.recorded_at, sm.sequence_id`)
      .all({ ...detector(member), id: member.findingId }) as Row[];
    return rows.map(toMember);
  }

  /**
   * Members and sequences that both have an incident, whose links are not (all) made yet, a sequence's
   * members together (in key order); `after` continues a walk past the pairs it already took (those
   * still unlinked, e.g. refused by SOAR, are not given twice).
   */
  unlinked(limit = 200, after?: PairCursor): LinkedPair[] {
    const rows = this.db.prepare(
      `SELECT sm.*, s.incident_id AS sequence_incident, m.incident_id AS member_incident FROM sequence_members sm ${SEQUENCE_LINK} ${MEMBER_LINK}
       WHERE s.incident_id IS NOT NULL AND m.incident_id IS NOT NULL AND s.state IN ${LIVE} AND m.state IN ${LIVE}
         AND (sm.noted_member_incident IS NOT m.incident_id OR sm.noted_sequence_incident IS NOT s.incident_id
           OR sm.row_member_incident IS NOT m.incident_id)
         AND (sm.account, sm.region, sm.detector_id, sm.sequence_id, sm.member_id) > (@account, @region, @detectorId, @sequenceId, @memberId)
       ORDER BY sm.account, sm.region, sm.detector_id, sm.sequence_id, sm.member_id LIMIT @limit`,
    ).all({
      account: after?.account ?? '', region: after?.region ?? '', detectorId: after?.detectorId ?? '',
      sequenceId: after?.sequenceId ?? '', memberId: after?.memberId ?? '', limit,
    }) as Row[];
    return rows.map((r) => ({ ...toMember(r), sequenceIncident: r.sequence_incident as number, memberIncident: r.member_incident as number }));
  }

  /** The sequence incidents a member incident points at (its custom field lists them all). */
  sequenceIncidentsOf(memberIncident: number): number[] {
    const rows = this.db.prepare(
      'SELECT DISTINCT noted_sequence_incident AS id FROM sequence_members WHERE noted_member_incident = ? AND noted_sequence_incident IS NOT NULL ORDER BY 1',
    ).all(memberIncident) as { id: number }[];
    return rows.map((r) => r.id);
  }

  markNoted(pair: SequenceMember, memberIncident: number, sequenceIncident: number): void {
    this.db.prepare(`UPDATE sequence_members AS sm SET noted_member_incident = @memberIncident, noted_sequence_incident = @sequenceIncident
      WHERE ${DETECTOR} AND sm.sequence_id = @sequenceId AND sm.member_id = @memberId`)
      .run({ ...detector(pairKey(pair)), sequenceId: pair.sequenceId, memberId: pair.memberId, memberIncident, sequenceIncident });
  }

  markRowNamed(pair: SequenceMember, memberIncident: number): void {
    this.db.prepare(`UPDATE sequence_members AS sm SET row_member_incident = @memberIncident
      WHERE ${DETECTOR} AND sm.sequence_id = @sequenceId AND sm.member_id = @memberId`)
      .run({ ...detector(pairKey(pair)), sequenceId: pair.sequenceId, memberId: pair.memberId, memberIncident });
  }

  /**
   * The open sequence incident a member (without an incident of its own) folds into: the one it was
   * folded into before while that is open, else the newest.
   */
  foldTarget(member: FindingKey): FoldTarget | undefined {
    const row = this.db.prepare(
      `SELECT sm.*, s.incident_id AS sequence_incident FROM sequence_members sm ${SEQUENCE_LINK}
       WHERE ${DETECTOR} AND sm.member_id = @id AND s.incident_id IS NOT NULL AND s.incident_state = 'open' AND s.state IN ${LIVE}
       ORDER BY sm.folded_into IS s.incident_id DESC, s.created_at DESC LIMIT 1`,
    ).get({ ...detector(member), id: member.findingId }) as Row | undefined;
    return row ? { ...toMember(row), sequenceIncident: row.sequence_incident as number } : undefined;
  }

  markFolded(pair: SequenceMember, incidentId: number, version: string): void {
    this.db.prepare(`UPDATE sequence_members AS sm SET folded_into = @incidentId, folded_version = @version
      WHERE ${DETECTOR} AND sm.sequence_id = @sequenceId AND sm.member_id = @memberId`)
      .run({ ...detector(pairKey(pair)), sequenceId: pair.sequenceId, memberId: pair.memberId, incidentId, version });
  }

  /**
   * Folded members whose sequence was archived with its incident closed, not archived themselves yet
   * (aws_gd_sequence_close_members), with the sequence incident.
   */
  foldedToArchive(limit = 500): FoldTarget[] {
    const rows = this.db.prepare(
      `SELECT sm.*, s.incident_id AS sequence_incident FROM sequence_members sm ${SEQUENCE_LINK}
       WHERE sm.folded_into IS NOT NULL AND sm.folded_into IS s.incident_id AND sm.archived_at IS NULL
         AND s.archived = 1 AND s.incident_state = 'closed'
       ORDER BY sm.account, sm.region, sm.detector_id, sm.sequence_id, sm.member_id LIMIT ?`,
    ).all(limit) as Row[];
    return rows.map((r) => ({ ...toMember(r), sequenceIncident: r.sequence_incident as number }));
  }

  markArchived(pair: SequenceMember): void {
    this.db.prepare(`UPDATE sequence_members AS sm SET archived_at = @now
      WHERE ${DETECTOR} AND sm.sequence_id = @sequenceId AND sm.member_id = @memberId`)
      .run({ ...detector(pairKey(pair)), sequenceId: pair.sequenceId, memberId: pair.memberId, now: this.now() });
  }
}

/** The key of a pair's sequence finding. */
export function pairKey(pair: Pick<SequenceMember, 'account' | 'region' | 'detectorId' | 'sequenceId'>): FindingKey {
  return { account: pair.account, region: pair.region, detectorId: pair.detectorId, findingId: pair.sequenceId };
}

/** The key of a pair's member finding. */
export function memberKey(pair: Pick<SequenceMember, 'account' | 'region' | 'detectorId' | 'memberId'>): FindingKey {
  return { account: pair.account, region: pair.region, detectorId: pair.detectorId, findingId: pair.memberId };
}
