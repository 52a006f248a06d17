import { offsetToken, parseOffsetToken } from '../protocol/paging.js';
import { badRequest, invalidParameter } from '../protocol/service-error.js';
import { epochSeconds, isJsonObject, type JsonObject, type JsonValue } from '../protocol/wire.js';
import type { CoverageResource } from '../state/coverage-store.js';
import type { Detector } from '../state/detector.js';
import type { EmulatorState } from '../state/state.js';
import { detectorBody } from './detector-config.js';
import { maxResults } from './guardduty-input.js';
import { detectorOf, type GuardDutyRequest } from './guardduty-request.js';
import type { CoverageOperation, MemberOperation } from './guardduty-routes.js';

/**
 * Where GuardDuty is blind: Runtime Monitoring coverage (ListCoverage, GetCoverageStatistics) and an
 * administrator's members (ListMembers, GetMemberDetectors), as in the model.
 *
 * [I] where the model is silent: an administrator's detector lists its members' coverage too (the
 * organisation view); filter criteria are ANDed, `equals` holds when the value is one of the list;
 * sorting by ISSUE or an unknown key sorts by resource id. ListMembers lists the accounts that name
 * the caller as administrator (onlyAssociated=true, the default, leaves out those whose relationship
 * is not `Enabled`); GetMemberDetectors answers an account that is not a member, or has no detector
 * in the region, in `unprocessedAccounts`.
 */

type Handler = (state: EmulatorState, req: GuardDutyRequest) => JsonObject;

const CRITERION_FIELDS: Record<string, (r: CoverageResource) => string | undefined> = {
  ACCOUNT_ID: (r) => r.accountId,
  RESOURCE_TYPE: (r) => text(r.resourceDetails.resourceType),
  COVERAGE_STATUS: (r) => r.coverageStatus,
  INSTANCE_ID: (r) => text(nested(r.resourceDetails, 'ec2InstanceDetails', 'instanceId')),
  CLUSTER_NAME: (r) => text(nested(r.resourceDetails, 'eksClusterDetails', 'clusterName')),
  EKS_CLUSTER_NAME: (r) => text(nested(r.resourceDetails, 'eksClusterDetails', 'clusterName')),
  ECS_CLUSTER_NAME: (r) => text(nested(r.resourceDetails, 'ecsClusterDetails', 'clusterName')),
  ADDON_VERSION: (r) => text(nested(r.resourceDetails, 'eksClusterDetails', 'addonDetails', 'addonVersion')),
  AGENT_VERSION: (r) => text(nested(r.resourceDetails, 'ec2InstanceDetails', 'agentDetails', 'version')),
  MANAGEMENT_TYPE: (r) => text(nested(r.resourceDetails, 'ec2InstanceDetails', 'managementType') ?? nested(r.resourceDetails, 'eksClusterDetails', 'managementType')),
  CLUSTER_ARN: (r) => text(nested(r.resourceDetails, 'ec2InstanceDetails', 'clusterArn')),
};
const SORT_KEYS: Record<string, (r: CoverageResource) => string | number | undefined> = {
  ACCOUNT_ID: (r) => r.accountId, COVERAGE_STATUS: (r) => r.coverageStatus, ISSUE: (r) => r.issue, UPDATED_AT: (r) => r.updatedAt,
  INSTANCE_ID: CRITERION_FIELDS.INSTANCE_ID, CLUSTER_NAME: CRITERION_FIELDS.CLUSTER_NAME, EKS_CLUSTER_NAME: CRITERION_FIELDS.EKS_CLUSTER_NAME,
  ECS_CLUSTER_NAME: CRITERION_FIELDS.ECS_CLUSTER_NAME, ADDON_VERSION: CRITERION_FIELDS.ADDON_VERSION,
};

