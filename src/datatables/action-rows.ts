import { asRecord, asRecords, firstText, joinTexts, type Obj } from '../findings/finding-values.js';
import type { Finding } from '../findings/finding.js';
import type { RawCells } from './row-cells.js';

/**
 * Rows of `gd_action_details`: one per finding (first and last seen only, without an action), or one
 * per probe for port probes (IBM showed only the first probe's geo data and lost every probe's IPs
 * and ports). Values come
 * from whichever action variant GuardDuty sent; the endpoint columns (IPs, ports, geo) from the
 * variant that holds `RemoteIpDetails`/`LocalIpDetails`, which covers network connections, API
 * calls, Kubernetes API calls and RDS login attempts alike.
 */
export function actionRows(finding: Finding): RawCells[] {
  const service = asRecord(finding.Service);
  const action = asRecord(service?.Action);
  // Malware scans and attack sequences have no action, but when the activity was first and last seen
  // still belongs here (IBM's app searched all of Service for them and wrote the row).
  if (!action) return [{ event_first_seen: service?.EventFirstSeen, event_last_seen: service?.EventLastSeen }];
  const common = commonCells(action, service ?? {});
  const probes = asRecords(asRecord(action.PortProbeAction)?.PortProbeDetails);
  if (probes.length > 0) return probes.map((probe) => ({ ...common, ...endpointCells(probe) }));
  const variants = Object.values(action).map(asRecord).filter((v): v is Obj => v !== undefined);
  const holder = variants.find(hasEndpoint) ?? {};
  const sourceIps = variants.flatMap((v): unknown[] => (Array.isArray(v.SourceIps) ? v.SourceIps : []))
    .filter((ip): ip is string => typeof ip === 'string' && ip.trim() !== '');
  const endpoint = endpointCells(holder);
  // Kubernetes audit events may carry only the client addresses, without geo details.
  endpoint.remote_ip ??= sourceIps.length > 0 ? sourceIps.join(', ') : undefined;
  return [{ ...common, ...endpoint }];
}

function hasEndpoint(variant: Obj): boolean {
  return ['RemoteIpDetails', 'LocalIpDetails', 'RemotePortDetails', 'LocalPortDetails'].some((k) => asRecord(variant[k]));
}

function commonCells(action: Obj, service: Obj): RawCells {
  const api = asRecord(action.AwsApiCallAction);
  const net = asRecord(action.NetworkConnectionAction);
  const dns = asRecord(action.DnsRequestAction);
  const k8s = asRecord(action.KubernetesApiCallAction);
  return {
    action_type: action.ActionType,
    action_api: firstText(api?.Api, kubernetesRequest(k8s)),
    connection_direction: net?.ConnectionDirection,
    service_name: api?.ServiceName,
    event_first_seen: service.EventFirstSeen,
    event_last_seen: service.EventLastSeen,
    actor_caller_type: api?.CallerType,
    protocol: firstText(net?.Protocol, dns?.Protocol),
    dns_domain_name: firstText(dns?.Domain, asRecord(api?.DomainDetails)?.Domain),
    dns_blocked: dns?.Blocked,
  };
}

/** `get /api/v1/namespaces/default/secrets`: the verb and URI say what the Kubernetes call did. */
function kubernetesRequest(k8s: Obj | undefined): string | undefined {
  return k8s ? joinTexts(' ', k8s.Verb, k8s.RequestUri) : undefined;
}

function endpointCells(holder: Obj): RawCells {
  const remote = asRecord(holder.RemoteIpDetails);
  const local = asRecord(holder.LocalIpDetails);
  const org = asRecord(remote?.Organization);
  return {
    remote_ip: firstText(remote?.IpAddressV4, remote?.IpAddressV6),
    local_ip: firstText(local?.IpAddressV4, local?.IpAddressV6),
    local_port: asRecord(holder.LocalPortDetails)?.Port,
    remote_port: asRecord(holder.RemotePortDetails)?.Port,
    asn_org: org?.AsnOrg,
    city_name: asRecord(remote?.City)?.CityName,
    country_name: asRecord(remote?.Country)?.CountryName,
    asn: org?.Asn,
    isp: org?.Isp,
    org: org?.Org,
  };
}
