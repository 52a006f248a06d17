import { asRecord, firstText, joinTexts, textList } from '../findings/finding-values.js';
import type { Finding } from '../findings/finding.js';
import type { RawCells } from './row-cells.js';

/**
 * The row of `gd_kubernetes_details`: who did what to which workload in which cluster. One row,
 * when the finding names a cluster, a Kubernetes user or workload, or a Kubernetes API call. The
 * containers of the workload are rows of `gd_container_details`.
 */
export function kubernetesRows(finding: Finding): RawCells[] {
  const resource = asRecord(finding.Resource);
  const cluster = asRecord(resource?.EksClusterDetails);
  const details = asRecord(resource?.KubernetesDetails);
  const user = asRecord(details?.KubernetesUserDetails);
  const workload = asRecord(details?.KubernetesWorkloadDetails);
  const call = asRecord(asRecord(asRecord(finding.Service)?.Action)?.KubernetesApiCallAction);
  if (!cluster && !user && !workload && !call) return [];
  return [{
    cluster_name: cluster?.Name,
    cluster_arn: cluster?.Arn,
    cluster_status: cluster?.Status,
    cluster_vpc_id: cluster?.VpcId,
    namespace: firstText(workload?.Namespace, call?.Namespace),
    workload_name: workload?.Name,
    workload_type: workload?.Type,
    service_account: workload?.ServiceAccountName,
    host_network: workload?.HostNetwork,
    host_pid: workload?.HostPID,
    host_ipc: workload?.HostIPC,
    kubernetes_user: user?.Username,
    kubernetes_groups: textList(user?.Groups),
    session_names: textList(user?.SessionName),
    impersonated_user: asRecord(user?.ImpersonatedUser)?.Username,
    api_verb: call?.Verb,
    api_resource: apiResource(call?.Resource, call?.Subresource),
    api_resource_name: call?.ResourceName,
    request_uri: call?.RequestUri,
    status_code: call?.StatusCode,
    user_agent: call?.UserAgent,
    source_ips: textList(call?.SourceIps),
    api_parameters: call?.Parameters,
  }];
}

/** `pods/exec`: Kubernetes names a subresource after its resource. */
function apiResource(resource: unknown, subresource: unknown): string | undefined {
  return joinTexts('/', resource, subresource);
}
