import { errorMessage, isAbandoned, isRetryable } from '../core/errors.js';
import { escapeHtml } from '../incidents/html.js';
import { findingKeyString } from '../findings/finding-key.js';
import type { FindingsSource } from '../regions/findings-source.js';
import type { RichText } from '../soar/case-system.js';
import { pairKey, type FoldTarget } from '../store/sequence-members-repo.js';
import { chunk } from '../util/concurrency.js';
import { nextAttemptAt } from './backoff.js';
import { intendNote, postIntendedNote } from './durable-note.js';
import type { SyncDeps } from './sync-deps.js';

/** A detector whose folded members GuardDuty refused to archive: retried with backoff. */
export const ARCHIVE_MEMBERS_OP = 'archive-folded-members';

/**
 * `aws_gd_sequence_close_members = true`: once a sequence's incident is closed and its finding
 * archived (the close archived it, or GuardDuty did and the daemon closed the incident), the members
 * folded into it are archived too (50 per ArchiveFindings), and the sequence's incident says which.
 * What is left (a refusal, an outage) is found again by the next cycle; a refusal waits with backoff.
 * Returns how many members were archived.
 */
export async function archiveFoldedMembers(deps: SyncDeps, sources: ReadonlyMap<string, FindingsSource>): Promise<number> {
  if (!deps.config.sync.closeSequenceMembers) return 0;
  const waiting = new Set(deps.store.ops.waitingKeys(ARCHIVE_MEMBERS_OP));
  const groups = new Map<string, FoldTarget[]>();
  for (const member of deps.store.sequences.foldedToArchive()) {
    const group = `${member.account}/${member.region}/${member.detectorId}`;
    if (!waiting.has(group)) groups.set(group, [...(groups.get(group) ?? []), member]);
  }
  let archived = 0;
  for (const [group, members] of groups) {
    const { account, region, detectorId } = members[0];
    const source = sources.get(account);
    if (!source) continue;
    for (const batch of chunk(members, 50)) {
      if (deps.stopping?.aborted) return archived;
      try {
        await source.archiveFindings(region, detectorId, batch.map((m) => m.memberId));
      } catch (err) {
        if (isAbandoned(err)) return archived;
        refused(deps, group, err);
        break;
      }
      // Archived, and the notes saying so intended, in one transaction: a kill after it still ends with
      // the notes (the SOAR phase posts notes left pending), and one before it archives again (idempotent).
      const notes = deps.store.transaction(() => {
        for (const member of batch) deps.store.sequences.markArchived(member);
        deps.store.ops.complete(ARCHIVE_MEMBERS_OP, group);
        return archivedNotes(batch).map((n) => ({ ...n, fresh: intendNote(deps, n.incidentId, n.key, n.note) }));
      });
      archived += batch.length;
      for (const n of notes) await postLater(deps, n);
    }
  }
  return archived;
}

function refused(deps: SyncDeps, group: string, err: unknown): void {
  const attempts = (deps.store.ops.get(ARCHIVE_MEMBERS_OP, group)?.attempts ?? 0) + 1;
  deps.store.ops.enqueue(ARCHIVE_MEMBERS_OP, group, {});
  deps.store.ops.fail(ARCHIVE_MEMBERS_OP, group, errorMessage(err), nextAttemptAt(deps.clock.now(), attempts, isRetryable(err)));
  deps.logger.warn('GuardDuty did not archive the members folded into a closed attack sequence; retried later', { detector: group, error: err });
}

/** One note per sequence incident and batch, naming the members archived with it. */
function archivedNotes(batch: FoldTarget[]): { incidentId: number; key: string; note: RichText }[] {
  const bySequence = new Map<number, FoldTarget[]>();
  for (const m of batch) bySequence.set(m.sequenceIncident, [...(bySequence.get(m.sequenceIncident) ?? []), m]);
  return [...bySequence].map(([incidentId, members]) => {
    const ids = members.map((m) => m.memberId).sort();
    const list = members.map((m) => `<li>${escapeHtml(m.memberId)} (${escapeHtml(m.signalName)})</li>`).join('');
    return {
      incidentId,
      key: `archived-members:${findingKeyString(pairKey(members[0]))}@${ids.join(',')}`,
      note: {
        format: 'html',
        content: `<p>guardduty-soar archived the ${members.length === 1 ? 'finding' : `${members.length} findings`} folded into this attack sequence, `
          + 'because the sequence’s incident was closed and its finding archived (aws_gd_sequence_close_members = true):</p>'
          + `<ul>${list}</ul>`,
      },
    };
  });
}

/** Posts an intended note; one that fails stays pending and is posted by the SOAR phase's retry of pending notes. */
async function postLater(deps: SyncDeps, n: { incidentId: number; key: string; fresh: boolean }): Promise<void> {
  try {
    await postIntendedNote(deps, n.incidentId, n.key, n.fresh);
  } catch (err) {
    if (isAbandoned(err)) throw err;
    deps.logger.warn('The note naming the archived members of an attack sequence was not posted; retried by the next cycle', { incidentId: n.incidentId, error: err });
  }
}
