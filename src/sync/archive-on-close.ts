import { ExternalServiceError, IncidentGoneError, errorMessage, isAbandoned, isRetryable } from '../core/errors.js';
import type { Finding, Feedback } from '../findings/finding.js';
import { assertWellFormed } from '../findings/clean-finding.js';
import { findingKeyString, parseFindingKey } from '../findings/finding-key.js';
import type { FindingsSource } from '../regions/findings-source.js';
import type { Link } from '../store/links-repo.js';
import { chunk } from '../util/concurrency.js';
import { nextAttemptAt } from './backoff.js';
import { orphanLink } from './deleted-incident.js';
import { addNoteOnce } from './durable-note.js';
import { ARCHIVE_OP } from './archive-op.js';
import { applyChanges, diffFields } from './field-diff.js';
import { FIELD, queryField } from '../incidents/incident-fields.js';
import { hasChanged, snapshotOf, updatedAfterClose } from './finding-context.js';
import { syncClosedFinding } from './finding-sync.js';
import type { SyncDeps } from './sync-deps.js';

export { ARCHIVE_OP };
const CLOSED_CHECK_META = 'soar_closed_checked_at';
/** Re-read window for SOAR's last-modified dates (clock skew between the daemon and SOAR). */
const SOAR_OVERLAP_MS = 5 * 60_000;
/** A member account's refusal is permanent until the setup changes: retry rarely. */
const REFUSAL_BASE_MS = 30 * 60_000;

/**
 * Incidents closed in SOAR since the last check (one paged query): each linked one is marked closed,
 * with the time SOAR closed it, and, with `aws_gd_archive_on_close`, its finding is queued for
 * archiving (after a look at its activity since the close). Incidents the daemon closed itself are
 * already marked closed, so they are never archived back (no loop).
 */
export async function detectClosedIncidents(deps: SyncDeps, cycleStart: number): Promise<number> {
  const { store, soar, config } = deps;
  const last = Number(store.getMeta(CLOSED_CHECK_META) ?? cycleStart);
  const pages = soar.queryIncidents({
    conditions: [
      { field: 'plan_status', method: 'equals', value: 'C' },
      { field: 'inc_last_modified_date', method: 'gte', value: last - SOAR_OVERLAP_MS },
      { field: queryField(FIELD.findingId), method: 'has_a_value' },
    ],
    sort: { field: 'inc_last_modified_date', direction: 'asc' },
  });
  let closed = 0;
  for await (const page of pages) {
    for (const incident of page) {
      const link = store.links.byIncident(incident.id);
      if (!link || link.incidentState === 'closed') continue;
      closed += 1;
      const archived = link.archived || incident.properties[FIELD.archived] === 'True';
      // SOAR's end_date; without it the last modification, which is no earlier than the close.
      const closedAt = incident.closedAt ?? incident.lastModified;
      // The version the responder closed, when the daemon wrote it to the incident before the close (the
      // link last changed before it): never activity after the close, even stamped in the close's second.
      const closedOn = link.changedAt < closedAt ? versionOf(link) : undefined;
      const payload = { incidentId: incident.id, resolution: incident.resolutionId ?? null, ...(closedOn ? { closedOn } : {}) };
      // One transaction: a link marked closed is never looked at again by this query, so its archive
      // must be queued in the same breath or not at all.
      store.transaction(() => {
        store.links.setIncidentState(link, 'closed', closedAt);
        if (config.sync.archiveOnClose && !archived) store.ops.enqueue(ARCHIVE_OP, findingKeyString(link), payload);
        // Not archiving, but the region pass already applied activity from after the close to the
        // incident (the close was not known yet): no listing will bring it up again, the follow-up must.
        else if (!archived && !closedOn && updatedAfterClose(link.updatedAt, closedAt)) store.ops.enqueue(ARCHIVE_OP, findingKeyString(link), { ...payload, archive: false });
      });
    }
  }
  store.setMeta(CLOSED_CHECK_META, String(cycleStart));
  return closed;
}

