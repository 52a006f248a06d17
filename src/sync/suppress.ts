import { ExternalServiceError } from '../core/errors.js';
import type { Finding } from '../findings/finding.js';
import type { FindingsSource } from '../regions/findings-source.js';
import type { FilterSpec } from '../regions/respond-api.js';
import { addNoteOnce } from './durable-note.js';
import type { SuppressionRule } from './suppression-rule.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * Creating a suppression rule from an incident (the function `aws_guardduty_suppress_like_this`, and
 * `aws_gd_suppress_on_resolution` when an incident is closed): CreateFilter with action ARCHIVE, the
 * rule recorded in SQLite (so a finding GuardDuty archives by it closes no other open incident), and
 * a note on the incident. Safe to repeat: a rule already there with the same criteria is taken as
 * made, and the note is keyed by the rule.
 */

export interface RuleTarget {
  account: string;
  region: string;
  detectorId: string;
  source: FindingsSource;
}

/** CreateFilter; a filter of that name already there with the same action and criteria counts as created (`existed`). */
export async function ensureFilter(t: RuleTarget, spec: FilterSpec): Promise<{ existed: boolean }> {
  try {
    await t.source.createFilter(t.region, t.detectorId, spec);
    return { existed: false };
  } catch (err) {
    if (!(err instanceof ExternalServiceError) || err.status !== 400 || !/already exists/i.test(err.message)) throw err;
    const existing = await t.source.getFilter(t.region, t.detectorId, spec.name);
    const criterion = (existing.FindingCriteria as { Criterion?: unknown } | undefined)?.Criterion;
    if (existing.Action === spec.action && canonical(criterion) === canonical(spec.criteria)) return { existed: true };
    throw new ExternalServiceError({
      service: 'guardduty', operation: 'CreateFilter', status: 400, code: 'BadRequestException', retryable: false, cause: err,
      message: `Detector ${t.detectorId} (${t.region}) already has a filter named ${spec.name}, with other criteria or action: ` +
        'choose another name, or change it with aws_guardduty_update_filter',
    });
  }
}

/** Creates the rule of an incident's finding, records it, and says so on the incident. */
export async function createSuppression(
  deps: SyncDeps, t: RuleTarget, incidentId: number, finding: Finding, rule: SuppressionRule, options: { clientToken?: string; why: string },
): Promise<{ existed: boolean }> {
  const { existed } = await ensureFilter(t, {
    name: rule.name, description: rule.description, action: 'ARCHIVE', criteria: rule.criteria, ...(options.clientToken ? { clientToken: options.clientToken } : {}),
  });
  deps.store.suppressions.record({
    account: t.account, region: t.region, name: rule.name, detectorId: t.detectorId, incidentId, findingId: finding.Id, criteria: rule.equals,
  });
  await addNoteOnce(deps, incidentId, `suppression:${t.account}:${t.region}:${rule.name}`, { format: 'text', content: createdNote(t, rule, options.why) });
  deps.logger.info('Suppression rule created from an incident', { incidentId, rule: rule.name, region: t.region, detectorId: t.detectorId, existed });
  return { existed };
}

export function createdNote(t: Pick<RuleTarget, 'region' | 'detectorId'>, rule: SuppressionRule, why: string): string {
  return `guardduty-soar created the GuardDuty suppression rule ${rule.name} in detector ${t.detectorId} (${t.region}) ${why}: ` +
    `GuardDuty now archives every new finding with ${rule.summary}, and such findings no longer become incidents. ` +
    'Findings already there are not archived by it. An incident of another finding that GuardDuty archives by this rule is left open ' +
    '(a note says why): close it yourself if it is the same false positive. Delete the rule with aws_guardduty_delete_filter.';
}

export function proposedNote(t: Pick<RuleTarget, 'region' | 'detectorId'>, rule: SuppressionRule, how: string): string {
  return `Suppression rule proposed by guardduty-soar (not created): ${rule.name} in detector ${t.detectorId} (${t.region}), ` +
    `action ARCHIVE, criteria ${JSON.stringify(rule.criteria)}. It would archive every new finding with ${rule.summary}. ${how}`;
}

/** JSON with sorted keys, so two criteria compare by content. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
