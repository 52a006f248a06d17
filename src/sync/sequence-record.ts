import type { TableRow } from '../datatables/map-rows.js';
import { MEMBER_INCIDENT_COLUMN, SIGNALS_TABLE } from '../datatables/sequence-tables.js';
import { isAttackSequence, memberFindingId, memberSignals } from '../findings/attack-sequence.js';
import type { Finding } from '../findings/finding.js';
import type { FindingKey } from '../findings/finding-key.js';
import type { Link } from '../store/links-repo.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * Records the member findings an attack sequence names (its FINDING signals), every time the daemon
 * reads the sequence, so that the links are made whichever of the two findings arrives first. Local
 * only (SQLite); the links themselves are made by `linkSequenceMembers` and `foldMember`.
 */
export function recordSequenceMembers(deps: SyncDeps, finding: Finding, key: FindingKey): void {
  if (!isAttackSequence(finding)) return;
  const members = [...memberSignals(finding)].map(([memberId, signal]) => ({ memberId, signalUid: signal.uid, signalName: signal.name }));
  if (members.length === 0) return;
  const title = typeof finding.Title === 'string' && finding.Title.trim() !== '' ? finding.Title : null;
  deps.store.sequences.record(key, { type: finding.Type, title }, members);
}

/**
 * A sequence's signal rows, each naming the incident of its member finding when that incident is
 * known now (the member arrived first). When the member's incident comes later, the row is updated
 * in place (`linkSequenceMembers`); the column is not part of a row's content (`LINK_COLUMNS`).
 */
export function withMemberIncidents(deps: SyncDeps, finding: Finding, key: FindingKey, rows: TableRow[]): TableRow[] {
  if (deps.config.sync.sequenceMembers === 'separate' || !rows.some((r) => r.table === SIGNALS_TABLE)) return rows;
  return rows.map((row) => {
    if (row.table !== SIGNALS_TABLE) return row;
    const memberId = memberFindingId({ type: row.cells.signal_type ?? '', uid: row.cells.signal_uid ?? '' }, finding);
    const incident = memberId === undefined || memberId === finding.Id ? undefined : liveIncident(deps.store.links.get({ ...key, findingId: memberId }));
    return incident === undefined ? row : { ...row, cells: { ...row.cells, [MEMBER_INCIDENT_COLUMN]: String(incident) } };
  });
}

/** The incident of a link that has one SOAR holds (as far as the daemon knows). */
export function liveIncident(link: Link | undefined): number | undefined {
  if (!link || link.incidentId === null) return undefined;
  return link.state === 'partial' || link.state === 'synced' || link.state === 'adopted' ? link.incidentId : undefined;
}
