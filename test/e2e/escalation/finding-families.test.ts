import { afterEach, describe, expect, it } from 'vitest';
import type { WireFinding } from '../../../emulators/aws/index.js';
import { DEFAULT_API_KEY, type AdminIncident } from '../../../emulators/soar/index.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

/**
 * Issue 7, end to end: every finding family GuardDuty reports becomes an incident whose data tables
 * and artifacts say what a responder needs (IBM's app showed only EC2, IAM and S3), and every
 * incident names the member account it came from.
 */

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const FAMILY_TABLES = [
  'gd_kubernetes_details', 'gd_container_details', 'gd_rds_details', 'gd_lambda_details', 'gd_malware_details',
  'gd_ebs_volume_details', 'gd_runtime_process_details',
];

const TYPES = {
  eks: 'Execution:Kubernetes/ExecInKubeSystemPod',
  ecs: 'CryptoCurrency:Runtime/BitcoinTool.B',
  container: 'UnauthorizedAccess:Runtime/TorClient',
  rdsLogin: 'CredentialAccess:RDS/AnomalousBehavior.SuccessfulLogin',
  rdsBruteForce: 'CredentialAccess:RDS/AnomalousBehavior.SuccessfulBruteForce',
  lambda: 'Backdoor:Lambda/C&CActivity.B',
  ebsMalware: 'Execution:EC2/MaliciousFile',
  snapshotMalware: 'Execution:EC2/MaliciousFile!Snapshot',
  portProbe: 'Recon:EC2/PortProbeUnprotectedPort',
} as const;

type Wire = Record<string, any>;
type Cells = Record<string, unknown>;

/** One finding of each family, escalated by one cycle; by family key: the finding as GuardDuty holds it and its incident. */
async function escalateOneOfEach(): Promise<Record<keyof typeof TYPES, { f: Wire; incident: AdminIncident }>> {
  const types = Object.values(TYPES);
  const findings = h.aws.generateFindings({ count: types.length, types, updatedAt: Date.now() });
  expect((await h.once()).code).toBe(0);
  const byType = new Map(findings.map((f: WireFinding) => [f.type, f]));
  const out = {} as Record<keyof typeof TYPES, { f: Wire; incident: AdminIncident }>;
  for (const [key, type] of Object.entries(TYPES) as [keyof typeof TYPES, string][]) {
    const f = byType.get(type) as Wire | undefined;
    const incident = f ? h.incidentFor(String(f.id)) : undefined;
    if (!f || !incident) throw new Error(`no incident for ${type}`);
    out[key] = { f, incident };
  }
  return out;
}

const rows = (incident: AdminIncident, table: string): Cells[] => (incident.tables[table] ?? []).map((r) => r.cells);
const artifactValues = (incident: AdminIncident, type: string): string[] => incident.artifacts.filter((a) => a.type === type).map((a) => a.value);
/** Timestamp members travel as epoch seconds and reach SOAR as the SDK's Date, in ISO form. */
const iso = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString();

/** The incident's description as SOAR returns it to an API reader, in plain text. */
async function descriptionOf(incidentId: number): Promise<string> {
  const auth = Buffer.from(`${DEFAULT_API_KEY.id}:${DEFAULT_API_KEY.secret}`).toString('base64');
  const url = `${h.soar.url}/rest/orgs/${h.soar.orgId}/incidents/${incidentId}?text_content_output_format=always_text`;
  const response = await fetch(url, { headers: { authorization: `Basic ${auth}` } });
  expect(response.status).toBe(200);
  return String(((await response.json()) as { description: unknown }).description);
}