export const COVERAGE_HANDLERS: Record<CoverageOperation, Handler> = {
  ListCoverage: (state, req) => {
    const detector = detectorOf(state, req);
    const size = maxResults(req.body.maxResults, 50, 50);
    const token = typeof req.body.nextToken === 'string' && req.body.nextToken !== '' ? req.body.nextToken : undefined;
    const offset = token ? parseOffsetToken(token) : 0;
    const all = sortResources(coverageOf(state, detector).filter(coverageFilter(req.body.filterCriteria)), req.body.sortCriteria);
    const resources = all.slice(offset, offset + size).map(resourceBody);
    return offset + size < all.length ? { resources, nextToken: offsetToken(offset + size) } : { resources };
  },
  GetCoverageStatistics: (state, req) => {
    const detector = detectorOf(state, req);
    const types = req.body.statisticsType;
    const known = ['COUNT_BY_RESOURCE_TYPE', 'COUNT_BY_COVERAGE_STATUS'];
    if (!Array.isArray(types) || types.length === 0 || !types.every((t) => typeof t === 'string' && known.includes(t))) {
      throw invalidParameter('statisticsType', `It must list ${known.join(' and/or ')}.`);
    }
    const resources = coverageOf(state, detector).filter(coverageFilter(req.body.filterCriteria));
    const count = (key: (r: CoverageResource) => string | undefined): JsonObject => {
      const out: Record<string, number> = {};
      for (const r of resources) {
        const k = key(r);
        if (k) out[k] = (out[k] ?? 0) + 1;
      }
      return out;
    };
    return {
      coverageStatistics: {
        ...(types.includes('COUNT_BY_RESOURCE_TYPE') ? { countByResourceType: count(CRITERION_FIELDS.RESOURCE_TYPE ?? (() => undefined)) } : {}),
        ...(types.includes('COUNT_BY_COVERAGE_STATUS') ? { countByCoverageStatus: count((r) => r.coverageStatus) } : {}),
      },
    };
  },
};

export const MEMBER_HANDLERS: Record<MemberOperation, Handler> = {
  ListMembers: (state, req) => {
    const detector = detectorOf(state, req);
    const only = (req.query.get('onlyAssociated') ?? 'true').toLowerCase() !== 'false';
    const size = maxResults(req.query.get('maxResults') ?? undefined, 50, 50);
    const token = req.query.get('nextToken');
    const offset = token ? parseOffsetToken(token) : 0;
    const members = state.accounts.membersOf(detector.accountId)
      .map((account) => ({ account, status: state.coverage.relationships.get(account.id) ?? 'Enabled' }))
      .filter((m) => !only || m.status === 'Enabled')
      .sort((a, b) => a.account.id.localeCompare(b.account.id));
    const page = members.slice(offset, offset + size).map(({ account, status }): JsonObject => {
      const memberDetector = state.store.detectorFor(account.id, detector.region);
      return {
        accountId: account.id, ...(memberDetector ? { detectorId: memberDetector.id } : {}), masterId: detector.accountId, administratorId: detector.accountId,
        email: `security+${account.id}@example.com`, relationshipStatus: status, invitedAt: detector.createdAt, updatedAt: new Date(state.now()).toISOString(),
      };
    });
    return offset + size < members.length ? { members: page, nextToken: offsetToken(offset + size) } : { members: page };
  },
  GetMemberDetectors: (state, req) => {
    const detector = detectorOf(state, req);
    const ids = req.body.accountIds;
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > 50 || !ids.every((id) => typeof id === 'string' && /^\d{12}$/.test(id))) {
      throw invalidParameter('accountIds', 'It must hold 1 to 50 account ids.');
    }
    const members: JsonObject[] = [];
    const unprocessed: JsonObject[] = [];
    for (const id of ids as string[]) {
      const account = state.accounts.get(id);
      const memberDetector = state.store.detectorFor(id, detector.region);
      if (account?.administrator !== detector.accountId) unprocessed.push({ accountId: id, result: 'The account is not a member of this administrator account.' });
      else if (!memberDetector) unprocessed.push({ accountId: id, result: `The account has no detector in ${detector.region}.` });
      else members.push(memberConfiguration(memberDetector));
    }
    if (members.length === 0 && unprocessed.length === 0) throw badRequest('The request is rejected because no account was given.');
    return { members, unprocessedAccounts: unprocessed };
  },
};

