import { startMalwareScan } from '../guardduty/malware-scan-handlers.js';
import { updateDetectorConfig } from '../guardduty/detector-config.js';
import { AwsServiceError } from '../protocol/service-error.js';
import { isJsonObject, type JsonObject } from '../protocol/wire.js';
import type { CoverageResource } from '../state/coverage-store.js';
import type { MalwareScan, ObjectScan, ScanPlan } from '../state/malware-scan-store.js';
import type { EmulatorState } from '../state/state.js';
import { AdminError } from './control-types.js';

/**
 * The admin side of malware scans, coverage, members and detector settings: how a scan of a
 * resource will end, a scan GuardDuty starts for a finding, what the scans are doing, the buckets
 * with a Malware Protection plan, coverage resources, a member's relationship, and a detector's
 * status and features as UpdateDetector would set them.
 */

/** A scan as the admin API shows it: status now, without counting as a read. */
export interface ScanSummary {
  scanId: string;
  accountId: string;
  region: string;
  resourceArn: string;
  scanType: MalwareScan['scanType'];
  findingId: string | undefined;
  status: 'RUNNING' | 'COMPLETED' | 'FAILED' | 'SKIPPED';
  outcome: ScanPlan['outcome'];
  reads: number;
  startedAt: string;
  completedAt: string | undefined;
}

export interface CoverageSpec {
  /** Default: the first account. */
  account?: string;
  /** Default us-east-1. */
  region?: string;
  resourceId: string;
  /** Default EC2 (with `instanceId` = resourceId). */
  resourceType?: 'EC2' | 'EKS' | 'ECS';
  coverageStatus: 'HEALTHY' | 'UNHEALTHY';
  issue?: string;
  /** Extra `resourceDetails` members in wire form (e.g. `ec2InstanceDetails.agentDetails`). */
  details?: JsonObject;
}

export function scanSummaries(state: EmulatorState): ScanSummary[] {
  const now = state.now();
  return [...state.malwareScans.scans.values()].map((scan) => {
    state.malwareScans.advance(scan, now);
    const outcome = scan.plan.outcome;
    const status = scan.completedAt === undefined ? 'RUNNING' : outcome === 'FAILED' || outcome === 'SKIPPED' ? outcome : 'COMPLETED';
    return {
      scanId: scan.id, accountId: scan.accountId, region: scan.region, resourceArn: scan.resourceArn, scanType: scan.scanType,
      findingId: scan.findingId, status, outcome, reads: scan.reads, startedAt: new Date(scan.startedAt).toISOString(),
      completedAt: scan.completedAt === undefined ? undefined : new Date(scan.completedAt).toISOString(),
    };
  });
}

export function planMalwareScan(state: EmulatorState, resourceArn: string, plan: ScanPlan): void {
  state.malwareScans.plans.set(resourceArn, plan);
  // A scan of the resource that is still running ends as planned now.
  for (const scan of state.malwareScans.scans.values()) {
    if (scan.resourceArn === resourceArn && scan.completedAt === undefined) scan.plan = { ...scan.plan, ...plan };
  }
}

/** Ends running scans at once (all, or those of one resource), as their plans say. */
export function finishMalwareScans(state: EmulatorState, resourceArn?: string): number {
  let finished = 0;
  for (const scan of state.malwareScans.scans.values()) {
    if (scan.completedAt !== undefined || (resourceArn !== undefined && scan.resourceArn !== resourceArn)) continue;
    scan.completedAt = Math.max(state.now(), scan.startedAt);
    finished += 1;
  }
  return finished;
}

