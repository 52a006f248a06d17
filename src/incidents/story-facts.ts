import { actorLabel, endpointLabel, listed, resourceLabel } from '../findings/attack-sequence-labels.js';
import type { AttackSequence } from '../findings/attack-sequence.js';
import type { Finding } from '../findings/finding.js';
import { asRecord, asRecords, firstText, joinTexts, nonBlank, runtimeProcesses, textList, type Obj } from '../findings/finding-values.js';

/**
 * The facts of a finding's story, in words, for the first note: who acted, from where (or what was
 * contacted), on what. Plain text: the note escapes it. Each reader knows one family's members and
 * says nothing when the finding has none of them, so the note leaves that line out.
 */
export interface StoryFacts {
  who: string[];
  fromWhere: string[];
  contacted: string[];
  target: string[];
}

export function storyFacts(finding: Finding, sequence: AttackSequence | undefined): StoryFacts {
  const resource = asRecord(finding.Resource);
  const action = asRecord(asRecord(finding.Service)?.Action);
  if (sequence) return sequenceFacts(sequence, resource);
  return {
    who: [...principals(resource, action), ...processes(finding)],
    fromWhere: callers(action),
    contacted: contacted(action),
    target: targets(resource),
  };
}

function sequenceFacts(sequence: AttackSequence, resource: Obj | undefined): StoryFacts {
  const many = (items: string[]): string[] => {
    const text = listed(items, 5, '; ');
    return text === undefined ? [] : [text];
  };
  const outbound = sequence.endpoints.filter((e) => e.direction === 'OUTBOUND');
  const rest = sequence.endpoints.filter((e) => e.direction !== 'OUTBOUND');
  const resources = sequence.resources.map(resourceLabel);
  return {
    who: many(sequence.actors.map(actorLabel)),
    fromWhere: many(rest.map((e) => endpointLabel(e, true))),
    contacted: many(outbound.map((e) => endpointLabel(e, true))),
    target: resources.length > 0 ? many(resources) : targets(resource),
  };
}

/** The identities the finding names: the IAM principal, the Kubernetes user, the database users. */
function principals(resource: Obj | undefined, action: Obj | undefined): string[] {
  const out: string[] = [];
  const key = asRecord(resource?.AccessKeyDetails);
  const name = nonBlank(key?.UserName);
  if (name !== undefined) {
    const kind = nonBlank(key?.UserType);
    const id = nonBlank(key?.AccessKeyId);
    out.push(`${kind !== undefined ? `${kind} ` : ''}${name}${id !== undefined ? ` with access key ${id}` : ''}`);
  }
  const k8s = asRecord(asRecord(resource?.KubernetesDetails)?.KubernetesUserDetails);
  const k8sUser = nonBlank(k8s?.Username);
  if (k8sUser !== undefined) {
    const groups = textList(k8s?.Groups);
    out.push(`Kubernetes user ${k8sUser}${groups !== undefined ? ` (groups ${groups})` : ''}`);
  }
  const dbUser = nonBlank(asRecord(resource?.RdsDbUserDetails)?.User);
  if (dbUser !== undefined) out.push(`database user ${dbUser}`);
  const logins = asRecords(asRecord(action?.RdsLoginAttemptAction)?.LoginAttributes)
    .map((l) => nonBlank(l.User)).filter((u): u is string => u !== undefined && u !== dbUser);
  if (logins.length > 0) out.push(`login attempts as ${listed([...new Set(logins)], 5)}`);
  return out;
}

function processes(finding: Finding): string[] {
  return runtimeProcesses(finding.Service).map(({ role, process }) => {
    const name = firstText(process.Name, process.ExecutablePath) ?? 'unnamed';
    const path = nonBlank(process.ExecutablePath);
    const user = nonBlank(process.User);
    return `${role.toLowerCase()} ${name}${path !== undefined && path !== name ? ` (${path})` : ''}${user !== undefined ? ` running as ${user}` : ''}`;
  });
}

