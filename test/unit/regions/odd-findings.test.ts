import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator, type JsonObject } from '../../../emulators/aws/index.js';
import type { Finding } from '../../../src/findings/finding.js';
import { assertWellFormed, cleanText, MalformedFindingError } from '../../../src/findings/clean-finding.js';
import { GuardDutyFindingsSource } from '../../../src/regions/guardduty-client.js';

const ACCOUNT = '111111111111';
const key = { kind: 'static' as const, accessKeyId: 'AKIAODD0000000000001', secretAccessKey: 'x' };

/** Findings shaped oddly on purpose, read through the real SDK from the AWS emulator. */
describe('findings nobody planned for, as the daemon reads them', () => {
  let emu: AwsEmulator;
  let source: GuardDutyFindingsSource;
  beforeAll(async () => {
    emu = await startAwsEmulator({ seed: 2, accounts: [{ accountId: ACCOUNT, accessKeys: [key.accessKeyId], regions: ['us-east-1'] }] });
    process.env.AWS_ENDPOINT_URL_GUARDDUTY = emu.url;
    source = new GuardDutyFindingsSource({ masterRegion: 'us-east-1', credentials: key });
  });
  afterAll(async () => {
    source.close();
    await emu.close();
  });

  async function read(wire: JsonObject): Promise<Finding> {
    const [added] = emu.addFindings([wire]);
    const [finding] = await source.getFindings('us-east-1', emu.detectorsOf(ACCOUNT)['us-east-1'], [added?.id]);
    if (!finding) throw new Error('finding not returned');
    return finding;
  }

  it('replaces NUL, other C0/C1 controls, DEL and lone surrogates everywhere, keys included; keeps tab, newline, CR and real emoji', async () => {
    const f = await read({
      title: 'a\u0000b\u0007c\u0085d\ud800e\u007f',
      description: 'line\n\tnext\r\nemoji 🔥 \u001b[31mred',
      service: { action: { actionType: 'AWS_API_CALL', awsApiCallAction: { userAgent: 'agent\u0000', affectedResources: { 'k\u0001ey': 'v\u009b' } } } },
    });
    expect(f.Title).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFD');
    expect(f.Description).toBe('line\n\tnext\r\nemoji 🔥 \uFFFD[31mred');
    expect(f.Service?.Action?.AwsApiCallAction?.UserAgent).toBe('agent\uFFFD');
    expect(f.Service?.Action?.AwsApiCallAction?.AffectedResources).toEqual({ 'k\uFFFDey': 'v\uFFFD' });
    expect(JSON.stringify(f)).not.toMatch(/\\u00[01]|\\u007f|\\ud[89ab]/i);
  });

  it('reads a number sent as a string where the model says number, at any depth and in lists', async () => {
    const f = await read({
      severity: '8.5',
      service: {
        count: '14' as unknown as number,
        action: { actionType: 'PORT_PROBE', portProbeAction: { portProbeDetails: [{ localPortDetails: { port: 22 } }, { localPortDetails: { port: ' 3389 ' } }] } },
      },
    });
    expect(f.Severity).toBe(8.5);
    expect(f.Service?.Count).toBe(14);
    expect(f.Service?.Action?.PortProbeAction?.PortProbeDetails?.map((d) => d.LocalPortDetails?.Port)).toEqual([22, 3389]);
    expect(() => assertWellFormed(f)).not.toThrow();
  });

  it('refuses a finding whose numeric member holds anything else, naming the finding, the path and the type', async () => {
    const f = await read({
      service: { action: { actionType: 'PORT_PROBE', portProbeAction: { portProbeDetails: [{ localPortDetails: { port: 22 } }, { localPortDetails: { port: '0x16' } }] } } },
    });
    let thrown: unknown;
    try {
      assertWellFormed(f);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(MalformedFindingError);
    expect((thrown as Error).message).toContain(f.Id);
    expect((thrown as Error).message).toContain('Service.Action.PortProbeAction.PortProbeDetails[1].LocalPortDetails.Port is a string');
    const list = await read({ service: { count: [1] as unknown as number } });
    expect(() => assertWellFormed(list)).toThrow(/Service\.Count is a list/);
  });

  it('leaves a string where the model says string, even one that looks like a number', async () => {
    const f = await read({
      service: { ebsVolumeScanDetails: { scanDetections: { threatDetectedByName: { threatNames: [{ name: 'EICAR', severity: 'High', itemCount: '2' as unknown as number }] } } } },
      resource: { resourceType: 'Instance', instanceDetails: { instanceId: '12345' } },
    });
    const threat = f.Service?.EbsVolumeScanDetails?.ScanDetections?.ThreatDetectedByName?.ThreatNames?.[0];
    expect(threat).toMatchObject({ Severity: 'High', ItemCount: 2 });
    expect(f.Resource?.InstanceDetails?.InstanceId).toBe('12345');
  });

  it('cleanText keeps ordinary text as it is', () => {
    expect(cleanText('évil.example.com — ok\t')).toBe('évil.example.com — ok\t');
  });
});
