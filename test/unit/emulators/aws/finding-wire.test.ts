import { Finding$, GetFindingsCommand, type Finding } from '@aws-sdk/client-guardduty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_FINDING_TYPES, startAwsEmulator, type AwsEmulator, type JsonObject } from '../../../../emulators/aws/index.js';
import { clients } from './sdk-clients.js';
import { fillEverything, unknownWireKeys, wireToSdk } from './sdk-schema.js';

describe('findings on the wire, as the real SDK reads them', () => {
  let emu: AwsEmulator;
  let detectorId: string;

  beforeAll(async () => {
    emu = await startAwsEmulator({ regions: ['us-east-1'], seed: 7 });
    detectorId = emu.detectors['us-east-1']!;
  });
  afterAll(() => emu.close());

  async function get(ids: string[]): Promise<Finding[]> {
    const out = await clients(emu.url).gd.send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: ids }));
    return out.Findings ?? [];
  }

  it('generates only members the model knows (no key the SDK would silently drop)', () => {
    const findings = emu.generateFindings({ types: [...SAMPLE_FINDING_TYPES], count: SAMPLE_FINDING_TYPES.length });
    for (const f of findings) expect(unknownWireKeys(Finding$, f), f.type).toEqual([]);
  });

  it('every generated type comes out of the SDK exactly as the PascalCase mapping of its wire JSON', async () => {
    const findings = emu.generateFindings({ types: [...SAMPLE_FINDING_TYPES], count: SAMPLE_FINDING_TYPES.length });
    const sdk = await get(findings.map((f) => f.id));
    expect(sdk).toHaveLength(findings.length);
    for (const wire of findings) {
      const parsed = sdk.find((f) => f.Id === wire.id);
      expect(parsed, wire.type).toEqual(wireToSdk(Finding$, wire));
    }
  });

  it('keeps the model quirks: LoginAttributes, sourceIPs, productCodeId/Type, taskDetails.createdAt', async () => {
    const types = ['CredentialAccess:RDS/AnomalousBehavior.SuccessfulLogin', 'Execution:Kubernetes/ExecInKubeSystemPod', 'Recon:EC2/PortProbeUnprotectedPort', 'CryptoCurrency:Runtime/BitcoinTool.B'];
    const findings = emu.generateFindings({ types, count: types.length });
    const byType = new Map((await get(findings.map((f) => f.id))).map((f) => [f.Type, f]));
    const rds = byType.get(types[0])!;
    expect(rds.Service?.Action?.RdsLoginAttemptAction?.LoginAttributes?.[0]?.FailedLoginAttempts).toBe(11);
    expect(byType.get(types[1])!.Service?.Action?.KubernetesApiCallAction?.SourceIps).toHaveLength(1);
    expect(byType.get(types[2])!.Resource?.InstanceDetails?.ProductCodes?.[0]?.ProductType).toBe('marketplace');
    expect(byType.get(types[3])!.Resource?.EcsClusterDetails?.TaskDetails?.TaskCreatedAt).toBeInstanceOf(Date);
  });

  it('serves every timestamp-typed member of the model as epoch seconds the SDK parses into Dates', async () => {
    const { value, timestamps } = fillEverything(Finding$);
    expect(timestamps.length).toBeGreaterThanOrEqual(20);
    const wire = value as JsonObject;
    Object.assign(wire, {
      id: 'f'.repeat(32), accountId: '123456789012', region: 'us-east-1', type: 'Recon:EC2/PortProbeUnprotectedPort',
      severity: 5, createdAt: '2025-01-02T03:04:05.678Z', updatedAt: '2025-01-02T03:04:05.678Z',
    });
    const [added] = emu.addFindings([wire]);
    const [parsed] = await get([added.id]);
    expect(parsed).toEqual(wireToSdk(Finding$, added));
    const sdkJson = JSON.stringify(parsed);
    expect(sdkJson.match(/"2023-11-14T22:13:20.000Z"/g)).toHaveLength(timestamps.length);
  });

  it('serves the string-typed times as ISO strings with milliseconds, untouched by the SDK', async () => {
    const [f] = emu.generateFindings({ type: 'UnauthorizedAccess:EC2/SSHBruteForce' });
    const [parsed] = await get([f.id]);
    for (const value of [parsed.CreatedAt, parsed.UpdatedAt, parsed.Service?.EventFirstSeen, parsed.Service?.EventLastSeen, parsed.Resource?.InstanceDetails?.LaunchTime]) {
      expect(value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
  });
});