/**
 * A member detector's data sources and features, as GetMemberDetectors answers them. [I] A suspended
 * (DISABLED) member detector monitors nothing: its features answer DISABLED.
 */
function memberConfiguration(detector: Detector): JsonObject {
  const body = detectorBody(detector);
  const suspended = detector.config.status === 'DISABLED';
  const features = (Array.isArray(body.features) ? body.features : [])
    .filter((f): f is JsonObject => isJsonObject(f) && typeof f.name === 'string' && !['CLOUD_TRAIL', 'DNS_LOGS', 'FLOW_LOGS'].includes(f.name))
    .map((f) => (suspended ? { ...f, status: 'DISABLED' } : f));
  return { accountId: detector.accountId, dataSources: body.dataSources ?? {}, features };
}

function coverageOf(state: EmulatorState, detector: Detector): CoverageResource[] {
  return state.view(detector).flatMap((d) => state.coverage.of(d.id));
}

function coverageFilter(value: unknown): (r: CoverageResource) => boolean {
  if (value === undefined || value === null) return () => true;
  const list = isJsonObject(value) ? value.filterCriterion : undefined;
  if (list === undefined || list === null) return () => true;
  if (!Array.isArray(list) || list.length > 50) throw invalidParameter('filterCriteria.filterCriterion', 'It must hold at most 50 criteria.');
  const tests = list.map((item, i) => {
    const where = `filterCriteria.filterCriterion[${i}]`;
    if (!isJsonObject(item) || typeof item.criterionKey !== 'string' || !CRITERION_FIELDS[item.criterionKey]) {
      throw invalidParameter(`${where}.criterionKey`, `It must be one of ${Object.keys(CRITERION_FIELDS).join(', ')}.`);
    }
    const read = CRITERION_FIELDS[item.criterionKey];
    const condition = isJsonObject(item.filterCondition) ? item.filterCondition : {};
    const equals = stringList(condition.equals, `${where}.filterCondition.equals`);
    const notEquals = stringList(condition.notEquals, `${where}.filterCondition.notEquals`);
    if (!equals && !notEquals) throw invalidParameter(`${where}.filterCondition`, 'It needs equals or notEquals.');
    return (r: CoverageResource) => {
      const v = read(r);
      return (!equals || (v !== undefined && equals.includes(v))) && (!notEquals || v === undefined || !notEquals.includes(v));
    };
  });
  return (r) => tests.every((t) => t(r));
}

function sortResources(resources: CoverageResource[], value: unknown): CoverageResource[] {
  if (!isJsonObject(value)) return [...resources].sort((a, b) => a.resourceId.localeCompare(b.resourceId));
  const key = typeof value.attributeName === 'string' ? SORT_KEYS[value.attributeName] : undefined;
  if (value.attributeName !== undefined && !key) throw invalidParameter('sortCriteria.attributeName');
  const sign = value.orderBy === 'DESC' ? -1 : 1;
  return [...resources].sort((a, b) => {
    const ka = key?.(a);
    const kb = key?.(b);
    const order = ka === kb ? 0 : ka === undefined ? -1 : kb === undefined ? 1 : ka < kb ? -1 : 1;
    return sign * order || a.resourceId.localeCompare(b.resourceId);
  });
}

function resourceBody(r: CoverageResource): JsonObject {
  return {
    resourceId: r.resourceId, detectorId: r.detectorId, accountId: r.accountId, resourceDetails: r.resourceDetails,
    coverageStatus: r.coverageStatus, ...(r.issue ? { issue: r.issue } : {}), updatedAt: epochSeconds(r.updatedAt),
  };
}

function stringList(value: JsonValue | undefined, member: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw invalidParameter(member, 'It must be a list of strings.');
  return value;
}

function nested(object: JsonObject, ...path: string[]): JsonValue | undefined {
  let current: JsonValue | undefined = object;
  for (const key of path) current = isJsonObject(current) ? current[key] : undefined;
  return current;
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
