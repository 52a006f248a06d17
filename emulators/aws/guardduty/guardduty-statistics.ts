import { compileCriteria } from './criteria.js';
import { maxResults, optionalString, optionalStringList } from './guardduty-input.js';
import { detectorOf, type GuardDutyRequest } from './guardduty-request.js';
import { badRequest, invalidParameter } from '../protocol/service-error.js';
import type { EmulatorState } from '../state/state.js';
import { epochSeconds, type JsonObject, type JsonValue, type WireFinding } from '../protocol/wire.js';

/**
 * GetFindingsStatistics: the deprecated `findingStatisticTypes: [COUNT_BY_SEVERITY]` or `groupBy`
 * (exactly one of them). Groups are ordered by totalFindings (DESC by default). `lastGeneratedAt` and
 * `date` are timestamp-typed, hence epoch seconds. [I] No nextToken: every group fits in maxResults.
 */

type GroupBy = 'ACCOUNT' | 'DATE' | 'FINDING_TYPE' | 'RESOURCE' | 'SEVERITY';

interface Group {
  key: JsonObject;
  total: number;
  lastMs: number;
}

const GROUP_MEMBER: Record<GroupBy, string> = {
  ACCOUNT: 'groupedByAccount',
  DATE: 'groupedByDate',
  FINDING_TYPE: 'groupedByFindingType',
  RESOURCE: 'groupedByResource',
  SEVERITY: 'groupedBySeverity',
};

export function getFindingsStatistics(state: EmulatorState, req: GuardDutyRequest): JsonObject {
  const detector = detectorOf(state, req);
  const types = optionalStringList(req.body, 'findingStatisticTypes', 10);
  const groupBy = optionalString(req.body, 'groupBy');
  if ((types !== undefined && types.length > 0) === (groupBy !== undefined)) {
    throw badRequest('The request is rejected because exactly one of findingStatisticTypes and groupBy must be specified.');
  }
  const findings = state.visibleFindings(detector).filter(compileCriteria(req.body.findingCriteria));
  if (types) {
    if (types.some((t) => t !== 'COUNT_BY_SEVERITY')) throw invalidParameter('findingStatisticTypes');
    return { findingStatistics: { countBySeverity: countBySeverity(findings) } };
  }
  if (!groupBy || !Object.hasOwn(GROUP_MEMBER, groupBy)) throw invalidParameter('groupBy');
  const orderBy = optionalString(req.body, 'orderBy') ?? 'DESC';
  if (orderBy !== 'ASC' && orderBy !== 'DESC') throw invalidParameter('orderBy');
  const limit = maxResults(req.body.maxResults, 100, 25);
  const groups = groupFindings(findings, groupBy as GroupBy)
    .sort((a, b) => (orderBy === 'DESC' ? b.total - a.total : a.total - b.total))
    .slice(0, limit)
    .map((g): JsonObject => ({ ...g.key, totalFindings: g.total, lastGeneratedAt: epochSeconds(g.lastMs) }));
  return { findingStatistics: { [GROUP_MEMBER[groupBy as GroupBy]]: groups } };
}

/** Keys are severities written as strings, e.g. `"8.0"`, as the CLI shows them. */
function countBySeverity(findings: WireFinding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) {
    const key = Number.isInteger(f.severity) ? f.severity.toFixed(1) : String(f.severity);
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

function groupFindings(findings: WireFinding[], groupBy: GroupBy): Group[] {
  const groups = new Map<string, Group>();
  for (const f of findings) {
    const key = groupKey(f, groupBy);
    const id = JSON.stringify(key);
    const ms = Date.parse(f.updatedAt);
    const group = groups.get(id) ?? { key, total: 0, lastMs: ms };
    group.total++;
    group.lastMs = Math.max(group.lastMs, ms);
    if (groupBy === 'DATE') group.key.severity = Math.max(Number(group.key.severity ?? 0), f.severity);
    groups.set(id, group);
  }
  return [...groups.values()];
}

function groupKey(f: WireFinding, groupBy: GroupBy): JsonObject {
  switch (groupBy) {
    case 'ACCOUNT':
      return { accountId: f.accountId };
    case 'DATE':
      return { date: epochSeconds(Date.parse(f.updatedAt.slice(0, 10))) };
    case 'FINDING_TYPE':
      return { findingType: f.type };
    case 'SEVERITY':
      return { severity: f.severity };
    case 'RESOURCE':
      return { accountId: f.accountId, resourceType: typeof f.resource.resourceType === 'string' ? f.resource.resourceType : '', resourceId: resourceId(f.resource) };
  }
}

function resourceId(resource: JsonObject): string {
  const pick = (path: string[]): JsonValue | undefined =>
    path.reduce<JsonValue | undefined>((v, k) => (v && typeof v === 'object' && !Array.isArray(v) ? v[k] : undefined), resource);
  const buckets = resource.s3BucketDetails;
  const firstBucket = Array.isArray(buckets) ? buckets[0] : undefined;
  const candidates = [
    pick(['instanceDetails', 'instanceId']),
    pick(['accessKeyDetails', 'accessKeyId']),
    firstBucket && typeof firstBucket === 'object' && !Array.isArray(firstBucket) ? firstBucket.name : undefined,
    pick(['eksClusterDetails', 'name']),
    pick(['ecsClusterDetails', 'name']),
    pick(['rdsDbInstanceDetails', 'dbInstanceIdentifier']),
    pick(['lambdaDetails', 'functionName']),
    pick(['containerDetails', 'name']),
  ];
  const hit = candidates.find((c) => typeof c === 'string');
  return typeof hit === 'string' ? hit : 'unknown';
}
