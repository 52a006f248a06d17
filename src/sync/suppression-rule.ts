import type { Finding } from '../findings/finding.js';
import type { FilterCriteria } from '../regions/respond-api.js';

/**
 * "Suppress findings like this": the suppression rule (a GuardDuty filter whose action is ARCHIVE)
 * built from an incident's finding. It names the finding's type and account, and what made the
 * finding a false positive: its resource (the EC2 instance or the IAM access key), its remote IP, or
 * nothing more (every finding of that type in the account). Pure: the functions and the close path
 * both build it; `matchesRule` tells whether a finding is one the rule archives.
 */

export type SuppressBy = 'resource' | 'remote_ip' | 'type';

export interface SuppressionRule {
  /** Named after the incident, so the rule of an incident is found again (and never made twice). */
  name: string;
  description: string;
  /** Field → the one value it must equal, as the rule's criteria say. */
  equals: Record<string, string[]>;
  criteria: FilterCriteria;
  /** What the rule matches, in words, for notes. */
  summary: string;
}

/** The finding names nothing the rule could be built on (e.g. `remote_ip` for a finding without one). */
export class SuppressionUnavailable extends Error {
  override readonly name = 'SuppressionUnavailable';
}

interface FieldReader {
  field: string;
  label: string;
  read: (finding: Finding) => unknown;
}

const get = (value: unknown, ...path: string[]): unknown => {
  let current = value;
  for (const key of path) current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined;
  return current;
};

const RESOURCE: FieldReader[] = [
  { field: 'resource.instanceDetails.instanceId', label: 'EC2 instance', read: (f) => get(f.Resource, 'InstanceDetails', 'InstanceId') },
  { field: 'resource.accessKeyDetails.accessKeyId', label: 'IAM access key', read: (f) => get(f.Resource, 'AccessKeyDetails', 'AccessKeyId') },
];

const REMOTE_IP: FieldReader[] = [
  { field: 'service.action.networkConnectionAction.remoteIpDetails.ipAddressV4', label: 'remote IP', read: (f) => get(f.Service, 'Action', 'NetworkConnectionAction', 'RemoteIpDetails', 'IpAddressV4') },
  { field: 'service.action.awsApiCallAction.remoteIpDetails.ipAddressV4', label: 'caller IP', read: (f) => get(f.Service, 'Action', 'AwsApiCallAction', 'RemoteIpDetails', 'IpAddressV4') },
];

const BASE: FieldReader[] = [
  { field: 'type', label: 'type', read: (f) => f.Type },
  { field: 'accountId', label: 'account', read: (f) => f.AccountId },
];

const READERS = new Map([...BASE, ...RESOURCE, ...REMOTE_IP].map((r) => [r.field, r]));

/** The rule for an incident's finding; `SuppressionUnavailable` when the finding lacks what `by` names. */
export function suppressionRule(finding: Finding, incidentId: number, by: SuppressBy): SuppressionRule {
  const picked = by === 'resource' ? firstPresent(finding, RESOURCE) : by === 'remote_ip' ? firstPresent(finding, REMOTE_IP) : undefined;
  if (by !== 'type' && !picked) {
    const what = by === 'resource' ? 'EC2 instance or IAM access key' : 'remote IP (of a network connection or an API call)';
    throw new SuppressionUnavailable(`finding ${finding.Id} (${finding.Type}) names no ${what} to suppress by; choose ${by === 'resource' ? 'remote_ip' : 'resource'} or type`);
  }
  const readers = [...BASE, ...(picked ? [picked] : [])];
  const text = (r: FieldReader): string => {
    const value = r.read(finding);
    return typeof value === 'string' ? value : '';
  };
  const equals = Object.fromEntries(readers.map((r) => [r.field, [text(r)]]));
  const parts = readers.map((r) => `${r.label} ${text(r)}`);
  const summary = parts.join(', ');
  const description = `guardduty-soar: suppresses findings like ${finding.Id} (IBM SOAR incident ${incidentId}): ${summary}.`.slice(0, 512);
  return {
    name: `guardduty-soar-incident-${incidentId}${by === 'resource' ? '' : by === 'remote_ip' ? '-ip' : '-type'}`,
    description, equals, summary,
    criteria: Object.fromEntries(Object.entries(equals).map(([field, values]) => [field, { Equals: values }])),
  };
}

/** Whether a finding is one the rule (field → values, all Equals) archives. */
export function matchesRule(finding: Finding, equals: Readonly<Record<string, readonly string[]>>): boolean {
  return Object.entries(equals).every(([field, values]) => {
    const reader = READERS.get(field);
    const value = reader?.read(finding);
    return typeof value === 'string' && values.includes(value);
  });
}

function firstPresent(finding: Finding, readers: FieldReader[]): FieldReader | undefined {
  return readers.find((r) => {
    const value = r.read(finding);
    return typeof value === 'string' && value.trim() !== '';
  });
}
