import { isJsonObject, type JsonValue, type WireFinding } from '../protocol/wire.js';

/**
 * The finding fields ListFindings can filter and sort on: the documented list plus `createdAt`.
 * The kind says how values compare: `time` fields are ISO strings compared as epoch milliseconds,
 * `boolean` fields are compared with the strings "true"/"false" (the API's only way to say them).
 */
export type FieldKind = 'string' | 'number' | 'time' | 'boolean';

const S = 'string';
const N = 'number';
const B = 'boolean';
const T = 'time';

const remoteIp = (prefix: string): Record<string, FieldKind> => ({
  [`${prefix}.remoteIpDetails.city.cityName`]: S,
  [`${prefix}.remoteIpDetails.country.countryName`]: S,
  [`${prefix}.remoteIpDetails.ipAddressV4`]: S,
  [`${prefix}.remoteIpDetails.organization.asn`]: S,
  [`${prefix}.remoteIpDetails.organization.asnOrg`]: S,
});

export const FIELDS: Readonly<Record<string, FieldKind>> = {
  accountId: S, region: S, confidence: N, id: S, severity: N, type: S, updatedAt: T, createdAt: T,
  'resource.resourceType': S,
  'resource.accessKeyDetails.accessKeyId': S,
  'resource.accessKeyDetails.principalId': S,
  'resource.accessKeyDetails.userName': S,
  'resource.accessKeyDetails.userType': S,
  'resource.instanceDetails.iamInstanceProfile.id': S,
  'resource.instanceDetails.imageId': S,
  'resource.instanceDetails.instanceId': S,
  'resource.instanceDetails.tags.key': S,
  'resource.instanceDetails.tags.value': S,
  'resource.instanceDetails.networkInterfaces.ipv6Addresses': S,
  'resource.instanceDetails.networkInterfaces.privateIpAddresses.privateIpAddress': S,
  'resource.instanceDetails.networkInterfaces.publicDnsName': S,
  'resource.instanceDetails.networkInterfaces.publicIp': S,
  'resource.instanceDetails.networkInterfaces.securityGroups.groupId': S,
  'resource.instanceDetails.networkInterfaces.securityGroups.groupName': S,
  'resource.instanceDetails.networkInterfaces.subnetId': S,
  'resource.instanceDetails.networkInterfaces.vpcId': S,
  'service.action.actionType': S,
  'service.action.awsApiCallAction.api': S,
  'service.action.awsApiCallAction.callerType': S,
  'service.action.awsApiCallAction.serviceName': S,
  ...remoteIp('service.action.awsApiCallAction'),
  'service.action.dnsRequestAction.domain': S,
  'service.action.dnsRequestAction.domainWithSuffix': S,
  'service.action.networkConnectionAction.blocked': B,
  'service.action.networkConnectionAction.connectionDirection': S,
  'service.action.networkConnectionAction.localPortDetails.port': N,
  'service.action.networkConnectionAction.protocol': S,
  'service.action.networkConnectionAction.remotePortDetails.port': N,
  ...remoteIp('service.action.networkConnectionAction'),
  'service.additionalInfo.threatListName': S,
  'service.archived': B,
  'service.ebsVolumeScanDetails.scanId': S,
  'service.resourceRole': S,
};

export function fieldKind(field: string): FieldKind | undefined {
  return Object.hasOwn(FIELDS, field) ? FIELDS[field] : undefined;
}

/**
 * Every value of a dotted field. Arrays met on the way are flattened, which gives fields inside arrays
 * (`networkInterfaces.*`, `tags.*`) the "any element matches" semantics. [I]
 */
export function fieldValues(finding: WireFinding, field: string): JsonValue[] {
  if (field === 'service.additionalInfo.threatListName') return threatListNames(finding);
  let current: JsonValue[] = [finding];
  for (const segment of field.split('.')) {
    const next: JsonValue[] = [];
    for (const value of current) {
      const child = isJsonObject(value) ? value[segment] : undefined;
      if (Array.isArray(child)) next.push(...child);
      else if (child !== undefined && child !== null) next.push(child);
    }
    current = next;
  }
  return current;
}

/** GuardDuty keeps the threat list name inside `additionalInfo.value`, a JSON document in a string. */
function threatListNames(finding: WireFinding): JsonValue[] {
  const value = finding.service.additionalInfo?.value;
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    const name = isJsonObject(parsed) ? parsed.threatListName : undefined;
    return typeof name === 'string' ? [name] : [];
  } catch {
    return [];
  }
}

/** A value as the comparable the field's kind calls for (undefined when it is not comparable). */
export function comparable(kind: FieldKind, value: JsonValue): number | string | undefined {
  switch (kind) {
    case 'time': {
      const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
      return Number.isNaN(ms) ? undefined : ms;
    }
    case 'number':
      return typeof value === 'number' ? value : undefined;
    default:
      return typeof value === 'object' ? undefined : String(value);
  }
}