describe('every finding family: data tables and artifacts', () => {
  it('setup creates the family tables and the container image artifact type', async () => {
    h = await startHarness({ findings: 0 });
    const summary = h.soar.summary();
    for (const table of FAMILY_TABLES) expect(summary.dataTables).toContain(table);
    expect(summary.customArtifactTypes).toContain('aws_container_image');
    // A second setup finds nothing left to do.
    expect((await h.setup()).stdout).not.toMatch(/created/);
  });

  it('EKS, ECS and container runtime: the Kubernetes call, one row per container, the process lineage', async () => {
    h = await startHarness({ findings: 0 });
    const all = await escalateOneOfEach();

    const eks = all.eks;
    const cluster = eks.f.resource.eksClusterDetails;
    const user = eks.f.resource.kubernetesDetails.kubernetesUserDetails;
    const workload = eks.f.resource.kubernetesDetails.kubernetesWorkloadDetails;
    const call = eks.f.service.action.kubernetesApiCallAction;
    expect(rows(eks.incident, 'gd_kubernetes_details')).toEqual([expect.objectContaining({
      cluster_name: cluster.name, cluster_arn: cluster.arn, namespace: 'kube-system', workload_name: workload.name, workload_type: 'pods',
      service_account: workload.serviceAccountName, kubernetes_user: user.username, kubernetes_groups: user.groups.join(', '),
      api_verb: call.verb, api_resource: 'pods/exec', request_uri: call.requestUri, status_code: String(call.statusCode),
      source_ips: call.sourceIPs.join(', '), api_parameters: call.parameters,
    })]);
    expect(rows(eks.incident, 'gd_container_details')).toEqual([expect.objectContaining({
      found_in: 'Kubernetes workload', cluster_name: cluster.name, container_name: workload.containers[0].name, image: workload.containers[0].image, privileged: 'True',
    })]);
    expect(artifactValues(eks.incident, 'User Account')).toEqual([user.username]);
    expect(artifactValues(eks.incident, 'URI Path')).toEqual([call.requestUri]);
    expect(artifactValues(eks.incident, 'IP Address')).toContain(call.sourceIPs[0]);
    expect(artifactValues(eks.incident, 'aws_container_image')).toEqual([workload.containers[0].image]);

    const ecs = all.ecs;
    const task = ecs.f.resource.ecsClusterDetails.taskDetails;
    const process = ecs.f.service.runtimeDetails.process;
    expect(rows(ecs.incident, 'gd_container_details')).toEqual((task.containers as Wire[]).map((c): unknown => expect.objectContaining({
      found_in: 'ECS task', cluster_name: ecs.f.resource.ecsClusterDetails.name, task_arn: task.arn, task_definition_arn: task.definitionArn,
      launch_type: 'FARGATE', task_started_at: iso(task.startedAt), container_name: c.name, image: c.image,
    })));
    expect(task.containers).toHaveLength(2);
    expect(rows(ecs.incident, 'gd_runtime_process_details').map((r) => [r.depth, r.name, r.executable_path])).toEqual([
      ['0', process.name, process.executablePath],
      ...(process.lineage as Wire[]).map((p, i): unknown[] => [String(i + 1), p.name, p.executablePath]),
    ]);
    expect(rows(ecs.incident, 'gd_runtime_process_details')[0]).toMatchObject({
      process_role: 'Process', executable_sha256: process.executableSha256, pid: String(process.pid), user: 'root', start_time: iso(process.startTime),
    });
    expect(artifactValues(ecs.incident, 'Process Name')).toEqual([process.name]);
    expect(artifactValues(ecs.incident, 'File Path')).toEqual([process.executablePath]);
    expect(artifactValues(ecs.incident, 'Malware SHA-256 Hash')).toEqual([process.executableSha256]);
    expect(artifactValues(ecs.incident, 'aws_container_image')).toEqual((task.containers as Wire[]).map((c): unknown => c.image));

    const container = all.container;
    expect(rows(container.incident, 'gd_container_details')).toEqual([expect.objectContaining({
      found_in: 'Container', container_name: 'worker', image: container.f.resource.containerDetails.image,
    })]);
    expect(rows(container.incident, 'gd_runtime_process_details')[0]).toMatchObject({ depth: '0', name: 'tor', executable_path: '/usr/bin/tor' });
  });

  it('RDS, Lambda and malware: a row per login user, the function, a row per threat file and per volume, the hashes', async () => {
    h = await startHarness({ findings: 0 });
    const all = await escalateOneOfEach();

    for (const key of ['rdsLogin', 'rdsBruteForce'] as const) {
      const { f, incident } = all[key];
      const logins: Wire[] = f.service.action.rdsLoginAttemptAction.LoginAttributes;
      const db = f.resource.rdsDbInstanceDetails;
      expect(rows(incident, 'gd_rds_details')).toEqual(logins.map((l): unknown => expect.objectContaining({
        db_instance_id: db.dbInstanceIdentifier, engine: db.engine, database: f.resource.rdsDbUserDetails.database,
        db_user: f.resource.rdsDbUserDetails.user, login_user: l.user, failed_login_attempts: String(l.failedLoginAttempts),
        successful_login_attempts: String(l.successfulLoginAttempts),
      })));
      for (const l of logins) expect(artifactValues(incident, 'User Account')).toContain(l.user);
      expect(artifactValues(incident, 'IP Address')).toContain(f.service.action.rdsLoginAttemptAction.remoteIpDetails.ipAddressV4);
    }
    expect(rows(all.rdsBruteForce.incident, 'gd_rds_details')).toHaveLength(2);

    const lambda = all.lambda.f.resource.lambdaDetails;
    expect(rows(all.lambda.incident, 'gd_lambda_details')).toEqual([expect.objectContaining({
      function_name: lambda.functionName, function_arn: lambda.functionArn, function_version: '$LATEST', role: lambda.role,
      last_modified_at: iso(lambda.lastModifiedAt), vpc_id: lambda.vpcConfig.vpcId,
    })]);

    const ebs = all.ebsMalware;
    const threats: Wire[] = ebs.f.service.ebsVolumeScanDetails.scanDetections.threatDetectedByName.threatNames;
    const files = threats.flatMap((t) => (t.filePaths as Wire[]).map((p) => ({ t, p })));
    expect(rows(ebs.incident, 'gd_malware_details')).toEqual(files.map(({ t, p }): unknown => expect.objectContaining({
      threat_name: t.name, threat_severity: t.severity, file_path: p.filePath, file_name: p.fileName, file_hash: p.hash,
      resource_arn: p.volumeArn, scan_id: ebs.f.service.ebsVolumeScanDetails.scanId,
    })));
    expect(rows(ebs.incident, 'gd_ebs_volume_details')).toEqual([expect.objectContaining({
      scan_result: 'Scanned', volume_arn: ebs.f.resource.ebsVolumeDetails.scannedVolumeDetails[0].volumeArn,
      scan_started_at: iso(ebs.f.service.ebsVolumeScanDetails.scanStartedAt),
    })]);
    expect(artifactValues(ebs.incident, 'Malware SHA-256 Hash')).toEqual(files.map(({ p }): unknown => p.hash));
    expect(artifactValues(ebs.incident, 'File Path')).toEqual(files.map(({ p }): unknown => p.filePath));
    expect(artifactValues(ebs.incident, 'File Name')).toEqual(files.map(({ p }): unknown => p.fileName));
    // The instance whose volumes were scanned keeps its own rows and artifacts.
    expect(rows(ebs.incident, 'gd_instance_details')).toHaveLength(1);
    // No action, but the action-details row IBM's app wrote: when the activity was first and last seen.
    expect(ebs.f.service.action).toBeUndefined();
    expect(typeof ebs.f.service.eventFirstSeen).toBe('string');
    expect(rows(ebs.incident, 'gd_action_details')).toEqual([expect.objectContaining({
      event_first_seen: ebs.f.service.eventFirstSeen, event_last_seen: ebs.f.service.eventLastSeen,
    })]);

    const snapshot = all.snapshotMalware;
    const items = (snapshot.f.service.malwareScanDetails.threats as Wire[]).flatMap((t) => (t.itemDetails as Wire[]).map((i) => ({ t, i })));
    expect(rows(snapshot.incident, 'gd_malware_details')).toEqual(items.map(({ t, i }): unknown => expect.objectContaining({
      threat_name: t.name, threat_source: t.source, file_path: i.itemPath, file_hash: i.hash, resource_arn: i.resourceArn,
      device_name: i.additionalInfo.deviceName, scan_type: 'BACKUP_INITIATED',
    })));
    expect(artifactValues(snapshot.incident, 'Malware SHA-256 Hash')).toEqual(items.map(({ i }): unknown => i.hash));

    // An EC2 finding of the older families gets none of the new tables.
    for (const table of FAMILY_TABLES) expect(all.portProbe.incident.tables[table], table).toBeUndefined();
    // Every artifact of every family says where it came from, and none is there twice.
    for (const { incident } of Object.values(all)) {
      const pairs = incident.artifacts.map((a) => `${a.type}|${a.value}`);
      expect(new Set(pairs).size).toBe(pairs.length);
      for (const a of incident.artifacts) expect(a.description).toMatch(/^GuardDuty finding field (Service|Resource)\./);
    }
  });
});