/**
 * Follows up the incidents closed in SOAR, 50 per detector: one GetFindings shows each finding's
 * activity since its incident was closed (handled first, see `followUpActivity`), then ArchiveFindings
 * (after the feedback their resolution maps to) and the record on each incident (the archived field
 * and a note). Archiving an archived finding is harmless, so a crash between the call and its record
 * only repeats the call.
 */
export async function runArchiveOps(deps: SyncDeps, sources: ReadonlyMap<string, FindingsSource>): Promise<Map<string, number>> {
  const archivedByRegion = new Map<string, number>();
  const groups = new Map<string, Link[]>();
  const unrecorded: Link[] = [];
  const payloads = new Map<string, Record<string, unknown>>();
  for (const op of deps.store.ops.due(ARCHIVE_OP)) {
    payloads.set(op.key, op.payload);
    const link = linkFromKey(deps, op.key);
    // Reopened since (its finding recurred, aws_gd_on_recurrence = reopen): the close no longer stands.
    // Archived meanwhile: nothing to follow up (a recurrence would need a listing of it, unarchived).
    if (!link || link.incidentState === 'open' || (link.archived && op.payload.archive === false)) {
      deps.store.ops.complete(ARCHIVE_OP, op.key);
      continue;
    }
    // Archived, but its record on the incident failed or was cut short: finish the record only.
    if (link.archived) {
      unrecorded.push(link);
      continue;
    }
    const group = `${link.account}/${link.region}/${link.detectorId}`;
    groups.set(group, [...(groups.get(group) ?? []), link]);
  }
  await Promise.all(unrecorded.map((link) => recordArchived(deps, link)));
  for (const links of groups.values()) {
    const first = links[0];
    const source = sources.get(first.account);
    if (!source) continue;
    for (const batch of chunk(links, 50)) {
      // A batch is a safe point: a stopping daemon leaves the rest queued for the next start.
      if (deps.stopping?.aborted) return archivedByRegion;
      let ready: Link[];
      try {
        ready = await followUpActivity(deps, source, batch, payloads);
      } catch (err) {
        await recordRefusal(deps, batch, err);
        continue;
      }
      if (ready.length === 0) continue;
      try {
        await sendFeedback(deps, source, ready, payloads);
        await source.archiveFindings(first.region, first.detectorId, ready.map((l) => l.findingId));
      } catch (err) {
        // Given up because the daemon is stopping: not a refusal; the archives stay queued as they were.
        if (isAbandoned(err)) return archivedByRegion;
        await recordRefusal(deps, ready, err);
        continue;
      }
      for (const link of ready) deps.store.links.setArchived(link, true);
      // Independent SOAR writes (each catches its own failure): together, bounded by the adaptive SOAR concurrency.
      await Promise.all(ready.map((link) => recordArchived(deps, link)));
      archivedByRegion.set(first.region, (archivedByRegion.get(first.region) ?? 0) + ready.length);
    }
  }
  return archivedByRegion;
}

/**
 * Reads a batch's findings (one GetFindings per 50) and handles what GuardDuty saw since each incident
 * was closed, before anything is archived; returns the links whose finding may be archived now.
 *
 * The cycle runs the region passes before it learns of closes, so a finding updated after a responder
 * closed its incident has often been applied to it already, as an update: the version the link
 * records is then no guide, the time SOAR closed the incident is. Activity after the close is a
 * recurrence (`aws_gd_on_recurrence`: a reopened or new incident drops the archive; `ignore` lets it
 * go ahead); a version from before the close that the incident does not show yet is added to it, then
 * archived. A finding already archived, or gone, is archived as before (harmless). One that cannot be
 * followed up now waits (with backoff) and is not archived meanwhile.
 */
