import { asRecord, indexed, type Obj } from '../findings/finding-values.js';
import type { Finding } from '../findings/finding.js';
import type { ArtifactInput } from '../soar/case-system.js';
import { ArtifactList } from './artifact-list.js';
import { addMalwareArtifacts, addRuntimeArtifacts, addWorkloadArtifacts } from './family-artifacts.js';
import { addSequenceArtifacts } from './sequence-artifacts.js';

/**
 * The observables of a finding, read from explicit paths (IBM searched every key of the finding
 * recursively, so any nested `Name` or `Port` could become an artifact). Deduplicated by
 * (type, value) keeping the first source, so a port equal to some other value is still a port.
 * Attacker-side values (the action) come first: they are what a responder pivots on. Then the
 * resource, then what Runtime Monitoring and Malware Protection saw on it, then the parts of an
 * attack sequence (sequence-artifacts.ts).
 */
export function extractArtifacts(finding: Finding): ArtifactInput[] {
  const out = new ArtifactList();
  const service = asRecord(finding.Service);
  const resource = asRecord(finding.Resource);
  addActionArtifacts(asRecord(service?.Action), out);
  addResourceArtifacts(resource, out);
  if (resource) addWorkloadArtifacts(resource, out);
  if (service) {
    addRuntimeArtifacts(service, out);
    addMalwareArtifacts(service, out);
  }
  addSequenceArtifacts(finding, out);
  return out.items;
}

/**
 * Every variant under `Service.Action` (network connection, port probe, API call, DNS request,
 * Kubernetes API call, RDS login, and variants GuardDuty adds later) shares the same member names
 * for its endpoints, so each variant is read the same way instead of being listed one by one.
 */
function addActionArtifacts(action: Obj | undefined, out: ArtifactList): void {
  if (!action) return;
  for (const [name, member] of Object.entries(action)) {
    const variant = asRecord(member);
    if (!variant) continue;
    const base = `Service.Action.${name}`;
    addEndpoints(variant, base, out);
    for (const [i, detail] of indexed(variant.PortProbeDetails)) {
      const probe = asRecord(detail);
      if (probe) addEndpoints(probe, `${base}.PortProbeDetails[${i}]`, out);
    }
    for (const [i, ip] of indexed(variant.SourceIps)) out.add('IP Address', ip, `${base}.SourceIps[${i}]`);
    if (name === 'KubernetesApiCallAction') out.add('URI Path', variant.RequestUri, `${base}.RequestUri`);
    for (const [i, login] of indexed(variant.LoginAttributes)) {
      out.add('User Account', asRecord(login)?.User, `${base}.LoginAttributes[${i}].User`);
    }
    if (name === 'DnsRequestAction') out.add('DNS Name', variant.Domain, `${base}.Domain`);
    out.add('DNS Name', asRecord(variant.DomainDetails)?.Domain, `${base}.DomainDetails.Domain`);
  }
}

function addEndpoints(holder: Obj, base: string, out: ArtifactList): void {
  for (const side of ['Remote', 'Local'] as const) {
    const ip = asRecord(holder[`${side}IpDetails`]);
    out.add('IP Address', ip?.IpAddressV4, `${base}.${side}IpDetails.IpAddressV4`);
    out.add('IP Address', ip?.IpAddressV6, `${base}.${side}IpDetails.IpAddressV6`);
    out.add('Port', asRecord(holder[`${side}PortDetails`])?.Port, `${base}.${side}PortDetails.Port`);
  }
}

function addResourceArtifacts(resource: Obj | undefined, out: ArtifactList): void {
  if (!resource) return;
  const key = asRecord(resource.AccessKeyDetails);
  out.add('aws_iam_access_key_id', key?.AccessKeyId, 'Resource.AccessKeyDetails.AccessKeyId');
  out.add('aws_iam_user_name', key?.UserName, 'Resource.AccessKeyDetails.UserName');
  for (const [i, bucket] of indexed(resource.S3BucketDetails)) {
    out.add('aws_s3_bucket_name', asRecord(bucket)?.Name, `Resource.S3BucketDetails[${i}].Name`);
  }
  const instance = asRecord(resource.InstanceDetails);
  for (const [i, nic] of indexed(instance?.NetworkInterfaces)) {
    const iface = asRecord(nic);
    if (iface) addInterface(iface, `Resource.InstanceDetails.NetworkInterfaces[${i}]`, out);
  }
}

function addInterface(nic: Obj, base: string, out: ArtifactList): void {
  out.add('IP Address', nic.PublicIp, `${base}.PublicIp`);
  out.add('IP Address', nic.PrivateIpAddress, `${base}.PrivateIpAddress`);
  for (const [j, entry] of indexed(nic.PrivateIpAddresses)) {
    out.add('IP Address', asRecord(entry)?.PrivateIpAddress, `${base}.PrivateIpAddresses[${j}].PrivateIpAddress`);
  }
  for (const [j, ip] of indexed(nic.Ipv6Addresses)) out.add('IP Address', ip, `${base}.Ipv6Addresses[${j}]`);
  out.add('DNS Name', nic.PublicDnsName, `${base}.PublicDnsName`);
  out.add('DNS Name', nic.PrivateDnsName, `${base}.PrivateDnsName`);
  for (const [j, entry] of indexed(nic.PrivateIpAddresses)) {
    out.add('DNS Name', asRecord(entry)?.PrivateDnsName, `${base}.PrivateIpAddresses[${j}].PrivateDnsName`);
  }
}