/** Remote addresses the activity came from (API calls, inbound connections, probes, logins). */
function callers(action: Obj | undefined): string[] {
  if (!action) return [];
  const out: string[] = [];
  const network = asRecord(action.NetworkConnectionAction);
  const inbound = nonBlank(network?.ConnectionDirection) !== 'OUTBOUND';
  for (const name of ['AwsApiCallAction', 'KubernetesApiCallAction', 'RdsLoginAttemptAction'] as const) {
    out.push(...address(asRecord(asRecord(action[name])?.RemoteIpDetails)));
  }
  const sourceIps: unknown = asRecord(action.KubernetesApiCallAction)?.SourceIps;
  for (const ip of Array.isArray(sourceIps) ? (sourceIps as unknown[]) : []) {
    const text = nonBlank(ip);
    if (text !== undefined && !out.some((o) => o.startsWith(text))) out.push(text);
  }
  if (network && inbound) out.push(...address(asRecord(network.RemoteIpDetails), asRecord(network.RemotePortDetails)?.Port));
  for (const probe of asRecords(asRecord(action.PortProbeAction)?.PortProbeDetails)) out.push(...address(asRecord(probe.RemoteIpDetails)));
  return [...new Set(out)];
}

/** What the affected resource reached out to: outbound connections and DNS queries. */
function contacted(action: Obj | undefined): string[] {
  if (!action) return [];
  const out: string[] = [];
  const network = asRecord(action.NetworkConnectionAction);
  if (network && nonBlank(network.ConnectionDirection) === 'OUTBOUND') {
    out.push(...address(asRecord(network.RemoteIpDetails), asRecord(network.RemotePortDetails)?.Port));
  }
  const domain = nonBlank(asRecord(action.DnsRequestAction)?.Domain);
  if (domain !== undefined) out.push(`DNS name ${domain}`);
  return out;
}

/** `198.51.100.7:22 (Amsterdam, Netherlands; Example Org)` as far as GuardDuty said. */
function address(ip: Obj | undefined, port?: unknown): string[] {
  const value = firstText(ip?.IpAddressV4, ip?.IpAddressV6);
  if (value === undefined) return [];
  const portText = nonBlank(port);
  const place = joinTexts(', ', asRecord(ip?.City)?.CityName, asRecord(ip?.Country)?.CountryName);
  const org = firstText(asRecord(ip?.Organization)?.AsnOrg, asRecord(ip?.Organization)?.Org, asRecord(ip?.Organization)?.Isp);
  const about = joinTexts('; ', place, org);
  return [`${value}${portText !== undefined ? `:${portText}` : ''}${about !== undefined ? ` (${about})` : ''}`];
}

/** The affected resources, named the way a responder searches for them. */
function targets(resource: Obj | undefined): string[] {
  if (!resource) return [];
  const out: string[] = [];
  const instance = asRecord(resource.InstanceDetails);
  const instanceId = nonBlank(instance?.InstanceId);
  if (instanceId !== undefined) {
    const name = asRecords(instance?.Tags).find((t) => t.Key === 'Name');
    const type = nonBlank(instance?.InstanceType);
    out.push(`EC2 instance ${instanceId}${name ? ` "${nonBlank(name.Value) ?? ''}"` : ''}${type !== undefined ? ` (${type})` : ''}`);
  }
  const buckets = asRecords(resource.S3BucketDetails).map((b) => nonBlank(b.Name)).filter((n): n is string => n !== undefined);
  if (buckets.length > 0) out.push(`S3 ${buckets.length === 1 ? 'bucket' : 'buckets'} ${listed(buckets, 5)}`);
  const named = (label: string, value: unknown): void => {
    const text = nonBlank(value);
    if (text !== undefined) out.push(`${label} ${text}`);
  };
  named('EKS cluster', asRecord(resource.EksClusterDetails)?.Name);
  const workload = asRecord(asRecord(resource.KubernetesDetails)?.KubernetesWorkloadDetails);
  if (nonBlank(workload?.Name) !== undefined) named('Kubernetes workload', joinTexts('/', workload?.Namespace, workload?.Name));
  named('ECS cluster', asRecord(resource.EcsClusterDetails)?.Name);
  named('container', firstText(asRecord(resource.ContainerDetails)?.Name, asRecord(resource.ContainerDetails)?.Image));
  named('Lambda function', asRecord(resource.LambdaDetails)?.FunctionName);
  named('RDS database', firstText(asRecord(resource.RdsDbInstanceDetails)?.DbInstanceIdentifier, asRecord(resource.RdsLimitlessDbDetails)?.DbShardGroupIdentifier));
  named('EBS snapshot', asRecord(resource.EbsSnapshotDetails)?.SnapshotArn);
  if (out.length === 0) named('resource of type', resource.ResourceType);
  return out;
}
