import { MEMBER_INCIDENT_COLUMN, SIGNALS_TABLE } from '../datatables/sequence-tables.js';
import { IncidentGoneError, isAbandoned } from '../core/errors.js';
import { escapeHtml } from '../incidents/html.js';
import { findingKeyString } from '../findings/finding-key.js';
import type { RichText } from '../soar/case-system.js';
import { memberKey, pairKey, type LinkedPair, type PairCursor } from '../store/sequence-members-repo.js';
import { mapLimit } from '../util/concurrency.js';
import { intendNote, postIntendedNote } from './durable-note.js';
import { FIELD } from '../incidents/incident-fields.js';
import { liveIncident } from './sequence-record.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * Links the incidents of attack sequences and of their member findings, both ways, once: the
 * member's incident gets one note pointing at the sequence's incident and the custom field
 * `aws_guardduty_sequence_incident`; the sequence incident's signal row names the member's incident.
 *
 * Run by the SOAR phase of every cycle over what the store says is not linked yet, so it works
 * whichever finding arrives first, across cycles and restarts; every step is safe to repeat (the
 * note is looked for in SOAR before it is posted, the field and the row are set, not added). Each
 * incident is written under its finding's lock, one lock at a time (never nested: a sync of either
 * finding holds its own lock only). Up to `width` incidents are linked at once (the cycle's findings
 * in flight), and every pair not yet linked is taken up in this cycle. Returns how many pairs were linked.
 */
export async function linkSequenceMembers(deps: SyncDeps, width = 1): Promise<number> {
  if (deps.config.sync.sequenceMembers === 'separate') return 0;
  const stopping = (): boolean => deps.stopping?.aborted === true;
  let linked = 0;
  let after: PairCursor | undefined;
  while (!stopping()) {
    const pairs = wholeSequences(deps.store.sequences.unlinked(PAGE_SIZE, after));
    if (pairs.length === 0) break;
    after = pairs[pairs.length - 1];
    // Each member incident alone (its own lock; one in two sequences waits for itself), `width` at once:
    // the SOAR limit, not this loop, decides how many calls are in flight.
    const noted = await mapLimit(pairs, width, async (pair) => !stopping()
      && alone(deps, () => noteMember(deps, pair), { findingId: pair.memberId, sequenceId: pair.sequenceId }));
    linked += noted.filter(Boolean).length;
    const bySequence = new Map<number, LinkedPair[]>();
    for (const pair of pairs) bySequence.set(pair.sequenceIncident, [...(bySequence.get(pair.sequenceIncident) ?? []), pair]);
    await mapLimit([...bySequence], width, async ([sequenceIncident, group]) => !stopping()
      && alone(deps, () => nameMembersOnRows(deps, sequenceIncident, group), { sequenceId: group[0]?.sequenceId, incidentId: sequenceIncident }));
  }
  return linked;
}

/** Pairs read from the store at a time. */
const PAGE_SIZE = 200;

/**
 * A full page without the members of its last sequence, which may go on in the next page: each
 * sequence's signal rows are then read once for all its members (unless one sequence fills a page).
 */
function wholeSequences(page: LinkedPair[]): LinkedPair[] {
  const last = page.at(-1);
  if (page.length < PAGE_SIZE || !last) return page;
  const whole = page.filter((p) => p.sequenceIncident !== last.sequenceIncident);
  return whole.length > 0 ? whole : page;
}

/**
 * One pair's (or one sequence's rows') failure affects it alone: the others are still linked, and it
 * is tried again by the next cycle (the store still says it is not linked). A 404 on either incident
 * is left to that finding's own sync, which heals it (`aws_gd_deleted_incident`). A call given up
 * because the daemon is stopping ends the step.
 */
async function alone(deps: SyncDeps, work: () => Promise<boolean>, about: Record<string, unknown>): Promise<boolean> {
  try {
    return await work();
  } catch (err) {
    if (isAbandoned(err)) throw err;
    if (err instanceof IncidentGoneError) {
      deps.logger.warn('An attack-sequence link was not made: the incident no longer exists in SOAR; its finding’s sync heals it', { ...about, incidentId: err.incidentId });
    } else {
      deps.logger.warn('An attack-sequence link was not made; the next cycle tries again', { ...about, error: err });
    }
    return false;
  }
}