describe('every finding family: the first note tells the story', () => {
  it('who acted, from where, on what and when, then the whole finding as JSON; every family', async () => {
    h = await startHarness({ findings: 0 });
    const all = await escalateOneOfEach();
    const story = (key: keyof typeof TYPES): string => {
      const note = all[key].incident.notes[0];
      expect(note?.format, key).toBe('html');
      return note?.text ?? '';
    };
    const eks = all.eks.f;
    expect(story('eks')).toContain(`Who: Kubernetes user ${eks.resource.kubernetesDetails.kubernetesUserDetails.username}`);
    expect(story('eks')).toContain(`Affected: EKS cluster ${eks.resource.eksClusterDetails.name}`);
    expect(story('eks')).toContain(`From where: ${eks.service.action.kubernetesApiCallAction.remoteIpDetails.ipAddressV4}`);
    expect(story('ecs')).toContain(`Who: process ${all.ecs.f.service.runtimeDetails.process.name}`);
    expect(story('ecs')).toContain(`Affected: ECS cluster ${all.ecs.f.resource.ecsClusterDetails.name}`);
    expect(story('ecs')).toContain(`Contacted: ${all.ecs.f.service.action.networkConnectionAction.remoteIpDetails.ipAddressV4}:3333`);
    expect(story('container')).toContain('Who: process tor (/usr/bin/tor)');
    expect(story('rdsLogin')).toContain(`Who: database user ${all.rdsLogin.f.resource.rdsDbUserDetails.user}`);
    expect(story('rdsLogin')).toContain(`Affected: RDS database ${all.rdsLogin.f.resource.rdsDbInstanceDetails.dbInstanceIdentifier}`);
    expect(story('lambda')).toContain(`Affected: Lambda function ${all.lambda.f.resource.lambdaDetails.functionName}`);
    expect(story('ebsMalware')).toContain(`Affected: EC2 instance ${all.ebsMalware.f.resource.instanceDetails.instanceId}`);
    expect(story('portProbe')).toContain(`From where: ${all.portProbe.f.service.action.portProbeAction.portProbeDetails[0].remoteIpDetails.ipAddressV4}`);
    for (const key of Object.keys(TYPES) as (keyof typeof TYPES)[]) {
      const { f } = all[key];
      expect(story(key).startsWith(`${f.title}\n`), key).toBe(true);
      expect(story(key), key).toContain(`When: first seen ${f.service.eventFirstSeen.replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC')}`);
      expect(story(key), key).toContain(`\n  "Type": ${JSON.stringify(f.type)},\n`);
    }
  });
});

