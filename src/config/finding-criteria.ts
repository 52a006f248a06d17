import { z } from 'zod';
import type { Condition, Criteria } from '../findings/criteria.js';
import { fail, ok, type Parser } from './parsers.js';

/**
 * `aws_gd_finding_criteria`: extra ListFindings criteria as JSON, e.g.
 * `{"resource.resourceType": {"equals": ["Instance"]}, "confidence": {"greaterThan": 5}}`.
 * Checked at start against the fields ListFindings documents and the current operators, because
 * GuardDuty would only reject them at the first listing, region after region, every cycle.
 */

type FieldKind = 'string' | 'number' | 'time' | 'boolean';

const remoteIp = (prefix: string): [string, FieldKind][] =>
  ['city.cityName', 'country.countryName', 'ipAddressV4', 'organization.asn', 'organization.asnOrg'].map((f) => [
    `${prefix}.remoteIpDetails.${f}`,
    'string',
  ]);

const strings = (prefix: string, names: string[]): [string, FieldKind][] => names.map((n) => [`${prefix}${n}`, 'string']);

/** The ListFindings fields (aws-wire-contract §1.3, plus createdAt) and how their values compare. */
const FIELDS = new Map<string, FieldKind>([
  ['accountId', 'string'], ['region', 'string'], ['confidence', 'number'], ['id', 'string'],
  ['severity', 'number'], ['type', 'string'], ['updatedAt', 'time'], ['createdAt', 'time'],
  ['resource.resourceType', 'string'],
  ...strings('resource.accessKeyDetails.', ['accessKeyId', 'principalId', 'userName', 'userType']),
  ...strings('resource.instanceDetails.', ['iamInstanceProfile.id', 'imageId', 'instanceId', 'tags.key', 'tags.value']),
  ...strings('resource.instanceDetails.networkInterfaces.', [
    'ipv6Addresses', 'privateIpAddresses.privateIpAddress', 'publicDnsName', 'publicIp',
    'securityGroups.groupId', 'securityGroups.groupName', 'subnetId', 'vpcId',
  ]),
  ...strings('service.action.', ['actionType']),
  ...strings('service.action.awsApiCallAction.', ['api', 'callerType', 'serviceName']),
  ...remoteIp('service.action.awsApiCallAction'),
  ...strings('service.action.dnsRequestAction.', ['domain', 'domainWithSuffix']),
  ['service.action.networkConnectionAction.blocked', 'boolean'],
  ...strings('service.action.networkConnectionAction.', ['connectionDirection', 'protocol']),
  ['service.action.networkConnectionAction.localPortDetails.port', 'number'],
  ['service.action.networkConnectionAction.remotePortDetails.port', 'number'],
  ...remoteIp('service.action.networkConnectionAction'),
  ...strings('service.', ['additionalInfo.threatListName', 'ebsVolumeScanDetails.scanId', 'resourceRole']),
  ['service.archived', 'boolean'],
]);

/** Fields the daemon sets itself on every listing. */
const OWNED: Record<string, string> = {
  'service.archived': 'service.archived is set by the daemon (it always lists unarchived findings), remove it',
  updatedAt: 'updatedAt is set by the daemon from its cursor, use aws_gd_lookback_interval for the first listing',
};

type Operator = keyof Condition;
const OPERATORS: Record<string, Operator> = {
  equals: 'Equals', notequals: 'NotEquals', greaterthan: 'GreaterThan',
  greaterthanorequal: 'GreaterThanOrEqual', lessthan: 'LessThan', lessthanorequal: 'LessThanOrEqual',
};
const DEPRECATED: Record<string, string> = {
  eq: 'equals', neq: 'notEquals', gt: 'greaterThan', gte: 'greaterThanOrEqual', lt: 'lessThan', lte: 'lessThanOrEqual',
};

const Shape = z.record(z.string(), z.record(z.string(), z.unknown()));
const EXPECTED = 'a JSON object of field → {operator: value}, e.g. {"resource.resourceType": {"equals": ["Instance"]}}';

export const findingCriteria: Parser<Criteria> = (raw) => {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    return fail(EXPECTED, `the JSON does not parse: ${(err as Error).message}`);
  }
  const shape = Shape.safeParse(json);
  if (!shape.success) return fail(EXPECTED, 'every field must map to an object of operators');
  const errors: string[] = [];
  const criteria: Criteria = {};
  for (const [field, operators] of Object.entries(shape.data)) {
    const condition = readCondition(field, operators, errors);
    if (condition) criteria[field] = condition;
  }
  return errors.length > 0 ? fail(EXPECTED, errors.join('; ')) : ok(criteria);
};

function readCondition(field: string, operators: Record<string, unknown>, errors: string[]): Condition | undefined {
  const kind = FIELDS.get(field);
  if (kind === undefined) {
    errors.push(`${field} is not a ListFindings field (see the GuardDuty FindingCriteria documentation)`);
    return undefined;
  }
  if (OWNED[field]) {
    errors.push(OWNED[field]);
    return undefined;
  }
  if (Object.keys(operators).length === 0) errors.push(`${field} has no operator`);
  const condition: Condition = {};
  for (const [written, value] of Object.entries(operators)) {
    const operator = OPERATORS[written.toLowerCase()];
    if (!operator) {
      errors.push(unknownOperator(field, written));
      continue;
    }
    const error = setOperand(condition, operator, kind, value);
    if (error) errors.push(`${field}.${written}: ${error}`);
  }
  return condition;
}

function unknownOperator(field: string, written: string): string {
  const current = DEPRECATED[written.toLowerCase()];
  if (current) return `${field}: the deprecated operator ${written} is not accepted, use ${current}`;
  if (/^(not)?matches$/i.test(written)) return `${field}: ${written} is only valid in GuardDuty filters, not in ListFindings`;
  return `${field}: unknown operator ${written} (use equals, notEquals, greaterThan, greaterThanOrEqual, lessThan or lessThanOrEqual)`;
}

function setOperand(condition: Condition, operator: Operator, kind: FieldKind, value: unknown): string | undefined {
  if (operator === 'Equals' || operator === 'NotEquals') {
    if (!Array.isArray(value) || value.length === 0 || value.length > 50 || !value.every((v) => typeof v === 'string')) {
      return 'expected an array of 1 to 50 strings (GuardDuty compares even numbers and booleans as strings, e.g. ["true"])';
    }
    if (kind === 'boolean' && !value.every((v) => v === 'true' || v === 'false')) return 'expected ["true"] or ["false"]';
    condition[operator] = value;
    return undefined;
  }
  if (kind === 'string' || kind === 'boolean') return 'comparisons apply only to numeric and time fields; use equals or notEquals';
  const number = kind === 'time' && typeof value === 'string' ? Date.parse(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    return kind === 'time' ? 'expected epoch milliseconds or an ISO 8601 date' : 'expected a number';
  }
  condition[operator] = number;
  return undefined;
}
