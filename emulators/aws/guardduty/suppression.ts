import type { WireFinding } from '../protocol/wire.js';
import type { Detector } from '../state/detector.js';
import type { Filter } from '../state/filter-store.js';
import type { EmulatorState } from '../state/state.js';
import { compileCriteria } from './criteria.js';

/**
 * Suppression rules: saved filters whose action is ARCHIVE archive the findings they match as GuardDuty
 * generates or updates them. [I] They apply to new findings and to new occurrences of existing ones
 * (not retroactively to findings already there when the rule is created); the rules of the finding's
 * own detector and of its administrator's detector in the region apply, in rank order.
 */
export function applySuppressionRules(state: EmulatorState, detector: Detector, finding: WireFinding): Filter | undefined {
  if (finding.service.archived) return undefined;
  const administrator = state.accounts.get(detector.accountId)?.administrator;
  const adminDetector = administrator ? state.store.detectorFor(administrator, detector.region) : undefined;
  const rules = [detector, ...(adminDetector ? [adminDetector] : [])]
    .flatMap((d) => [...state.filters.of(d.id).values()])
    .filter((f) => f.action === 'ARCHIVE')
    .sort((a, b) => a.rank - b.rank);
  const rule = rules.find((f) => compileCriteria(f.findingCriteria)(finding));
  if (rule) finding.service.archived = true;
  return rule;
}