describe('many accounts: the member account is on every incident', () => {
  const ADMIN = '111111111111';
  const MEMBERS = ['222222222222', '333333333333'];

  it('in the account custom field and in the first line of the description', async () => {
    h = await startHarness({
      findings: 0,
      aws: {
        accounts: [
          { accountId: ADMIN, accessKeys: ['AKIAADMIN00000000001'], regions: ['us-east-1', 'eu-west-1'] },
          ...MEMBERS.map((accountId) => ({ accountId, regions: ['us-east-1', 'eu-west-1'], administrator: ADMIN })),
        ],
      },
      config: { aws_gd_access_key_id: 'AKIAADMIN00000000001', aws_gd_regions: '^(us-east-1|eu-west-1)$' },
    });
    const findings = MEMBERS.flatMap((account) => h.aws.generateFindings({ account, count: 2, types: [TYPES.eks, TYPES.lambda], updatedAt: Date.now() }));
    expect((await h.once()).code).toBe(0);
    for (const f of findings) {
      const incident = h.incidentFor(f.id);
      expect(incident, f.id).toBeDefined();
      if (!incident) continue;
      expect(incident.properties.aws_guardduty_account_id).toBe(f.accountId);
      const description = await descriptionOf(incident.id);
      expect(description.split('\n')[0]).toBe(`AWS account ${f.accountId}, ${f.region}.`);
      expect(description).toContain(f.description);
    }
    expect(new Set(findings.map((f) => f.accountId))).toEqual(new Set(MEMBERS));
  });
});
