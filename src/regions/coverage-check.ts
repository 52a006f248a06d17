import { ExternalServiceError, errorMessage, isAbandoned } from '../core/errors.js';
import type { FindingsSource } from './findings-source.js';

/**
 * Where GuardDuty is blind, in one account and region: no detector, a suspended one, protection
 * features turned off, Runtime Monitoring resources it cannot see (UNHEALTHY coverage, and why), and,
 * for a delegated administrator, member accounts that are not associated or monitor nothing. Each
 * part is read on its own: a part the credentials may not read is reported as such (with the IAM
 * permission), never as a failure of the whole check. `check` prints it; the daemon stores it for
 * `status` and exports it on `/metrics`.
 */

/** The protection features an operator expects on (the foundational sources cannot be turned off). */
export const WATCHED_FEATURES = ['RUNTIME_MONITORING', 'S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION'] as const;

export type DetectorState = 'ENABLED' | 'DISABLED' | 'MISSING' | 'UNKNOWN';

export interface CoverageReport {
  detectorId: string | null;
  detector: DetectorState;
  /** Watched feature → ENABLED / DISABLED (absent from GetDetector: DISABLED). Empty when unknown. */
  features: Record<string, string>;
  /** Covered resources by status (GetCoverageStatistics); null when not read. */
  resources: { healthy: number; unhealthy: number } | null;
  /** The UNHEALTHY resources and why (the first page of ListCoverage). */
  unhealthy: { resourceId: string; accountId: string; resourceType: string; issue: string }[];
  /** Member accounts of a delegated administrator, by relationship status (empty for others). */
  members: Record<string, number>;
  /** Members not associated (relationship other than Enabled), or whose detector watches nothing. */
  memberProblems: { accountId: string; problem: string }[];
  /** Parts the credentials could not read, with the permission that is missing. */
  unreadable: { operation: string; permission: string; error: string }[];
}

const PERMISSIONS: Record<string, string> = {
  GetDetector: 'guardduty:GetDetector',
  GetCoverageStatistics: 'guardduty:GetCoverageStatistics',
  ListCoverage: 'guardduty:ListCoverage',
  ListMembers: 'guardduty:ListMembers',
  GetMemberDetectors: 'guardduty:GetMemberDetectors',
};

export async function checkCoverage(source: FindingsSource, region: string, detectorId: string | undefined): Promise<CoverageReport> {
  const report: CoverageReport = {
    detectorId: detectorId ?? null, detector: detectorId ? 'UNKNOWN' : 'MISSING', features: {}, resources: null, unhealthy: [], members: {}, memberProblems: [], unreadable: [],
  };
  if (!detectorId) return report;
  const part = async <T>(operation: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (err) {
      if (isAbandoned(err) || !(err instanceof ExternalServiceError) || err.retryable) throw err;
      report.unreadable.push({ operation, permission: PERMISSIONS[operation] ?? operation, error: errorMessage(err) });
      return undefined;
    }
  };
  const detector = await part('GetDetector', () => source.getDetector(region, detectorId));
  if (detector) {
    report.detector = detector.Status === 'DISABLED' ? 'DISABLED' : 'ENABLED';
    const features = Array.isArray(detector.Features) ? (detector.Features as { Name?: unknown; Status?: unknown }[]) : [];
    for (const name of WATCHED_FEATURES) {
      const status = features.find((f) => f.Name === name)?.Status;
      report.features[name] = status === 'ENABLED' ? 'ENABLED' : 'DISABLED';
    }
  }
  const stats = await part('GetCoverageStatistics', () => source.coverageStatistics(region, detectorId));
  if (stats) report.resources = { healthy: stats.byStatus.HEALTHY ?? 0, unhealthy: stats.byStatus.UNHEALTHY ?? 0 };
  if (!stats || stats.byStatus.UNHEALTHY) {
    const page = await part('ListCoverage', () => source.listCoverage(region, detectorId, { status: 'UNHEALTHY', maxResults: 50 }));
    report.unhealthy = (page?.resources ?? []).map((r) => ({ resourceId: r.resourceId, accountId: r.accountId, resourceType: r.resourceType, issue: r.issue ?? 'no reason given' }));
  }
  await readMembers(source, region, detectorId, report, part);
  return report;
}

type Part = <T>(operation: string, read: () => Promise<T>) => Promise<T | undefined>;

async function readMembers(source: FindingsSource, region: string, detectorId: string, report: CoverageReport, part: Part): Promise<void> {
  const members = await part('ListMembers', () => source.listMembers(region, detectorId));
  if (!members || members.length === 0) return;
  for (const m of members) report.members[m.relationshipStatus] = (report.members[m.relationshipStatus] ?? 0) + 1;
  const associated = members.filter((m) => m.relationshipStatus.toLowerCase() === 'enabled');
  for (const m of members.filter((x) => !associated.includes(x))) {
    report.memberProblems.push({ accountId: m.accountId, problem: `not associated (relationship ${m.relationshipStatus})` });
  }
  for (let i = 0; i < associated.length; i += 50) {
    const batch = associated.slice(i, i + 50).map((m) => m.accountId);
    const answer = await part('GetMemberDetectors', () => source.memberDetectors(region, detectorId, batch));
    if (!answer) return;
    for (const u of answer.unprocessed) report.memberProblems.push({ accountId: u.accountId, problem: `no detector read: ${u.reason}` });
    for (const m of answer.members) {
      const off = WATCHED_FEATURES.filter((f) => m.features[f] === 'DISABLED');
      if (off.length === WATCHED_FEATURES.length) report.memberProblems.push({ accountId: m.accountId, problem: 'detector disabled or every protection feature off' });
      else if (off.length > 0) report.memberProblems.push({ accountId: m.accountId, problem: `features off: ${off.join(', ')}` });
    }
  }
}

/** One sentence per blind spot, for `check`, the log and `status`; empty when GuardDuty sees everything. */
export function coverageProblems(report: CoverageReport): string[] {
  const problems: string[] = [];
  if (report.detector === 'MISSING') return ['no GuardDuty detector: GuardDuty does not watch this region'];
  if (report.detector === 'DISABLED') problems.push(`detector ${report.detectorId ?? ''} is suspended (DISABLED): GuardDuty produces no findings here`);
  const off = Object.entries(report.features).filter(([, status]) => status !== 'ENABLED').map(([name]) => name);
  if (off.length > 0) problems.push(`features off: ${off.join(', ')}`);
  if (report.resources && report.resources.unhealthy > 0 || report.unhealthy.length > 0) {
    const count = report.resources?.unhealthy ?? report.unhealthy.length;
    const shown = report.unhealthy.slice(0, 5).map((r) => `${r.resourceType} ${r.resourceId}${r.accountId ? ` (account ${r.accountId})` : ''}: ${r.issue}`);
    problems.push(`${count} UNHEALTHY Runtime Monitoring resource${count === 1 ? '' : 's'}${shown.length ? `: ${shown.join('; ')}` : ''}${count > shown.length ? '; …' : ''}`);
  }
  for (const m of report.memberProblems) problems.push(`member ${m.accountId}: ${m.problem}`);
  return problems;
}
