import { asRecord, indexed, runtimeProcesses, type Obj } from '../findings/finding-values.js';
import type { ArtifactList } from './artifact-list.js';

/**
 * Observables of the finding families beyond EC2, IAM and S3: the Kubernetes and database users, the
 * container images, and the processes, files and hashes that Runtime Monitoring and Malware
 * Protection report. Same rules as the rest: explicit paths, each description names its field.
 */

export function addWorkloadArtifacts(resource: Obj, out: ArtifactList): void {
  const k8s = asRecord(resource.KubernetesDetails);
  const user = asRecord(k8s?.KubernetesUserDetails);
  const userPath = 'Resource.KubernetesDetails.KubernetesUserDetails';
  out.add('User Account', user?.Username, `${userPath}.Username`);
  out.add('User Account', asRecord(user?.ImpersonatedUser)?.Username, `${userPath}.ImpersonatedUser.Username`);
  out.add('User Account', asRecord(resource.RdsDbUserDetails)?.User, 'Resource.RdsDbUserDetails.User');
  const task = asRecord(asRecord(resource.EcsClusterDetails)?.TaskDetails);
  addImages(task?.Containers, 'Resource.EcsClusterDetails.TaskDetails.Containers', out);
  addImages(asRecord(k8s?.KubernetesWorkloadDetails)?.Containers, 'Resource.KubernetesDetails.KubernetesWorkloadDetails.Containers', out);
  out.add('aws_container_image', asRecord(resource.ContainerDetails)?.Image, 'Resource.ContainerDetails.Image');
}

function addImages(containers: unknown, base: string, out: ArtifactList): void {
  for (const [i, container] of indexed(containers)) out.add('aws_container_image', asRecord(container)?.Image, `${base}[${i}].Image`);
}

/**
 * The process Runtime Monitoring saw, and the process that modified or was targeted by it: name,
 * executable and its hash. Ancestors (lineage) stay in the data table: `sh` and `containerd-shim`
 * are context, not observables. The files the context names are paths a responder looks for.
 */
export function addRuntimeArtifacts(service: Obj, out: ArtifactList): void {
  for (const { path, process } of runtimeProcesses(service)) {
    out.add('Process Name', process.Name, `${path}.Name`);
    out.add('File Path', process.ExecutablePath, `${path}.ExecutablePath`);
    out.addHash(process.ExecutableSha256, `${path}.ExecutableSha256`);
  }
  const context = asRecord(asRecord(service.RuntimeDetails)?.Context);
  for (const member of ['ThreatFilePath', 'FilePath', 'ScriptPath', 'LibraryPath', 'ModuleFilePath'] as const) {
    out.add('File Path', context?.[member], `Service.RuntimeDetails.Context.${member}`);
  }
}

/** Infected files of both kinds of malware scan: path, name and hash of each. */
export function addMalwareArtifacts(service: Obj, out: ArtifactList): void {
  const names = asRecord(asRecord(asRecord(service.EbsVolumeScanDetails)?.ScanDetections)?.ThreatDetectedByName)?.ThreatNames;
  for (const [i, threat] of indexed(names)) {
    for (const [j, file] of indexed(asRecord(threat)?.FilePaths)) {
      const entry = asRecord(file);
      const base = `Service.EbsVolumeScanDetails.ScanDetections.ThreatDetectedByName.ThreatNames[${i}].FilePaths[${j}]`;
      out.addHash(entry?.Hash, `${base}.Hash`);
      out.add('File Path', entry?.FilePath, `${base}.FilePath`);
      out.add('File Name', entry?.FileName, `${base}.FileName`);
    }
  }
  for (const [i, item] of indexed(asRecord(service.MalwareScanDetails)?.Threats)) {
    const threat = asRecord(item);
    const base = `Service.MalwareScanDetails.Threats[${i}]`;
    out.addHash(threat?.Hash, `${base}.Hash`);
    for (const [j, detail] of indexed(threat?.ItemDetails)) {
      out.addHash(asRecord(detail)?.Hash, `${base}.ItemDetails[${j}].Hash`);
      out.add('File Path', asRecord(detail)?.ItemPath, `${base}.ItemDetails[${j}].ItemPath`);
    }
    for (const [j, path] of indexed(threat?.ItemPaths)) {
      out.addHash(asRecord(path)?.Hash, `${base}.ItemPaths[${j}].Hash`);
      out.add('File Path', asRecord(path)?.NestedItemPath, `${base}.ItemPaths[${j}].NestedItemPath`);
    }
  }
}