async function followUpActivity(
  deps: SyncDeps, source: FindingsSource, batch: Link[], payloads: ReadonlyMap<string, Record<string, unknown>>,
): Promise<Link[]> {
  const { region, detectorId } = batch[0];
  const findings = new Map((await source.getFindings(region, detectorId, batch.map((l) => l.findingId))).map((f) => [f.Id, f]));
  const ready: Link[] = [];
  for (let link of batch) {
    const key = findingKeyString(link);
    const finding = findings.get(link.findingId);
    if (finding && newActivity(link, finding, payloads.get(key)?.closedOn)) {
      try {
        assertWellFormed(finding);
        const outcome = await syncClosedFinding(deps, finding, link);
        if (outcome !== 'unchanged') deps.metrics.finding(outcome, region);
        deps.logger.info('Finding active since its incident was closed in SOAR: followed up before any archive', {
          findingId: link.findingId, region, incidentId: link.incidentId, updatedAt: finding.UpdatedAt, outcome,
        });
      } catch (err) {
        const attempts = (deps.store.ops.get(ARCHIVE_OP, key)?.attempts ?? 0) + 1;
        deps.store.ops.fail(ARCHIVE_OP, key, errorMessage(err), nextAttemptAt(deps.clock.now(), attempts, isRetryable(err)));
        deps.logger.warn('Finding active since its incident was closed could not be followed up; not archived, retried later', {
          findingId: link.findingId, region, incidentId: link.incidentId, error: err,
        });
        continue;
      }
      const now = deps.store.links.get(link);
      // Reopened, or followed by a new incident: the close no longer stands.
      if (!now || now.incidentState === 'open' || now.incidentId !== link.incidentId) {
        deps.store.ops.complete(ARCHIVE_OP, key);
        continue;
      }
      // As updated (what it applied): the archive's record on the incident diffs against it.
      link = now;
    }
    if (payloads.get(key)?.archive === false) deps.store.ops.complete(ARCHIVE_OP, key);
    else ready.push(link);
  }
  return ready;
}

/**
 * A version the incident does not show, or activity after the incident was closed that it may show
 * (applied before the close was known) unless it is the version the responder closed (`closedOn`).
 */
function newActivity(link: Link, finding: Finding, closedOn: unknown): boolean {
  const snapshot = snapshotOf(finding);
  if (snapshot.archived) return false;
  if (hasChanged(link, snapshot)) return true;
  return closedOn !== versionOf(snapshot) && link.closedAt !== null && updatedAfterClose(snapshot.updatedAt, link.closedAt);
}

function versionOf(v: { updatedAt: string; count: number }): string {
  return `${v.updatedAt}#${v.count}`;
}

/**
 * GuardDuty feedback before archiving, from the resolution the responder chose
 * (`aws_gd_feedback_map`: e.g. Not an Issue → NOT_USEFUL, Resolved → USEFUL), one call per feedback
 * value and resolution. Feedback is advice to GuardDuty: a permanent refusal (a permission the
 * operator did not grant) is logged and the archive goes on; a transient failure retries the batch.
 */
export async function sendFeedback(deps: SyncDeps, source: FindingsSource, batch: Link[], payloads: ReadonlyMap<string, Record<string, unknown>>): Promise<void> {
  const byValue = new Map<string, { feedback: Feedback; resolution: string; links: Link[] }>();
  for (const link of batch) {
    const resolution = payloads.get(findingKeyString(link))?.resolution;
    const feedback = typeof resolution === 'string' && resolution !== '' ? feedbackFor(deps.config.sync.feedbackMap, resolution) : undefined;
    if (typeof resolution !== 'string' || !feedback) continue;
    const group = byValue.get(`${feedback}/${resolution}`) ?? { feedback, resolution, links: [] };
    group.links.push(link);
    byValue.set(`${feedback}/${resolution}`, group);
  }
  for (const { feedback, resolution, links } of byValue.values()) {
    const { region, detectorId } = links[0];
    const comment = `Incident closed in IBM SOAR as "${resolution}" (guardduty-soar).`;
    try {
      await source.sendFeedback(region, detectorId, links.map((l) => l.findingId), feedback, comment);
    } catch (err) {
      if (isRetryable(err)) throw err;
      deps.logger.warn('GuardDuty refused the findings feedback; archiving without it', { region, feedback, findings: links.length, error: err });
    }
  }
}

