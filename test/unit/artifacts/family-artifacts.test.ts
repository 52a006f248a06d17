import { describe, expect, it } from 'vitest';
import { extractArtifacts } from '../../../src/artifacts/extract-artifacts.js';
import type { Finding } from '../../../src/findings/finding.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

const pairs = (finding: Finding): [string, string][] => extractArtifacts(finding).map((a) => [a.type, a.value]);
const source = (finding: Finding, type: string, value: string): string | undefined =>
  extractArtifacts(finding).find((a) => a.type === type && a.value === value)?.description;

describe('artifacts of the finding families', () => {
  it('EKS exec: caller IPs, the request URI, the Kubernetes and impersonated users, the pod’s image', () => {
    const finding = loadFinding('eks-exec-in-kube-system');
    expect(pairs(finding)).toEqual([
      ['IP Address', '203.0.113.80'],
      ['IP Address', '198.51.100.81'],
      ['URI Path', '/api/v1/namespaces/kube-system/pods/aws-node-x7k2p/exec?command=sh'],
      ['User Account', 'kubernetes-admin'],
      ['User Account', 'system:node:ip-10-0-3-7'],
      ['aws_container_image', '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.18.0'],
    ]);
    expect(source(finding, 'User Account', 'system:node:ip-10-0-3-7')).toBe(
      'GuardDuty finding field Resource.KubernetesDetails.KubernetesUserDetails.ImpersonatedUser.Username',
    );
    expect(source(finding, 'IP Address', '198.51.100.81')).toBe('GuardDuty finding field Service.Action.KubernetesApiCallAction.SourceIps[1]');
  });

  it('ECS runtime: both images, the process name, executable and its SHA-256 (lower-cased)', () => {
    const finding = loadFinding('ecs-runtime-two-containers');
    expect(pairs(finding)).toEqual([
      ['IP Address', '198.51.100.33'],
      ['Port', '3333'],
      ['IP Address', '10.0.7.21'],
      ['Port', '41822'],
      ['aws_container_image', 'public.ecr.aws/example/payments-api:1.4.2'],
      ['aws_container_image', 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0'],
      ['Process Name', 'xmrig'],
      ['File Path', '/tmp/.x/xmrig'],
      ['Malware SHA-256 Hash', '5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592'],
    ]);
    expect(source(finding, 'aws_container_image', 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0')).toBe(
      'GuardDuty finding field Resource.EcsClusterDetails.TaskDetails.Containers[1].Image',
    );
  });

  it('RDS brute force: the remote IP and each user tried, once each', () => {
    const finding = loadFinding('rds-brute-force-two-users');
    expect(pairs(finding)).toEqual([
      ['IP Address', '198.51.100.201'],
      ['User Account', 'app_admin'],
      ['User Account', 'postgres'],
    ]);
    // The session's user is also a login attribute: the first source (the action) is kept.
    expect(source(finding, 'User Account', 'app_admin')).toBe('GuardDuty finding field Service.Action.RdsLoginAttemptAction.LoginAttributes[0].User');
  });

  it('Lambda C&C: the endpoints only (the function is in its table)', () => {
    expect(pairs(loadFinding('lambda-c2'))).toEqual([['IP Address', '203.0.113.66'], ['Port', '443'], ['Port', '50211']]);
  });

  it('EBS malware: each file’s hash, path and name; a hash seen twice (any case) is one artifact', () => {
    const finding = loadFinding('ebs-malware-two-threats');
    const base = 'Service.EbsVolumeScanDetails.ScanDetections.ThreatDetectedByName.ThreatNames';
    expect(pairs(finding)).toEqual([
      ['IP Address', '10.0.9.9'],
      ['DNS Name', 'ip-10-0-9-9.ec2.internal'],
      ['Malware SHA-256 Hash', '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f'],
      ['File Path', '/tmp/eicar.com'],
      ['File Name', 'eicar.com'],
      ['Malware SHA-256 Hash', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
      ['File Path', '/var/tmp/.cache/kworkerd'],
      ['File Name', 'kworkerd'],
      ['File Path', '/usr/local/bin/kworkerd'],
    ]);
    expect(source(finding, 'File Path', '/usr/local/bin/kworkerd')).toBe(`GuardDuty finding field ${base}[1].FilePaths[1].FilePath`);
  });

  it('snapshot malware: MD5, SHA-1 and SHA-256 by length, every item path', () => {
    const finding = loadFinding('snapshot-malware-item-details');
    expect(pairs(finding)).toEqual([
      ['Malware SHA-1 Hash', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
      ['Malware SHA-1 Hash', '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
      ['File Path', 'C:\\Users\\Public\\dropper.exe'],
      ['File Path', '/opt/app/plugins/evil.jar'],
      ['Malware MD5 Hash', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['File Path', '/home/u/archive.zip/payload.bin'],
    ]);
    expect(source(finding, 'File Path', '/home/u/archive.zip/payload.bin')).toBe(
      'GuardDuty finding field Service.MalwareScanDetails.Threats[1].ItemPaths[0].NestedItemPath',
    );
  });

  it('runtime process with lineage: the process and the target process, never the ancestors; the threat file', () => {
    const finding = loadFinding('runtime-process-lineage');
    expect(pairs(finding)).toEqual([
      ['aws_container_image', 'docker.io/library/alpine:3.19'],
      ['Process Name', 'inject'],
      ['File Path', '/dev/shm/inject'],
      ['Malware SHA-256 Hash', 'd7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592'],
      ['Process Name', 'sshd'],
      ['File Path', '/usr/sbin/sshd'],
      ['Malware SHA-256 Hash', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
      ['File Path', '/dev/shm/.inject.so'],
    ]);
    expect(source(finding, 'Process Name', 'sshd')).toBe('GuardDuty finding field Service.RuntimeDetails.Context.TargetProcess.Name');
  });

  it('every description names a field path, as plain text', () => {
    for (const scenario of ['eks-exec-in-kube-system', 'ecs-runtime-two-containers', 'rds-brute-force-two-users', 'lambda-c2',
      'ebs-malware-two-threats', 'runtime-process-lineage', 'snapshot-malware-item-details']) {
      for (const artifact of extractArtifacts(loadFinding(scenario))) {
        expect(artifact.description).toMatch(/^GuardDuty finding field (Service|Resource)\.[A-Za-z0-9.[\]]+$/);
      }
    }
  });

  it('a value that is not a digest is no hash artifact; ill-typed members are skipped', () => {
    const finding = {
      ...loadFinding('no-title-no-severity'),
      Resource: { KubernetesDetails: { KubernetesUserDetails: { Username: ['x'] } }, ContainerDetails: { Image: 7 } },
      Service: {
        RuntimeDetails: { Process: { Name: '  ', ExecutableSha256: 'not-a-hash' }, Context: 'x' },
        MalwareScanDetails: { Threats: [{ Hash: 'abc', ItemDetails: 'x', ItemPaths: [null] }] },
      },
    } as unknown as Finding;
    expect(extractArtifacts(finding)).toEqual([]);
  });
});
