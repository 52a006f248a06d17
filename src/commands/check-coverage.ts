import { errorMessage } from '../core/errors.js';
import type { FindingsSource } from '../regions/findings-source.js';
import { checkCoverage, coverageProblems } from '../regions/coverage-check.js';
import type { CheckOutput } from './check-output.js';

/**
 * `check`'s coverage line of one region with a detector: WARN when GuardDuty is blind somewhere
 * (detector suspended, protection features off, UNHEALTHY Runtime Monitoring resources and why,
 * members not associated or watching nothing), or when the credentials may not read a part of it
 * (with the permission). Never FAIL: it is about GuardDuty's reach, not guardduty-soar's setup.
 */
export async function checkCoverageLine(source: FindingsSource, region: string, detectorId: string, out: CheckOutput): Promise<void> {
  const name = `GuardDuty coverage in ${region}`;
  let report;
  try {
    report = await checkCoverage(source, region, detectorId);
  } catch (err) {
    out({ verdict: 'WARN', name, detail: `not checked: ${errorMessage(err)}` });
    return;
  }
  const problems = coverageProblems(report);
  const permissions = report.unreadable.map((u) => u.permission);
  const unreadable = permissions.length > 0 ? `; not readable: ${report.unreadable.map((u) => u.operation).join(', ')}` : '';
  if (problems.length === 0) {
    const resources = report.resources ? `, ${report.resources.healthy} Runtime Monitoring resources healthy` : '';
    out({
      verdict: permissions.length > 0 ? 'WARN' : 'OK', name,
      detail: `detector ${report.detector.toLowerCase()}, protection features on${resources}${unreadable}`,
      fix: permissions.length > 0 ? `Grant ${permissions.join(', ')} to see all of GuardDuty's coverage (status and /metrics show it too).` : undefined,
    });
    return;
  }
  const fixes = [
    report.detector === 'DISABLED' ? 'enable the detector (UpdateDetector, or aws_guardduty_update_detector with aws_gd_enable = true)' : '',
    Object.values(report.features).some((s) => s !== 'ENABLED') ? 'turn the features on (aws_guardduty_update_detector, aws_gd_features)' : '',
    report.unhealthy.length > 0 || (report.resources?.unhealthy ?? 0) > 0 ? 'fix the Runtime Monitoring agents named (aws_guardduty_list_coverage lists them all)' : '',
    report.memberProblems.length > 0 ? 'associate the member accounts and enable their detectors from the administrator account' : '',
    permissions.length > 0 ? `grant ${permissions.join(', ')}` : '',
  ].filter((f) => f !== '');
  out({ verdict: 'WARN', name, detail: `${problems.join('; ')}${unreadable}`, fix: `${fixes.join('; ')}.`.replace(/^./, (c) => c.toUpperCase()) });
}
