import type { Criteria } from '../findings/criteria.js';
import type { Feedback, Finding } from '../findings/finding.js';
import type { ListObjectsApi } from './s3-lists.js';
import type { ThreatListsApi } from './threat-lists.js';

/**
 * GuardDuty, EC2 and STS as the daemon sees them: only the calls it makes, in its own terms (the
 * threat-list calls of the SOAR functions included, and the S3 objects those lists are read from).
 * The implementation (`guardduty-client.ts`) keeps every SDK type inside itself and throws
 * `ExternalServiceError` for every failure.
 */

export interface ListFindingsRequest {
  criteria: Criteria;
  sortBy: string;
  order: 'ASC' | 'DESC';
  /** 1–50. */
  pageSize: number;
}

export interface RegionInfo {
  name: string;
  /** `opt-in-not-required`, `opted-in` or `not-opted-in`. */
  optInStatus: string;
}

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export interface DetectorUpdate {
  enable?: boolean;
  /** `FIFTEEN_MINUTES`, `ONE_HOUR` or `SIX_HOURS`. */
  findingPublishingFrequency?: string;
  /** Feature name (`S3_DATA_EVENTS`, `EKS_AUDIT_LOGS`, …) → `ENABLED` / `DISABLED`. */
  features?: Record<string, 'ENABLED' | 'DISABLED'>;
}

export interface FindingsSource extends ThreatListsApi, ListObjectsApi {
  /** STS GetCallerIdentity with the credentials this source uses. */
  identity(): Promise<CallerIdentity>;
  /** EC2 DescribeRegions in the master region (enabled regions only). */
  listRegions(): Promise<RegionInfo[]>;
  /** GuardDuty ListDetectors in one region, all pages. */
  listDetectors(region: string): Promise<string[]>;
  /**
   * GuardDuty ListFindings, one page of IDs at a time. The criteria are frozen for the whole listing
   * (GuardDuty rejects a nextToken whose criteria changed), and the listing stops on a repeated token.
   */
  listFindingIds(region: string, detectorId: string, request: ListFindingsRequest): AsyncIterable<string[]>;
  /**
   * GuardDuty ListFindings, one page, newest update first, for a caller that pages itself (a SOAR
   * function hands the token back to its playbook). A page may be empty and still carry a token.
   */
  listFindingsPage(region: string, detectorId: string, page: { criteria: Criteria; maxResults?: number; nextToken?: string }): Promise<{ ids: string[]; nextToken: string | undefined }>;
  /** GuardDuty GetFindings for at most 50 IDs. IDs GuardDuty no longer knows are simply absent. */
  getFindings(region: string, detectorId: string, ids: string[]): Promise<Finding[]>;
  /** GuardDuty ArchiveFindings for at most 50 IDs (only the administrator account may archive). */
  archiveFindings(region: string, detectorId: string, ids: string[]): Promise<void>;
  /**
   * GuardDuty GetAdministratorAccount: the administrator's account id when this account is a member
   * (members cannot archive findings), undefined when it has none.
   */
  administratorOf(region: string, detectorId: string): Promise<string | undefined>;
  /** GuardDuty UnarchiveFindings, 50 IDs per call (only the administrator account may unarchive). */
  unarchiveFindings(region: string, detectorId: string, ids: string[]): Promise<void>;
  /** GuardDuty CreateSampleFindings: one sample per type given, or one of every type with none. */
  createSampleFindings(region: string, detectorId: string, types: string[]): Promise<void>;
  /** GuardDuty GetDetector: the detector's settings as GuardDuty answers them (timestamps as ISO text). */
  getDetector(region: string, detectorId: string): Promise<Record<string, unknown>>;
  /** GuardDuty ListTagsForResource (a detector, IPSet, ThreatIntelSet or filter ARN). */
  listTags(region: string, arn: string): Promise<Record<string, string>>;
  /** GuardDuty TagResource: adds or replaces the tags given. */
  tagResource(region: string, arn: string, tags: Record<string, string>): Promise<void>;
  /** GuardDuty UntagResource: removes the tag keys given. */
  untagResource(region: string, arn: string, keys: string[]): Promise<void>;
  /** GuardDuty UpdateDetector: only the settings given change (features by name, `ENABLED`/`DISABLED`). */
  updateDetector(region: string, detectorId: string, changes: DetectorUpdate): Promise<void>;
  /** GuardDuty UpdateFindingsFeedback for at most 50 IDs. */
  sendFeedback(region: string, detectorId: string, ids: string[], feedback: Feedback, comment?: string): Promise<void>;
}
