import type { Finding } from '../../findings/finding.js';
import type { Link } from '../../store/links-repo.js';
import type { FunctionDeps } from '../function-deps.js';
import { INPUT } from '../function-inputs.js';
import { FunctionInputError } from '../function-types.js';
import type { DetectorTarget } from '../inputs.js';

/**
 * The finding an incident was escalated from, as a function that acts "from the incident" needs it:
 * the link the daemon keeps (incident → finding), which must be of the detector given, and the
 * finding as GuardDuty holds it now.
 */
export function incidentLink(deps: FunctionDeps, incidentId: number, target: DetectorTarget): Link | undefined {
  const link = deps.linkByIncident(incidentId);
  if (!link) return undefined;
  if (link.region !== target.region || link.detectorId !== target.detectorId) {
    throw new FunctionInputError(INPUT.detectorId, `the detector of incident ${incidentId}'s finding: ${link.detectorId} (${link.region})`, target.detectorId);
  }
  return link;
}

/** The incident's finding now; an input error when the incident has none or GuardDuty no longer holds it. */
export async function incidentFinding(deps: FunctionDeps, incidentId: number, target: DetectorTarget): Promise<{ link: Link; finding: Finding }> {
  const link = incidentLink(deps, incidentId, target);
  if (!link) throw new FunctionInputError(INPUT.incidentId, 'an incident guardduty-soar escalated from a GuardDuty finding', incidentId);
  const [finding] = await target.source.getFindings(target.region, target.detectorId, [link.findingId]);
  if (!finding) throw new FunctionInputError(INPUT.incidentId, `an incident whose finding GuardDuty still holds (finding ${link.findingId} is gone)`, incidentId);
  return { link, finding };
}
