import { extractArtifacts } from '../artifacts/extract-artifacts.js';
import { newRowsSince, rowFingerprint } from '../datatables/fingerprint.js';
import { mapRows, type TableRow } from '../datatables/map-rows.js';
import type { SyncOutcome } from '../health/metrics.js';
import { NOTE_TEXT_LIMIT } from '../incidents/finding-note.js';
import { escapeHtml } from '../incidents/html.js';
import { storyNote } from '../incidents/story-note.js';
import { isAttackSequence } from '../findings/attack-sequence.js';
import type { Finding } from '../findings/finding.js';
import { findingKeyString, type FindingKey } from '../findings/finding-key.js';
import type { RichText } from '../soar/case-system.js';
import { pairKey, type FoldTarget } from '../store/sequence-members-repo.js';
import { intendNote, postIntendedNote } from './durable-note.js';
import { addNewArtifacts, groupByTable, heldRowFingerprints, QUERY_EXECUTION_DATE } from './incident-content.js';
import { liveIncident } from './sequence-record.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * `aws_gd_sequence_members = fold`: a finding that an attack sequence with an open incident names,
 * and that has no incident of its own, gets none; its rows, its artifacts and a note (its story and
 * JSON) go into the sequence's incident, and again each time GuardDuty updates it. Undefined when the
 * finding is not to be folded (it then gets its own incident as usual): another setting, no sequence
 * names it yet, or the sequence's incident is closed.
 *
 * Called under the member's lock; takes the sequence's (the one nesting in the daemon: nothing holds
 * a sequence's lock while it waits for a member's, so this cannot deadlock). The note is recorded as
 * intended before the first write and every row is recorded as it is written, so a crash anywhere is
 * finished by the next sync of the finding without writing anything twice.
 */
export async function foldMember(deps: SyncDeps, finding: Finding, key: FindingKey): Promise<SyncOutcome | undefined> {
  if (deps.config.sync.sequenceMembers !== 'fold' || isAttackSequence(finding)) return undefined;
  const target = deps.store.sequences.foldTarget(key);
  if (!target) return undefined;
  const version = `${finding.UpdatedAt}#${String(finding.Service?.Count ?? 0)}`;
  if (target.foldedInto === target.sequenceIncident && target.foldedVersion === version) return 'unchanged';
  return deps.locks.run(findingKeyString(pairKey(target)), async () => {
    const incidentId = target.sequenceIncident;
    if (liveIncident(deps.store.links.get(pairKey(target))) !== incidentId) return undefined;
    const noteKey = `fold:${findingKeyString(key)}@${version}->${incidentId}`;
    const fresh = intendNote(deps, incidentId, noteKey, foldNote(finding, key, target));
    // Its note already intended: an earlier attempt at this very fold was cut short (a kill, a failed
    // call), and may have written a row or an artifact SOAR holds but the store never recorded. So may
    // a fold the store forgot (the sequence's link was rebuilt from SOAR into an empty database). What
    // SOAR holds is read first, so nothing is written twice, the note included.
    const interrupted = !fresh || deps.store.links.get(pairKey(target))?.state === 'adopted';
    if (interrupted) deps.store.fingerprints.addArtifacts(incidentId, await deps.soar.listArtifacts(incidentId));
    await writeFoldedRows(deps, incidentId, key, mapRows(finding), { foldedBefore: target.foldedVersion !== null, interrupted });
    await addNewArtifacts(deps, incidentId, extractArtifacts(finding).map((a) => ({
      ...a, description: `Folded member finding ${finding.Id} (${finding.Type}): ${a.description}`,
    })));
    await postIntendedNote(deps, incidentId, noteKey, !interrupted);
    deps.store.sequences.markFolded(target, incidentId, version);
    deps.logger.info('Folded a finding into its attack sequence’s incident (aws_gd_sequence_members = fold)', {
      findingId: key.findingId, region: key.region, sequenceId: target.sequenceId, incidentId,
    });
    return 'updated';
  });
}

function foldNote(finding: Finding, key: FindingKey, target: FoldTarget): RichText {
  const again = target.foldedVersion !== null;
  const heading = `<p><b>${again ? 'Member finding updated' : 'Member finding folded into this attack sequence'}:</b> GuardDuty finding `
    + `${escapeHtml(finding.Id)} (${escapeHtml(finding.Type)}), signal “${escapeHtml(target.signalName)}” of this sequence, has no incident of its `
    + 'own (aws_gd_sequence_members = fold): its rows are in this incident’s tables and its artifacts on this incident.</p>';
  const story = storyNote(finding, { region: key.region, detectorId: key.detectorId }, NOTE_TEXT_LIMIT - heading.length);
  return { format: 'html', content: `${heading}${story.content}` };
}

/**
 * The member's rows, table by table, each written once: what was written for this member is
 * recorded apart from the sequence's own rows (`fold:<member>:<table>`), so neither side's refresh
 * takes the other's rows for its own. When that record is lost (a read-back of the incident after a
 * crash rebuilds only the sequence's), a member folded before is compared with what SOAR holds; so is
 * one whose fold was interrupted (its last row may be in SOAR without being recorded).
 */
async function writeFoldedRows(
  deps: SyncDeps, incidentId: number, member: FindingKey, rows: TableRow[], attempt: { foldedBefore: boolean; interrupted: boolean },
): Promise<void> {
  const { store, soar, clock } = deps;
  const stamp = new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const [table, current] of groupByTable(rows)) {
    const recordKey = `fold:${member.findingId}:${table}`;
    let known = store.fingerprints.rows(incidentId, recordKey);
    if (attempt.interrupted || (known.length === 0 && attempt.foldedBefore)) {
      known = [...new Set([...known, ...await heldRowFingerprints(soar, incidentId, table)])];
    }
    const done = [...known];
    for (const row of newRowsSince(known, current)) {
      await soar.addTableRow(incidentId, table, { ...row.cells, [QUERY_EXECUTION_DATE]: stamp });
      done.push(rowFingerprint(row));
      store.fingerprints.setRows(incidentId, recordKey, done);
    }
  }
}
