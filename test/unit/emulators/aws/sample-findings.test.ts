import { describe, expect, it } from 'vitest';
import { SAMPLE_FINDING_TYPES, generateSampleFindings } from '../../../../emulators/aws/index.js';

const NOW = Date.parse('2025-06-01T12:00:00.000Z');

describe('sample findings generator', () => {
  it('is deterministic for a seed and different for another', () => {
    const a = generateSampleFindings({ seed: 42, now: NOW, count: 30 });
    expect(generateSampleFindings({ seed: 42, now: NOW, count: 30 })).toEqual(a);
    expect(generateSampleFindings({ seed: 43, now: NOW, count: 30 })[0].id).not.toBe(a[0].id);
  });

  it('covers the resource types, actions and severity bands GuardDuty produces', () => {
    const findings = generateSampleFindings({ seed: 1, now: NOW });
    expect(findings).toHaveLength(SAMPLE_FINDING_TYPES.length);
    expect(SAMPLE_FINDING_TYPES.length).toBeGreaterThanOrEqual(14);
    const resourceTypes = new Set(findings.map((f) => f.resource.resourceType));
    for (const t of ['Instance', 'AccessKey', 'S3Bucket', 'EKSCluster', 'ECSCluster', 'Container', 'RDSDBInstance', 'Lambda']) expect(resourceTypes).toContain(t);
    const actions = new Set(findings.map((f) => f.service.action?.actionType));
    for (const a of ['AWS_API_CALL', 'NETWORK_CONNECTION', 'DNS_REQUEST', 'PORT_PROBE', 'KUBERNETES_API_CALL', 'RDS_LOGIN_ATTEMPT']) expect(actions).toContain(a);
    const bands = new Set(findings.map((f) => (f.severity >= 9 ? 'Critical' : f.severity >= 7 ? 'High' : f.severity >= 4 ? 'Medium' : 'Low')));
    expect([...bands].sort()).toEqual(['Critical', 'High', 'Low', 'Medium']);
    const byType = new Map(findings.map((f) => [f.type, f]));
    expect((byType.get('Exfiltration:S3/MaliciousIPCaller')!.resource.s3BucketDetails as unknown[]).length).toBe(2);
    const probe = byType.get('Recon:EC2/PortProbeUnprotectedPort')!.service.action as { portProbeAction: { portProbeDetails: unknown[] } };
    expect(probe.portProbeAction.portProbeDetails).toHaveLength(2);
    const malware = byType.get('Execution:EC2/MaliciousFile')!;
    expect(JSON.stringify(malware.service.ebsVolumeScanDetails)).toMatch(/"hash":"[0-9a-f]{64}"/);
    expect(malware.resource.ebsVolumeDetails).toBeDefined();
    const runtime = byType.get('CryptoCurrency:Runtime/BitcoinTool.B')!.service.runtimeDetails as { process: { executablePath: string; executableSha256: string; lineage: unknown[] } };
    expect(runtime.process.executableSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(runtime.process.lineage.length).toBeGreaterThan(0);
  });

  it('shows the multi-valued sides of the newer families: two task containers, two RDS users, snapshot threats with hashes', () => {
    const byType = new Map(generateSampleFindings({ seed: 1, now: NOW }).map((f) => [f.type, f]));
    const ecs = byType.get('CryptoCurrency:Runtime/BitcoinTool.B')!.resource.ecsClusterDetails as { taskDetails: { containers: { securityContext: { privileged: boolean } }[] } };
    expect(ecs.taskDetails.containers.map((c) => c.securityContext.privileged)).toEqual([true, false]);
    const brute = byType.get('CredentialAccess:RDS/AnomalousBehavior.SuccessfulBruteForce')!.service.action as {
      rdsLoginAttemptAction: { LoginAttributes: { user: string; failedLoginAttempts: number }[] };
    };
    expect(brute.rdsLoginAttemptAction.LoginAttributes.map((l) => l.user)).toEqual(['admin', 'root']);
    const snapshot = byType.get('Execution:EC2/MaliciousFile!Snapshot')!;
    expect(snapshot.resource).toMatchObject({ resourceType: 'EBSSnapshot', ebsSnapshotDetails: { snapshotArn: expect.stringMatching(/^arn:aws:ec2:/) } });
    const threats = (snapshot.service.malwareScanDetails as { threats: { itemDetails: { hash: string; resourceArn: string }[] }[] }).threats;
    expect(threats.flatMap((t) => t.itemDetails)).toHaveLength(3);
    for (const item of threats.flatMap((t) => t.itemDetails)) expect(item.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('looks like GuardDuty: ids, ARNs, detector ids, sample marker, counts', () => {
    for (const f of generateSampleFindings({ seed: 2, now: NOW, count: 40, regions: ['us-east-1', 'eu-west-1'], accounts: ['123456789012', '210987654321'] })) {
      expect(f.id).toMatch(/^[0-9a-f]{32}$/);
      expect(f.service.detectorId).toMatch(/^[0-9a-f]{32}$/);
      expect(f.arn).toBe(`arn:aws:guardduty:${f.region}:${f.accountId}:detector/${f.service.detectorId}/finding/${f.id}`);
      expect(f.service.additionalInfo?.type).toBe('default');
      expect(JSON.parse(f.service.additionalInfo?.value as string)).toMatchObject({ sample: true });
      expect(f.service.count).toBeGreaterThanOrEqual(1);
      expect(f.service.archived).toBe(false);
    }
  });

  it('spreads updatedAt over the window at distinct seconds, with createdAt ≤ updatedAt', () => {
    const findings = generateSampleFindings({ seed: 3, now: NOW, count: 500, spreadMs: 3_600_000 });
    const updated = findings.map((f) => Date.parse(f.updatedAt));
    expect(Math.max(...updated)).toBeLessThanOrEqual(NOW);
    expect(Math.min(...updated)).toBeGreaterThan(NOW - 3_600_000);
    expect(new Set(updated.map((t) => Math.floor(t / 1000))).size).toBe(500);
    for (const f of findings) expect(Date.parse(f.createdAt)).toBeLessThanOrEqual(Date.parse(f.updatedAt));
  });

  // No wall-clock bound here (the machine is shared): the benchmark measures the generator's time.
  it('makes thousands of distinct findings (the benchmark needs them)', () => {
    const findings = generateSampleFindings({ seed: 4, now: NOW, count: 10_000 });
    expect(new Set(findings.map((f) => f.id)).size).toBe(10_000);
  });

  it('applies overrides', () => {
    const [f] = generateSampleFindings({ seed: 5, now: NOW, count: 1, types: ['Policy:IAMUser/RootCredentialUsage'], overrides: { severity: 9.9, updatedAt: NOW - 5000, count: 12, title: 'T' } });
    expect(f).toMatchObject({ type: 'Policy:IAMUser/RootCredentialUsage', severity: 9.9, updatedAt: new Date(NOW - 5000).toISOString(), title: 'T', service: { count: 12 } });
    expect(() => generateSampleFindings({ types: ['Nope:EC2/Nothing'] })).toThrow(/unknown sample finding type/);
  });
});