/** A scan GuardDuty starts by itself for a finding (GUARDDUTY_INITIATED), of its instance unless a resource is given. */
export function startGuardDutyScan(state: EmulatorState, findingId: string, resourceArn?: string): ScanSummary {
  const hit = state.store.get(findingId);
  if (!hit) throw new AdminError(404, `no finding ${findingId}`);
  const { finding, detector } = hit;
  const instance = isJsonObject(finding.resource.instanceDetails) ? finding.resource.instanceDetails.instanceId : undefined;
  const arn = resourceArn ?? (typeof instance === 'string' ? `arn:aws:ec2:${finding.region}:${finding.accountId}:instance/${instance}` : undefined);
  if (!arn) throw new AdminError(400, `finding ${findingId} names no EC2 instance: give resourceArn`);
  const account = state.accounts.get(detector.accountId);
  if (!account) throw new AdminError(400, `no account ${detector.accountId}`);
  const caller = { account, accessKeyId: 'GuardDuty', arn: 'guardduty.amazonaws.com', userId: 'GuardDuty', session: undefined };
  try {
    const scan = startMalwareScan(state, caller, detector.region, { resourceArn: arn }, 'GUARDDUTY_INITIATED', findingId);
    const summary = scanSummaries(state).find((s) => s.scanId === scan.id);
    if (!summary) throw new Error('the scan just started is missing');
    return summary;
  } catch (err) {
    if (err instanceof AwsServiceError) throw new AdminError(400, err.message);
    throw err;
  }
}

export function objectScans(state: EmulatorState): ObjectScan[] {
  return state.malwareScans.objectScans.map((s) => ({ ...s }));
}

export function protectBucket(state: EmulatorState, bucket: string): void {
  state.malwareScans.protectedBuckets.add(bucket);
}

export function addCoverage(state: EmulatorState, spec: CoverageSpec, defaultAccount: string): CoverageResource {
  const account = spec.account ?? defaultAccount;
  const region = spec.region ?? 'us-east-1';
  const detector = state.store.detectorFor(account, region);
  if (!detector) throw new AdminError(400, `account ${account} has no detector in ${region}`);
  const type = spec.resourceType ?? 'EC2';
  const base: JsonObject = type === 'EC2'
    ? { ec2InstanceDetails: { instanceId: spec.resourceId, instanceType: 'm5.large', managementType: 'AUTO_MANAGED', agentDetails: { version: '1.2.0' } } }
    : type === 'EKS'
      ? { eksClusterDetails: { clusterName: spec.resourceId, coveredNodes: 2, compatibleNodes: 3, managementType: 'AUTO_MANAGED', addonDetails: { addonVersion: 'v1.5.0', addonStatus: 'ACTIVE' } } }
      : { ecsClusterDetails: { clusterName: spec.resourceId, fargateDetails: { managementType: 'AUTO_MANAGED', issues: spec.issue ? [spec.issue] : [] } } };
  const resource: CoverageResource = {
    resourceId: spec.resourceId, detectorId: detector.id, accountId: account, resourceDetails: { resourceType: type, ...base, ...spec.details },
    coverageStatus: spec.coverageStatus, issue: spec.coverageStatus === 'UNHEALTHY' ? spec.issue ?? 'No agent reporting' : undefined, updatedAt: state.now(),
  };
  state.coverage.put(resource);
  return resource;
}

export function clearCoverage(state: EmulatorState): void {
  state.coverage.clear();
}

/** A member's relationship with its administrator (`Enabled`, `Disabled`, `Removed`, `Invited`, …). */
export function setMemberRelationship(state: EmulatorState, accountId: string, status: string): void {
  if (!state.accounts.get(accountId)?.administrator) throw new AdminError(400, `account ${accountId} is not a member account`);
  state.coverage.relationships.set(accountId, status);
}

/** Changes a detector's status and features as UpdateDetector's wire body would (`{enable, features}`). */
export function updateDetector(state: EmulatorState, accountId: string, region: string, body: JsonObject): void {
  const detector = state.store.detectorFor(accountId, region);
  if (!detector) throw new AdminError(400, `account ${accountId} has no detector in ${region}`);
  try {
    updateDetectorConfig(detector, body, state.now());
  } catch (err) {
    if (err instanceof AwsServiceError) throw new AdminError(400, err.message);
    throw err;
  }
}