/** The note and the custom field on the member's incident. */
async function noteMember(deps: SyncDeps, pair: LinkedPair): Promise<boolean> {
  if (pair.notedMemberIncident === pair.memberIncident && pair.notedSequenceIncident === pair.sequenceIncident) return false;
  const member = memberKey(pair);
  return deps.locks.run(findingKeyString(member), async () => {
    const { store, soar } = deps;
    const memberIncident = liveIncident(store.links.get(member));
    const sequenceIncident = liveIncident(store.links.get(pairKey(pair)));
    if (memberIncident !== pair.memberIncident || sequenceIncident !== pair.sequenceIncident) return false;
    const key = `sequence-link:${findingKeyString(member)}@${memberIncident}->${pair.sequenceId}@${sequenceIncident}`;
    intendNote(deps, memberIncident, key, memberNote(pair));
    // Posted as a repeat would be (SOAR's notes are read first): a database rebuilt from SOAR, which
    // knows none of the notes posted, must not post it twice.
    await postIntendedNote(deps, memberIncident, key, false);
    const before = store.sequences.sequenceIncidentsOf(memberIncident);
    const after = [...new Set([...before, sequenceIncident])].sort((a, b) => a - b);
    await soar.patchIncident(memberIncident, [{ field: FIELD.sequenceIncident, oldValue: before.length > 0 ? before.join(', ') : null, newValue: after.join(', ') }]);
    store.sequences.markNoted(pair, memberIncident, sequenceIncident);
    deps.logger.info('Linked a finding’s incident to its attack sequence’s', {
      findingId: pair.memberId, incidentId: memberIncident, sequenceId: pair.sequenceId, sequenceIncidentId: sequenceIncident,
    });
    return true;
  });
}

function memberNote(pair: LinkedPair): RichText {
  const title = pair.sequenceTitle !== null ? `: “${escapeHtml(pair.sequenceTitle)}”` : '';
  return {
    format: 'html',
    content: `<p><b>Part of an attack sequence: incident ${pair.sequenceIncident}.</b> GuardDuty correlated this finding `
      + `(signal “${escapeHtml(pair.signalName)}”) into the attack sequence ${escapeHtml(pair.sequenceType)}${title} `
      + `(GuardDuty finding ${escapeHtml(pair.sequenceId)}). Incident ${pair.sequenceIncident} tells the whole story: the timeline of `
      + 'signals, the actors, endpoints and resources, and the other findings of the sequence.</p>',
  };
}

/**
 * The member incidents on the sequence incident's signal rows (every row of the member's signal: a
 * signal whose content changed has a row per version). One read of the table for all the pairs.
 */
async function nameMembersOnRows(deps: SyncDeps, sequenceIncident: number, pairs: LinkedPair[]): Promise<boolean> {
  const todo = pairs.filter((p) => p.rowMemberIncident !== p.memberIncident);
  if (todo.length === 0) return false;
  const sequence = pairKey(todo[0]);
  return deps.locks.run(findingKeyString(sequence), async () => {
    const { store, soar } = deps;
    const link = store.links.get(sequence);
    if (liveIncident(link) !== sequenceIncident) return false;
    const rows = await soar.listTableRows(sequenceIncident, SIGNALS_TABLE);
    for (const pair of todo) {
      const mine = rows.filter((r) => r.cells.signal_uid === pair.signalUid);
      // Not written yet (a create cut short): named by the next cycle, once the rows are there. An
      // incident this daemon did not write (adopted from SOAR, e.g. made by IBM's app) may have no
      // signal rows at all: nothing to name, and not read again every cycle.
      if (mine.length === 0 && (link?.state === 'partial' || link?.state === 'creating')) continue;
      for (const row of mine) {
        if (row.cells[MEMBER_INCIDENT_COLUMN] === String(pair.memberIncident)) continue;
        await soar.updateTableRow(sequenceIncident, SIGNALS_TABLE, row.id, { [MEMBER_INCIDENT_COLUMN]: String(pair.memberIncident) });
      }
      store.sequences.markRowNamed(pair, pair.memberIncident);
    }
    return true;
  });
}
