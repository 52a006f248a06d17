import {
  AccessDeniedException, BadRequestException, CreateFilterCommand, CreateIPSetCommand, CreateThreatIntelSetCommand, DeleteFilterCommand,
  GetDetectorCommand, GetFilterCommand, GetIPSetCommand, ListFiltersCommand, ListTagsForResourceCommand, TagResourceCommand,
  UntagResourceCommand, UpdateDetectorCommand, UpdateFilterCommand, paginateListFilters, type GuardDutyClient,
} from '@aws-sdk/client-guardduty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator } from '../../../../emulators/aws/index.js';
import { clients } from './sdk-clients.js';

const ACCOUNT = '111111111111';
const OTHER = '444444444444';
const key = { accessKeyId: 'AKIAACCOUNT000000001', secretAccessKey: 'x' };
const otherKey = { accessKeyId: 'AKIAOTHER00000000002', secretAccessKey: 'x' };
const NOW = Date.parse('2026-06-01T12:00:00Z');

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof Error)) throw new Error('expected the call to fail');
  return err;
}

describe('UpdateDetector, tags and filters through the real SDK', () => {
  let emu: AwsEmulator;
  let gd: GuardDutyClient;
  let detectorId: string;
  let now = NOW;

  beforeAll(async () => {
    emu = await startAwsEmulator({
      seed: 9,
      clock: { now: () => now },
      accounts: [
        { accountId: ACCOUNT, accessKeys: [key.accessKeyId], regions: ['us-east-1', 'eu-west-1'] },
        { accountId: OTHER, accessKeys: [otherKey.accessKeyId], regions: ['us-east-1'] },
      ],
    });
    gd = clients(emu.url, key).gd;
    detectorId = emu.detectorsOf(ACCOUNT)['us-east-1']!;
  });
  afterAll(() => emu.close());

  it('updates the detector and GetDetector shows it: status, publishing frequency, features, data sources', async () => {
    const before = await gd.send(new GetDetectorCommand({ DetectorId: detectorId }));
    expect(before).toMatchObject({ Status: 'ENABLED', FindingPublishingFrequency: 'SIX_HOURS', DataSources: { S3Logs: { Status: 'ENABLED' } } });
    now += 60_000;
    await gd.send(new UpdateDetectorCommand({
      DetectorId: detectorId, Enable: false, FindingPublishingFrequency: 'FIFTEEN_MINUTES',
      Features: [
        { Name: 'S3_DATA_EVENTS', Status: 'DISABLED' },
        { Name: 'RUNTIME_MONITORING', Status: 'ENABLED', AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }] },
        { Name: 'LAMBDA_NETWORK_LOGS', Status: 'ENABLED' },
      ],
    }));
    const after = await gd.send(new GetDetectorCommand({ DetectorId: detectorId }));
    expect(after).toMatchObject({ Status: 'DISABLED', FindingPublishingFrequency: 'FIFTEEN_MINUTES', UpdatedAt: new Date(now).toISOString(), CreatedAt: before.CreatedAt });
    const feature = (name: string) => after.Features?.find((f) => f.Name === name);
    expect(feature('S3_DATA_EVENTS')).toMatchObject({ Status: 'DISABLED', UpdatedAt: new Date(now) });
    expect(feature('RUNTIME_MONITORING')?.AdditionalConfiguration).toEqual([{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED', UpdatedAt: new Date(now) }]);
    expect(feature('LAMBDA_NETWORK_LOGS')?.Status).toBe('ENABLED');
    expect(feature('CLOUD_TRAIL')?.UpdatedAt).toEqual(before.Features?.find((f) => f.Name === 'CLOUD_TRAIL')?.UpdatedAt);
    expect(after.DataSources?.S3Logs?.Status).toBe('DISABLED');

    // The deprecated DataSources map onto the same features.
    await gd.send(new UpdateDetectorCommand({ DetectorId: detectorId, Enable: true, DataSources: { S3Logs: { Enable: true }, Kubernetes: { AuditLogs: { Enable: false } } } }));
    const legacy = await gd.send(new GetDetectorCommand({ DetectorId: detectorId }));
    expect(legacy).toMatchObject({ Status: 'ENABLED', DataSources: { S3Logs: { Status: 'ENABLED' }, Kubernetes: { AuditLogs: { Status: 'DISABLED' } } } });
    // Another region's detector is untouched.
    const eu = await clients(emu.url, key, 'eu-west-1').gd.send(new GetDetectorCommand({ DetectorId: emu.detectorsOf(ACCOUNT)['eu-west-1'] }));
    expect(eu.FindingPublishingFrequency).toBe('SIX_HOURS');
  });

  it('refuses updates the model does not allow and changes nothing', async () => {
    const settings = async () => {
      const { $metadata: _, ...body } = await gd.send(new GetDetectorCommand({ DetectorId: detectorId }));
      return body;
    };
    const before = await settings();
    const bad = [
      { FindingPublishingFrequency: 'HOURLY' },
      { Features: [{ Name: 'EKS_RUNTIME_MONITORING', Status: 'ENABLED' }, { Name: 'RUNTIME_MONITORING', Status: 'ENABLED' }] },
      { Features: [{ Name: 'CLOUD_TRAIL', Status: 'DISABLED' }] },
      { Features: [{ Name: 'S3_DATA_EVENTS', Status: 'OFF' }] },
      { Features: [{ Name: 'S3_DATA_EVENTS', Status: 'ENABLED' }], DataSources: { S3Logs: { Enable: true } } },
      { Enable: false, Features: [{ Name: 'RUNTIME_MONITORING', Status: 'ENABLED', AdditionalConfiguration: [{ Name: 'NOPE', Status: 'ENABLED' }] }] },
    ];
    for (const input of bad) {
      const err = await rejection(gd.send(new UpdateDetectorCommand({ DetectorId: detectorId, ...input } as never)));
      expect(err, JSON.stringify(input)).toBeInstanceOf(BadRequestException);
    }
    expect(await settings()).toEqual(before);
    await expect(gd.send(new UpdateDetectorCommand({ DetectorId: emu.detectorsOf(OTHER)['us-east-1'], Enable: false }))).rejects.toBeInstanceOf(BadRequestException);
  });

  it('tags and untags a detector, an IPSet, a ThreatIntelSet and a filter by ARN', async () => {
    const ipSetId = (await gd.send(new CreateIPSetCommand({ DetectorId: detectorId, Name: 'trusted', Format: 'TXT', Location: 's3://b-1/t.txt', Activate: true, Tags: { origin: 'create' } }))).IpSetId!;
    const threatId = (await gd.send(new CreateThreatIntelSetCommand({ DetectorId: detectorId, Name: 'threats', Format: 'TXT', Location: 's3://b-1/x.txt', Activate: true }))).ThreatIntelSetId!;
    await gd.send(new CreateFilterCommand({ DetectorId: detectorId, Name: 'suppress-scanner', FindingCriteria: { Criterion: { severity: { Lt: 4 } } } }));
    const base = `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/${detectorId}`;
    const arns = [base, `${base}/ipset/${ipSetId}`, `${base}/threatintelset/${threatId}`, `${base}/filter/suppress-scanner`];
    emu.resetCalls();
    for (const arn of arns) {
      await gd.send(new TagResourceCommand({ ResourceArn: arn, Tags: { team: 'soc', 'cost:center': '42' } }));
      await gd.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['cost:center', 'absent'] }));
      const tags = (await gd.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags;
      expect(tags, arn).toEqual(arn.includes('/ipset/') ? { origin: 'create', team: 'soc' } : { team: 'soc' });
    }
    expect(emu.calls().records.filter((r) => r.operation === 'TagResource').map((r) => r.status)).toEqual([204, 204, 204, 204]);
    expect((await gd.send(new GetIPSetCommand({ DetectorId: detectorId, IpSetId: ipSetId }))).Tags).toEqual({ origin: 'create', team: 'soc' });
    expect((await gd.send(new GetDetectorCommand({ DetectorId: detectorId }))).Tags).toEqual({ team: 'soc' });
    expect((await gd.send(new GetFilterCommand({ DetectorId: detectorId, FilterName: 'suppress-scanner' }))).Tags).toEqual({ team: 'soc' });
  });

  it('refuses bad tags, unknown resources and other accounts', async () => {
    const arn = `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/${detectorId}`;
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    const cases: [() => Promise<unknown>, string][] = [
      [() => gd.send(new TagResourceCommand({ ResourceArn: arn, Tags: { 'aws:x': 'y' } })), 'tag key'],
      [() => gd.send(new TagResourceCommand({ ResourceArn: arn, Tags: tooMany })), 'at most 50 tags'],
      [() => gd.send(new TagResourceCommand({ ResourceArn: 'arn:aws:s3:::bucket', Tags: { a: 'b' } })), 'parameter resourceArn'],
      [() => gd.send(new ListTagsForResourceCommand({ ResourceArn: `${arn}/ipset/${'0'.repeat(32)}` })), 'does not exist'],
      [() => gd.send(new ListTagsForResourceCommand({ ResourceArn: arn.replace('us-east-1', 'eu-west-1') })), 'not in the region of the call'],
      [() => gd.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: [] })), 'parameter tagKeys'],
    ];
    for (const [call, message] of cases) {
      const err = await rejection(call());
      expect(err, message).toBeInstanceOf(BadRequestException);
      expect(err.message).toContain(message);
    }
    const foreign = await rejection(clients(emu.url, otherKey).gd.send(new ListTagsForResourceCommand({ ResourceArn: arn })));
    expect(foreign).toBeInstanceOf(AccessDeniedException);
  });

  it('creates, lists (paged), updates and deletes filters', async () => {
    for (const name of ['f-a', 'f-b', 'f-c']) {
      await gd.send(new CreateFilterCommand({ DetectorId: detectorId, Name: name, Action: 'ARCHIVE', FindingCriteria: { Criterion: { type: { Equals: ['Recon:EC2/Portscan'] } } } }));
    }
    const pages: string[][] = [];
    for await (const page of paginateListFilters({ client: gd, pageSize: 2 }, { DetectorId: detectorId })) pages.push(page.FilterNames ?? []);
    expect(pages.flat().filter((n) => n.startsWith('f-'))).toEqual(['f-a', 'f-b', 'f-c']);
    expect(pages.every((p) => p.length <= 2)).toBe(true);

    expect((await gd.send(new UpdateFilterCommand({ DetectorId: detectorId, FilterName: 'f-b', Action: 'NOOP', Rank: 7, Description: 'scanner noise' }))).Name).toBe('f-b');
    expect(await gd.send(new GetFilterCommand({ DetectorId: detectorId, FilterName: 'f-b' }))).toMatchObject({
      Name: 'f-b', Action: 'NOOP', Rank: 7, Description: 'scanner noise', FindingCriteria: { Criterion: { type: { Equals: ['Recon:EC2/Portscan'] } } },
    });
    const duplicate = await rejection(gd.send(new CreateFilterCommand({ DetectorId: detectorId, Name: 'f-a', FindingCriteria: { Criterion: {} } })));
    expect(duplicate.message).toContain('already exists');
    for (const input of [{ Name: 'no spaces' }, { Name: 'ok-name', Rank: 0 }, { Name: 'ok-name', FindingCriteria: { Criterion: { nope: { Eq: ['x'] } } } }]) {
      await expect(gd.send(new CreateFilterCommand({ DetectorId: detectorId, FindingCriteria: { Criterion: {} }, ...input }))).rejects.toBeInstanceOf(BadRequestException);
    }
    await gd.send(new DeleteFilterCommand({ DetectorId: detectorId, FilterName: 'f-c' }));
    expect((await gd.send(new ListFiltersCommand({ DetectorId: detectorId }))).FilterNames).not.toContain('f-c');
    await expect(gd.send(new GetFilterCommand({ DetectorId: detectorId, FilterName: 'f-c' }))).rejects.toBeInstanceOf(BadRequestException);
  });
});
