import { ExternalServiceError, errorMessage, isAbandoned, isRetryable } from '../errors.js';
import { findingKeyString, parseFindingKey } from '../regions/finding.js';
import type { Feedback, FindingsSource } from '../regions/findings-source.js';
import type { Link } from '../store/links-repo.js';
import { chunk } from '../util/concurrency.js';
import { nextAttemptAt } from './backoff.js';
import { addNoteOnce } from './durable-note.js';
import { applyChanges, diffFields } from './field-diff.js';
import { FIELD, queryField } from './incident-fields.js';
import { hasChanged, snapshotOf } from './finding-context.js';
import type { SyncDeps } from './sync-deps.js';

export const ARCHIVE_OP = 'archive';
const CLOSED_CHECK_META = 'soar_closed_checked_at';
/** Re-read window for SOAR's last-modified dates (clock skew between the daemon and SOAR). */
const SOAR_OVERLAP_MS = 5 * 60_000;
/** A member account's refusal is permanent until the setup changes: retry rarely. */
const REFUSAL_BASE_MS = 30 * 60_000;

/**
 * Incidents closed in SOAR since the last check (one paged query): each linked one is marked closed
 * and, with `aws_gd_archive_on_close`, its finding is queued for archiving. Incidents the daemon closed
 * itself are already marked closed, so they are never archived back (no loop).
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
      const archivedField = incident.properties[FIELD.archived];
      // One transaction: a link marked closed is never looked at again by this query, so its archive
      // must be queued in the same breath or not at all.
      store.transaction(() => {
        store.links.setIncidentState(link, 'closed');
        if (config.sync.archiveOnClose && !link.archived && archivedField !== 'True') {
          store.ops.enqueue(ARCHIVE_OP, findingKeyString(link), { incidentId: incident.id, resolution: incident.resolutionId ?? null });
        }
      });
    }
  }
  store.setMeta(CLOSED_CHECK_META, String(cycleStart));
  return closed;
}

/**
 * Archives the queued findings, 50 per ArchiveFindings call and detector (after the feedback their
 * resolution maps to), then records it on each incident (the archived field and a note). Archiving an archived finding is harmless, so a crash
 * between the call and its record only repeats the call.
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
    if (!link || link.incidentState === 'open') {
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
        ready = await withoutUnseenVersions(deps, source, batch, payloads);
        if (ready.length === 0) continue;
        await sendFeedback(deps, source, ready, payloads);
        await source.archiveFindings(first.region, first.detectorId, ready.map((l) => l.findingId));
      } catch (err) {
        // Given up because the daemon is stopping: not a refusal; the archives stay queued as they were.
        if (isAbandoned(err)) return archivedByRegion;
        await recordRefusal(deps, batch, err);
        continue;
      }
      for (const link of ready) deps.store.links.setArchived(link, true);
      // Independent SOAR writes (each catches its own failure): together, bounded by aws_gd_soar_concurrency.
      await Promise.all(ready.map((link) => recordArchived(deps, link)));
      archivedByRegion.set(first.region, (archivedByRegion.get(first.region) ?? 0) + ready.length);
    }
  }
  return archivedByRegion;
}

/**
 * The findings of a batch that may be archived now (one GetFindings per 50). A finding GuardDuty
 * updated after the version its incident shows recurred while the responder was closing: archiving it
 * would swallow the recurrence. Its archive waits one cycle, so that the next region pass sees the
 * recurrence first and reopens the incident (which drops the archive) or, with
 * `aws_gd_on_recurrence = ignore`, records it (after which the archive goes ahead). A version is
 * held back only once: one the listing never returns (below the severity threshold) is archived the
 * next time. A finding already archived, or gone, is archived as before (harmless).
 */
async function withoutUnseenVersions(
  deps: SyncDeps, source: FindingsSource, batch: Link[], payloads: ReadonlyMap<string, Record<string, unknown>>,
): Promise<Link[]> {
  const { region, detectorId } = batch[0];
  const current = new Map((await source.getFindings(region, detectorId, batch.map((l) => l.findingId))).map((f) => [f.Id, snapshotOf(f)]));
  return batch.filter((link) => {
    const snapshot = current.get(link.findingId);
    if (!snapshot || snapshot.archived || !hasChanged(link, snapshot)) return true;
    const key = findingKeyString(link);
    const payload = payloads.get(key) ?? {};
    if (payload.heldFor === snapshot.updatedAt) return true;
    deps.store.ops.enqueue(ARCHIVE_OP, key, { ...payload, heldFor: snapshot.updatedAt });
    deps.logger.info('Finding updated since its incident was closed: its archive waits for the next cycle to handle the recurrence', {
      findingId: link.findingId, region, incidentId: link.incidentId,
    });
    return false;
  });
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
