import type { PollingConfig } from '../config/app-config.js';
import { isSampleFinding, type Finding } from '../findings/finding.js';

/** Why a listed finding got no incident; each names what the operator can change. */
export type SkipReason = 'sample' | 'type-not-included' | 'type-excluded' | 'archived' | 'recurrence-ignored' | 'incident-deleted' | 'vanished';

export const SKIP_REASONS: Record<SkipReason, string> = {
  sample: 'sample findings (set aws_gd_include_sample_findings = true)',
  'type-not-included': 'of a type aws_gd_finding_types_include does not match (widen it)',
  'type-excluded': 'of a type aws_gd_finding_types_exclude matches (narrow it)',
  archived: 'archived in GuardDuty before they were escalated (unarchive to escalate)',
  'recurrence-ignored': 'updated after their incident closed (aws_gd_on_recurrence = ignore)',
  'incident-deleted': 'whose incident no longer exists in SOAR, not recreated (aws_gd_deleted_incident = forget, or archived meanwhile)',
  vanished: 'no longer in GuardDuty',
};

/**
 * Noise control: sample findings and the finding-type filters decide only whether an incident is
 * created (the severity threshold and account filters are criteria of the listing itself).
 */
export function filteredOut(polling: PollingConfig, finding: Finding): SkipReason | undefined {
  if (!polling.includeSampleFindings && isSampleFinding(finding)) return 'sample';
  if (polling.findingTypesInclude && !polling.findingTypesInclude.test(finding.Type)) return 'type-not-included';
  if (polling.findingTypesExclude && polling.findingTypesExclude.test(finding.Type)) return 'type-excluded';
  return undefined;
}

/** `10 sample findings (set aws_gd_include_sample_findings = true); 2 of a type …`, most first. */
export function describeSkips(counts: Partial<Record<SkipReason, number>>): string {
  return (Object.entries(counts) as [SkipReason, number][])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${n} ${SKIP_REASONS[reason]}`)
    .join('; ');
}
