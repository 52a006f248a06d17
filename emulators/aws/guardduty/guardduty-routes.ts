import { decodedSegments } from '../protocol/paths.js';

/**
 * GuardDuty's REST routes that the emulator serves, as in the SDK's schemas
 * (node_modules/@aws-sdk/client-guardduty/dist-es/schemas/schemas_0.js, `[_ht]` traits).
 */
export type GuardDutyOperation =
  | 'ListDetectors'
  | 'GetDetector'
  | 'ListFindings'
  | 'GetFindings'
  | 'ArchiveFindings'
  | 'UnarchiveFindings'
  | 'CreateSampleFindings'
  | 'UpdateFindingsFeedback'
  | 'GetFindingsStatistics'
  | 'GetAdministratorAccount'
  | 'UpdateDetector'
  | TagOperation
  | FilterOperation
  | ThreatListOperation;

export type FilterOperation = 'CreateFilter' | 'GetFilter' | 'ListFilters' | 'UpdateFilter' | 'DeleteFilter';

export type TagOperation = 'TagResource' | 'UntagResource' | 'ListTagsForResource';

/** The five operations of each of the two threat-list kinds (IPSets are trusted lists). */
export type ThreatListOperation =
  | 'CreateIPSet' | 'GetIPSet' | 'ListIPSets' | 'UpdateIPSet' | 'DeleteIPSet'
  | 'CreateThreatIntelSet' | 'GetThreatIntelSet' | 'ListThreatIntelSets' | 'UpdateThreatIntelSet' | 'DeleteThreatIntelSet';

export interface GuardDutyRoute {
  operation: GuardDutyOperation;
  detectorId: string | undefined;
  /** The id after the collection in the path: an IPSet or ThreatIntelSet id, a filter name, or a tagged resource's ARN. */
  resourceId?: string;
}

const FINDINGS_SUFFIX: Record<string, GuardDutyOperation> = {
  '': 'ListFindings',
  get: 'GetFindings',
  archive: 'ArchiveFindings',
  unarchive: 'UnarchiveFindings',
  create: 'CreateSampleFindings',
  feedback: 'UpdateFindingsFeedback',
  statistics: 'GetFindingsStatistics',
};

/** `/detector/{id}/<segment>` and `/detector/{id}/<segment>/{id or name}`, by method. */
const COLLECTION_ROUTES: Record<string, { collection: Record<string, GuardDutyOperation>; item: Record<string, GuardDutyOperation> }> = {
  ipset: {
    collection: { GET: 'ListIPSets', POST: 'CreateIPSet' },
    item: { GET: 'GetIPSet', POST: 'UpdateIPSet', DELETE: 'DeleteIPSet' },
  },
  threatintelset: {
    collection: { GET: 'ListThreatIntelSets', POST: 'CreateThreatIntelSet' },
    item: { GET: 'GetThreatIntelSet', POST: 'UpdateThreatIntelSet', DELETE: 'DeleteThreatIntelSet' },
  },
  filter: {
    collection: { GET: 'ListFilters', POST: 'CreateFilter' },
    item: { GET: 'GetFilter', POST: 'UpdateFilter', DELETE: 'DeleteFilter' },
  },
};

const TAG_ROUTES: Record<string, TagOperation> = { GET: 'ListTagsForResource', POST: 'TagResource', DELETE: 'UntagResource' };

/** Operations answered 204 with no body (the model's responseCode). */
export const NO_CONTENT: ReadonlySet<GuardDutyOperation> = new Set(['TagResource', 'UntagResource']);

export function matchGuardDutyRoute(method: string, pathname: string): GuardDutyRoute | undefined {
  const parts = decodedSegments(pathname);
  if (!parts) return undefined;
  // The ARN is one URI label (the SDK encodes its `/` and `:`).
  if (parts[0] === 'tags' && parts.length === 2) {
    const operation = TAG_ROUTES[method];
    return operation ? { operation, detectorId: undefined, resourceId: parts[1] } : undefined;
  }
  if (parts[0] !== 'detector') return undefined;
  const detectorId = parts[1];
  if (parts.length === 1) return method === 'GET' ? { operation: 'ListDetectors', detectorId: undefined } : undefined;
  if (parts.length === 2) {
    const operation = method === 'GET' ? 'GetDetector' : method === 'POST' ? 'UpdateDetector' : undefined;
    return operation ? { operation, detectorId } : undefined;
  }
  if (parts.length === 3 && parts[2] === 'administrator') {
    return method === 'GET' ? { operation: 'GetAdministratorAccount', detectorId } : undefined;
  }
  const lists = COLLECTION_ROUTES[parts[2] ?? ''];
  if (lists && parts.length <= 4) {
    const operation = parts.length === 3 ? lists.collection[method] : lists.item[method];
    return operation ? { operation, detectorId, resourceId: parts[3] } : undefined;
  }
  if (parts[2] !== 'findings' || parts.length > 4 || method !== 'POST') return undefined;
  const operation = FINDINGS_SUFFIX[parts[3] ?? ''];
  return operation ? { operation, detectorId } : undefined;
}