function feedbackFor(map: Readonly<Record<string, Feedback>>, resolution: string): Feedback | undefined {
  const name = Object.keys(map).find((k) => k.toLowerCase() === resolution.toLowerCase());
  return name === undefined ? undefined : map[name];
}

/**
 * Records an archived finding on its incident (the archived field, then one note per finding; `why`
 * ends the note's sentence) and completes its queued archive; a failure is left for the next cycle.
 */
export async function recordArchived(deps: SyncDeps, link: Link, why = 'because this incident was closed'): Promise<void> {
  const incidentId = link.incidentId as number;
  try {
    const desired = { properties: { [FIELD.archived]: 'True' } };
    const changes = diffFields(link.applied, desired);
    if (changes.length > 0) {
      await deps.soar.patchIncident(incidentId, changes);
      deps.store.links.setApplied(link, applyChanges(link.applied, desired));
    }
    await addNoteOnce(deps, incidentId, `archived:${findingKeyString(link)}`, {
      format: 'text',
      content: `guardduty-soar archived GuardDuty finding ${link.findingId} (detector ${link.detectorId}, ${link.region}) ${why}.`,
    });
    deps.store.ops.complete(ARCHIVE_OP, findingKeyString(link));
  } catch (err) {
    if (err instanceof IncidentGoneError && err.incidentId === incidentId) {
      // Closed, then deleted in SOAR: the finding is archived and nobody is left to tell.
      deps.store.transaction(() => {
        orphanLink(deps, link, incidentId, 'closed');
        deps.store.ops.complete(ARCHIVE_OP, findingKeyString(link));
      });
      deps.logger.warn('Archived a finding whose incident no longer exists in SOAR', { findingId: link.findingId, deletedIncidentId: incidentId });
      return;
    }
    // The finding is archived; only its record on the incident failed. Retried next cycle.
    deps.store.ops.fail(ARCHIVE_OP, findingKeyString(link), errorMessage(err), nextAttemptAt(deps.clock.now(), 1, true));
  }
}

async function recordRefusal(deps: SyncDeps, batch: Link[], err: unknown): Promise<void> {
  const memberRefusal = isMemberRefusal(err);
  const retryable = isRetryable(err);
  for (const link of batch) {
    const key = findingKeyString(link);
    const attempts = (deps.store.ops.get(ARCHIVE_OP, key)?.attempts ?? 0) + 1;
    const base = memberRefusal ? REFUSAL_BASE_MS : 60_000;
    deps.store.ops.fail(ARCHIVE_OP, key, errorMessage(err), nextAttemptAt(deps.clock.now(), attempts, retryable, base, 24 * 3_600_000));
    if (memberRefusal && link.incidentId !== null) {
      await addNoteOnce(deps, link.incidentId, `archive-refused:${key}`, {
        format: 'text',
        content:
          `guardduty-soar could not archive GuardDuty finding ${link.findingId}: GuardDuty lets only the administrator account archive ` +
          `findings, and the configured credentials belong to a member account (${link.account}). Archive it from the administrator ` +
          'account, or configure guardduty-soar with the administrator account; it retries with growing intervals.',
      }).catch(() => undefined);
    }
  }
  deps.logger.warn(memberRefusal ? 'GuardDuty refused to archive: not the administrator account' : 'ArchiveFindings failed; will retry', {
    region: batch[0]?.region,
    findings: batch.length,
    error: err,
  });
}

/** GuardDuty's answer when a member account asks to archive (only the administrator may). */
export function isMemberRefusal(err: unknown): boolean {
  return err instanceof ExternalServiceError && err.status === 400 && /administrator|master account|not owned/i.test(err.message);
}


function linkFromKey(deps: SyncDeps, key: string): Link | undefined {
  const findingKey = parseFindingKey(key);
  return findingKey ? deps.store.links.get(findingKey) : undefined;
}
