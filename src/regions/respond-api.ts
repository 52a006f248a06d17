/**
 * What the responder's functions and the daemon use of GuardDuty beyond findings: malware scans,
 * suppression rules (filters), coverage and an administrator's members, in our terms.
 * `FindingsSource` extends these, so each call goes out with the credentials of the account that
 * owns the detector; the implementation (`guardduty-respond.ts`) keeps SDK types inside itself and
 * throws `ExternalServiceError` for every failure.
 */

import type { Criteria } from '../findings/criteria.js';

export type ScanStatus = 'RUNNING' | 'COMPLETED' | 'COMPLETED_WITH_ISSUES' | 'FAILED' | 'SKIPPED';
export type ScanResult = 'NO_THREATS_FOUND' | 'THREATS_FOUND';

/** One threat a scan found: its name, the file hash, and the files (paths) that hold it. */
export interface ScanThreatView {
  name: string;
  source: string | undefined;
  hash: string | undefined;
  items: { path: string; hash: string | undefined; resourceArn: string | undefined }[];
}

/** A scan as ListMalwareScans summarises it. */
export interface MalwareScanSummary {
  scanId: string;
  resourceArn: string;
  resourceType: string;
  status: ScanStatus;
  result: ScanResult | undefined;
  scanType: string;
  /** ISO text. */
  startedAt: string | undefined;
  completedAt: string | undefined;
}

/** A scan as GetMalwareScan answers it. */
export interface MalwareScanView extends MalwareScanSummary {
  statusReason: string | undefined;
  /** The finding that made GuardDuty start it (GUARDDUTY_INITIATED scans). */
  findingId: string | undefined;
  threats: ScanThreatView[];
  /** GetMalwareScan's members as GuardDuty names them (timestamps as ISO text), for a function's result. */
  raw: Record<string, unknown>;
}

/** ListMalwareScans takes one criterion. */
export interface ScanCriterion {
  key: 'RESOURCE_ARN' | 'SCAN_ID' | 'ACCOUNT_ID' | 'GUARDDUTY_FINDING_ID' | 'RESOURCE_TYPE' | 'SCAN_STATUS' | 'SCAN_TYPE';
  equals: string;
}

export interface MalwareScansApi {
  /** StartMalwareScan of an EC2 instance or EBS volume; the scan id. A ClientToken makes a retried start answer the same scan. */
  startMalwareScan(region: string, resourceArn: string, clientToken?: string): Promise<string>;
  /** GetMalwareScan. */
  getMalwareScan(region: string, scanId: string): Promise<MalwareScanView>;
  /** ListMalwareScans, one page, newest first. */
  listMalwareScans(region: string, page: { criterion?: ScanCriterion; maxResults?: number; nextToken?: string }): Promise<{ scans: MalwareScanSummary[]; nextToken: string | undefined }>;
  /** SendObjectMalwareScan (the bucket needs a Malware Protection plan). */
  sendObjectMalwareScan(region: string, object: { bucket: string; key: string; versionId?: string }): Promise<void>;
}

export type FilterAction = 'NOOP' | 'ARCHIVE';

/** A filter's criteria: field → condition, the same language as ListFindings' (`findings/criteria.ts`). */
export type FilterCriteria = Criteria;

export interface FilterSpec {
  name: string;
  description?: string;
  action?: FilterAction;
  rank?: number;
  criteria: FilterCriteria;
  clientToken?: string;
  tags?: Record<string, string>;
}

export interface FilterUpdate {
  description?: string;
  action?: FilterAction;
  rank?: number;
  criteria?: FilterCriteria;
}

export interface FiltersApi {
  /** CreateFilter; the name GuardDuty answers. */
  createFilter(region: string, detectorId: string, spec: FilterSpec): Promise<string>;
  updateFilter(region: string, detectorId: string, name: string, changes: FilterUpdate): Promise<void>;
  deleteFilter(region: string, detectorId: string, name: string): Promise<void>;
  listFilters(region: string, detectorId: string, page: { maxResults?: number; nextToken?: string }): Promise<{ names: string[]; nextToken: string | undefined }>;
  /** GetFilter's members as GuardDuty names them (`Name`, `Action`, `Rank`, `FindingCriteria`, …). */
  getFilter(region: string, detectorId: string, name: string): Promise<Record<string, unknown>>;
}

/** A Runtime Monitoring coverage resource. */
export interface CoverageView {
  resourceId: string;
  accountId: string;
  resourceType: string;
  /** HEALTHY or UNHEALTHY. */
  status: string;
  issue: string | undefined;
  /** ListCoverage's members as GuardDuty names them (timestamps as ISO text), for a function's result. */
  raw: Record<string, unknown>;
}

export interface MemberView {
  accountId: string;
  detectorId: string | undefined;
  /** `Enabled`, `Invited`, `Disabled`, `Removed`, `Resigned`, … */
  relationshipStatus: string;
}

export interface MemberDetectorView {
  accountId: string;
  /** Feature name → ENABLED / DISABLED. */
  features: Record<string, string>;
}

export interface CoverageApi {
  /** ListCoverage, one page (optionally only resources of one coverage status). */
  listCoverage(region: string, detectorId: string, page: { status?: string; maxResults?: number; nextToken?: string }): Promise<{ resources: CoverageView[]; nextToken: string | undefined }>;
  /** GetCoverageStatistics: counts by coverage status and by resource type. */
  coverageStatistics(region: string, detectorId: string): Promise<{ byStatus: Record<string, number>; byResourceType: Record<string, number> }>;
  /** ListMembers, all pages (associated or not). */
  listMembers(region: string, detectorId: string): Promise<MemberView[]>;
  /** GetMemberDetectors for at most 50 accounts; accounts GuardDuty could not answer for, with why. */
  memberDetectors(region: string, detectorId: string, accountIds: string[]): Promise<{ members: MemberDetectorView[]; unprocessed: { accountId: string; reason: string }[] }>;
}
