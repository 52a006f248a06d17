import { IncidentGoneError, errorMessage, isAbandoned, isRetryable } from '../core/errors.js';
import type { Finding } from '../findings/finding.js';
import { findingKeyString, parseFindingKey } from '../findings/finding-key.js';
import type { FindingsSource } from '../regions/findings-source.js';
import type { Link } from '../store/links-repo.js';
import { nextAttemptAt } from './backoff.js';
import { addNoteOnce } from './durable-note.js';
import { createSuppression, proposedNote } from './suppress.js';
import { SuppressionUnavailable, matchesRule, suppressionRule } from './suppression-rule.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * `aws_gd_suppress_on_resolution` (off by default): an incident closed in SOAR with one of the
 * resolutions named gets a suppression rule built from its finding, proposed in a note
 * (`aws_gd_suppress_mode = propose`, the default) or created (`create`). Queued as a pending
 * operation when the close is seen, so a crash or a refusal is retried with backoff.
 *
 * And the other side: a finding that GuardDuty archives by a rule created from another incident
 * closes nothing that is still open for another reason (`keptOpenBySuppression`).
 */

export const SUPPRESS_OP = 'suppress';

/** Whether closing with this resolution asks for a rule. */
export function wantsSuppression(config: SyncDeps['config']['sync'], resolution: unknown): boolean {
  return typeof resolution === 'string' && config.suppressOnResolution.some((r) => r.toLowerCase() === resolution.toLowerCase());
}

/** Proposes or creates the rules queued by closes; answers how many were handled. */
export async function runSuppressOps(deps: SyncDeps, sources: ReadonlyMap<string, FindingsSource>): Promise<number> {
  let done = 0;
  for (const op of deps.store.ops.due(SUPPRESS_OP)) {
    if (deps.stopping?.aborted) break;
    const key = parseFindingKey(op.key);
    const link = key ? deps.store.links.get(key) : undefined;
    const source = link ? sources.get(link.account) : undefined;
    const incidentId = Number(op.payload.incidentId);
    if (!link || !source || !Number.isInteger(incidentId)) {
      deps.store.ops.complete(SUPPRESS_OP, op.key);
      continue;
    }
    try {
      await suppressFor(deps, source, link, incidentId, String(op.payload.resolution));
      deps.store.ops.complete(SUPPRESS_OP, op.key);
      done += 1;
    } catch (err) {
      if (isAbandoned(err)) throw err;
      if (err instanceof IncidentGoneError && err.incidentId === incidentId) {
        deps.store.ops.complete(SUPPRESS_OP, op.key);
        continue;
      }
      deps.store.ops.fail(SUPPRESS_OP, op.key, errorMessage(err), nextAttemptAt(deps.clock.now(), op.attempts + 1, isRetryable(err)));
      deps.logger.warn('Could not propose or create the suppression rule of a closed incident; retried later', { incidentId, findingId: link.findingId, error: err });
    }
  }
  return done;
}

async function suppressFor(deps: SyncDeps, source: FindingsSource, link: Link, incidentId: number, resolution: string): Promise<void> {
  const { suppressMode, suppressBy } = deps.config.sync;
  const [finding] = await source.getFindings(link.region, link.detectorId, [link.findingId]);
  if (!finding) return;
  const target = { account: link.account, region: link.region, detectorId: link.detectorId, source };
  let rule;
  try {
    rule = suppressionRule(finding, incidentId, suppressBy);
  } catch (err) {
    if (!(err instanceof SuppressionUnavailable)) throw err;
    await addNoteOnce(deps, incidentId, `suppression-unavailable:${findingKeyString(link)}`, {
      format: 'text', content: `guardduty-soar proposes no suppression rule for this incident, closed as "${resolution}": ${err.message} (aws_gd_suppress_by = ${suppressBy}).`,
    });
    return;
  }
  if (suppressMode === 'create') {
    await createSuppression(deps, target, incidentId, finding, rule, { why: `because this incident was closed as "${resolution}" (aws_gd_suppress_on_resolution)` });
    return;
  }
  const how = 'Create it with the playbook "Example: AWS GuardDuty: Suppress findings like this" (aws_gd_dry_run = false), ' +
    'or have guardduty-soar create such rules itself with aws_gd_suppress_mode = create.';
  await addNoteOnce(deps, incidentId, `suppression-proposed:${findingKeyString(link)}:${rule.name}`, {
    format: 'text', content: `This incident was closed as "${resolution}". ${proposedNote(target, rule, how)}`,
  });
}

/**
 * A finding GuardDuty archived by a suppression rule that guardduty-soar created from another
 * incident: its own incident, open for its own reasons, is not closed. It gets one note saying so
 * (answers true, also on later cycles, when the note is already there: nothing more to do).
 */
export async function keptOpenBySuppression(deps: SyncDeps, finding: Finding, link: Link): Promise<'noted' | 'already' | undefined> {
  const incidentId = link.incidentId;
  if (incidentId === null) return undefined;
  const rule = deps.store.suppressions.inRegion(link.account, link.region)
    .find((r) => r.incidentId !== incidentId && matchesRule(finding, r.criteria));
  if (!rule) return undefined;
  const key = `suppressed-open:${findingKeyString(link)}:${rule.name}`;
  if (deps.store.notes.posted(key)) return 'already';
  await addNoteOnce(deps, incidentId, key, {
    format: 'text',
    content: `GuardDuty archived finding ${finding.Id} by the suppression rule ${rule.name}, which guardduty-soar created from incident ${rule.incidentId}. ` +
      'guardduty-soar leaves this incident open: it was open before the rule, for its own reasons. Close it yourself if it is the same false positive.',
  });
  deps.logger.info('A finding archived by a suppression rule from another incident: its own incident stays open', {
    findingId: finding.Id, incidentId, rule: rule.name, ruleIncidentId: rule.incidentId,
  });
  return 'noted';
}
