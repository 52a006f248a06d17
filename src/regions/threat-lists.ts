/**
 * GuardDuty's IPSets (trusted lists) and ThreatIntelSets (threat lists) as the SOAR functions use
 * them, in our terms. `FindingsSource` extends it, so the calls go out with the credentials of the
 * account that owns the detector. The implementation keeps SDK types inside `guardduty-threat-lists.ts`
 * and throws `ExternalServiceError` for every failure.
 */

/** `ipset` = trusted IP list (IPSet), `threatintelset` = threat list (ThreatIntelSet). */
export type ListKind = 'ipset' | 'threatintelset';

/** GuardDuty's list formats (`TXT`, `STIX`, `OTX_CSV`, `ALIEN_VAULT`, `PROOF_POINT`, `FIRE_EYE`). */
export type ListFormat = string;

/** What boto3's `ResponseMetadata` carries, which IBM's function results echo back. */
export interface ResponseMeta {
  requestId: string | undefined;
  httpStatusCode: number | undefined;
  /** Retries the SDK made. */
  attempts: number;
  /** Response headers, lower-cased names. */
  headers: Record<string, string>;
}

export interface ListCreate {
  name: string;
  format: ListFormat;
  /** `s3://bucket/key` or an `https://` S3 object URL. */
  location: string;
  activate: boolean;
  /** Idempotency token: a retried or redelivered create with the same token creates nothing new. */
  clientToken?: string;
  tags?: Record<string, string>;
  /** IPSets only: `ExpectedBucketOwner`. */
  expectedBucketOwner?: string;
}

export interface ListUpdate {
  name?: string;
  location?: string;
  activate?: boolean;
  /** IPSets only. */
  expectedBucketOwner?: string;
}

export interface ListView {
  name: string;
  format: ListFormat;
  location: string;
  /** `INACTIVE`, `ACTIVATING`, `ACTIVE`, `DEACTIVATING`, `ERROR`, `DELETE_PENDING`, `DELETED`. */
  status: string;
  tags: Record<string, string>;
  expectedBucketOwner?: string;
}

export interface ThreatListsApi {
  /** CreateIPSet / CreateThreatIntelSet. */
  createList(region: string, detectorId: string, kind: ListKind, spec: ListCreate): Promise<{ id: string; meta: ResponseMeta }>;
  /** GetIPSet / GetThreatIntelSet. */
  getList(region: string, detectorId: string, kind: ListKind, id: string): Promise<{ list: ListView; meta: ResponseMeta }>;
  /** ListIPSets / ListThreatIntelSets: one page. */
  listLists(
    region: string, detectorId: string, kind: ListKind, page: { maxResults?: number; nextToken?: string },
  ): Promise<{ ids: string[]; nextToken: string | undefined; meta: ResponseMeta }>;
  /** UpdateIPSet / UpdateThreatIntelSet. */
  updateList(region: string, detectorId: string, kind: ListKind, id: string, changes: ListUpdate): Promise<{ meta: ResponseMeta }>;
  /** DeleteIPSet / DeleteThreatIntelSet. */
  deleteList(region: string, detectorId: string, kind: ListKind, id: string): Promise<{ meta: ResponseMeta }>;
}
