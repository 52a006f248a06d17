import { asRecord, asRecords, firstText, joinTexts, type Obj } from '../findings/finding-values.js';
import type { Finding } from '../findings/finding.js';
import { hasContent, type RawCells } from './row-cells.js';

/**
 * Rows of `gd_container_details`: one per container, wherever GuardDuty lists it (an ECS task, a
 * Kubernetes workload, or the container that is the resource itself), each with what runs it. An
 * ECS cluster without any container listed still gets one row for its task.
 */
export function containerRows(finding: Finding): RawCells[] {
  const resource = asRecord(finding.Resource);
  if (!resource) return [];
  return [...ecsRows(asRecord(resource.EcsClusterDetails)), ...kubernetesContainerRows(resource), ...standaloneRows(resource)]
    .filter((row) => hasContent(row, ['found_in']));
}

function ecsRows(cluster: Obj | undefined): RawCells[] {
  if (!cluster) return [];
  const task = asRecord(cluster.TaskDetails);
  const base: RawCells = {
    found_in: task ? 'ECS task' : 'ECS cluster',
    cluster_name: cluster.Name,
    task_arn: task?.Arn,
    task_definition_arn: task?.DefinitionArn,
    launch_type: task?.LaunchType,
    task_started_at: firstText(task?.StartedAt, task?.TaskCreatedAt),
    task_started_by: task?.StartedBy,
  };
  const containers = asRecords(task?.Containers);
  return containers.length > 0 ? containers.map((c) => ({ ...base, ...containerCells(c) })) : [base];
}

function kubernetesContainerRows(resource: Obj): RawCells[] {
  const workload = asRecord(asRecord(resource.KubernetesDetails)?.KubernetesWorkloadDetails);
  const base: RawCells = {
    found_in: 'Kubernetes workload',
    cluster_name: asRecord(resource.EksClusterDetails)?.Name,
    workload_name: workload?.Name,
  };
  return asRecords(workload?.Containers).map((c) => ({ ...base, ...containerCells(c) }));
}

function standaloneRows(resource: Obj): RawCells[] {
  const container = asRecord(resource.ContainerDetails);
  return container ? [{ found_in: 'Container', ...containerCells(container) }] : [];
}

function containerCells(container: Obj): RawCells {
  const security = asRecord(container.SecurityContext);
  const mounts = asRecords(container.VolumeMounts)
    .map((m) => joinTexts(':', m.Name, m.MountPath))
    .filter((m): m is string => m !== undefined);
  return {
    container_name: container.Name,
    container_id: container.Id,
    container_runtime: container.ContainerRuntime,
    image: container.Image,
    image_prefix: container.ImagePrefix,
    privileged: security?.Privileged,
    allow_privilege_escalation: security?.AllowPrivilegeEscalation,
    volume_mounts: mounts.length > 0 ? mounts.join(', ') : undefined,
  };
}
