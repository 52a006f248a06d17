import {
  AccessDeniedException, BadRequestException, CreateIPSetCommand, CreateThreatIntelSetCommand, DeleteIPSetCommand,
  DeleteThreatIntelSetCommand, GetIPSetCommand, GetThreatIntelSetCommand, InternalServerErrorException, ListIPSetsCommand,
  ListThreatIntelSetsCommand, UpdateIPSetCommand, UpdateThreatIntelSetCommand, paginateListThreatIntelSets, type GuardDutyClient,
} from '@aws-sdk/client-guardduty';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator, type ThreatList } from '../../../../emulators/aws/index.js';
import { clients } from './sdk-clients.js';

const ADMIN = '111111111111';
const MEMBER = '222222222222';
const adminKey = { accessKeyId: 'AKIAADMIN00000000001', secretAccessKey: 'x' };
const memberKey = { accessKeyId: 'AKIAMEMBER0000000001', secretAccessKey: 'x' };
const LOCATION = 's3://soar-lists/threats.txt';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof Error)) throw new Error('expected the call to fail');
  return err;
}

describe('IPSets and ThreatIntelSets through the real SDK', () => {
  let emu: AwsEmulator;
  let admin: GuardDutyClient;
  let member: GuardDutyClient;
  let detectorId: string;
  let memberDetectorId: string;

  beforeAll(async () => {
    emu = await startAwsEmulator({
      seed: 11,
      accounts: [
        { accountId: ADMIN, accessKeys: [adminKey.accessKeyId], regions: ['us-east-1', 'eu-west-1'] },
        { accountId: MEMBER, accessKeys: [memberKey.accessKeyId], regions: ['us-east-1'], administrator: ADMIN },
      ],
    });
    admin = clients(emu.url, adminKey).gd;
    member = clients(emu.url, memberKey).gd;
    detectorId = emu.detectorsOf(ADMIN)['us-east-1']!;
    memberDetectorId = emu.detectorsOf(MEMBER)['us-east-1']!;
  });
  afterAll(() => emu.close());
  beforeEach(() => {
    emu.resetThreatLists();
    emu.clearFaults();
  });

  it('creates, gets, lists, updates and deletes an IPSet', async () => {
    const created = await admin.send(new CreateIPSetCommand({
      DetectorId: detectorId, Name: 'Office ranges', Format: 'TXT', Location: 'https://s3.eu-west-1.amazonaws.com/soar-lists/office.txt',
      Activate: true, Tags: { team: 'soc' },
    }));
    expect(created.IpSetId).toMatch(/^[0-9a-f]{32}$/);
    const got = await admin.send(new GetIPSetCommand({ DetectorId: detectorId, IpSetId: created.IpSetId }));
    expect(got).toMatchObject({ Name: 'Office ranges', Format: 'TXT', Status: 'ACTIVE', Tags: { team: 'soc' } });
    expect(got.ExpectedBucketOwner).toBeUndefined();
    expect((await admin.send(new ListIPSetsCommand({ DetectorId: detectorId }))).IpSetIds).toEqual([created.IpSetId]);

    await admin.send(new UpdateIPSetCommand({ DetectorId: detectorId, IpSetId: created.IpSetId, Activate: false, Name: 'Office', ExpectedBucketOwner: ADMIN }));
    const updated = await admin.send(new GetIPSetCommand({ DetectorId: detectorId, IpSetId: created.IpSetId }));
    expect(updated).toMatchObject({ Name: 'Office', Status: 'INACTIVE', ExpectedBucketOwner: ADMIN, Location: 'https://s3.eu-west-1.amazonaws.com/soar-lists/office.txt' });
    const [listed] = emu.threatLists({ account: ADMIN, region: 'us-east-1', kind: 'ipset' });
    expect(listed).toMatchObject({ arn: `arn:aws:guardduty:us-east-1:${ADMIN}:detector/${detectorId}/ipset/${created.IpSetId}`, loads: 2 });

    await admin.send(new DeleteIPSetCommand({ DetectorId: detectorId, IpSetId: created.IpSetId }));
    expect((await admin.send(new ListIPSetsCommand({ DetectorId: detectorId }))).IpSetIds).toEqual([]);
    const gone = await rejection(admin.send(new GetIPSetCommand({ DetectorId: detectorId, IpSetId: created.IpSetId })));
    expect(gone).toBeInstanceOf(BadRequestException);
    expect(gone.message).toContain(`ipSetId ${created.IpSetId} is not owned`);
    await expect(admin.send(new DeleteIPSetCommand({ DetectorId: detectorId, IpSetId: created.IpSetId }))).rejects.toBeInstanceOf(BadRequestException);
  });

  it('keeps the quotas: one IPSet and six ThreatIntelSets per account and region', async () => {
    const ipset = { DetectorId: detectorId, Format: 'TXT' as const, Location: LOCATION, Activate: true };
    await admin.send(new CreateIPSetCommand({ ...ipset, Name: 'first' }));
    const second = await rejection(admin.send(new CreateIPSetCommand({ ...ipset, Name: 'second' })));
    expect(second).toBeInstanceOf(BadRequestException);
    expect(second.message).toContain('already has 1 IPSet in us-east-1');
    // Another region is another quota.
    const euDetector = emu.detectorsOf(ADMIN)['eu-west-1'];
    await clients(emu.url, adminKey, 'eu-west-1').gd.send(new CreateIPSetCommand({ ...ipset, DetectorId: euDetector, Name: 'eu' }));

    for (let i = 0; i < 6; i++) {
      await admin.send(new CreateThreatIntelSetCommand({ DetectorId: detectorId, Name: `feed ${i}`, Format: 'STIX', Location: LOCATION, Activate: i % 2 === 0 }));
    }
    const seventh = await rejection(admin.send(new CreateThreatIntelSetCommand({ DetectorId: detectorId, Name: 'feed 6', Format: 'TXT', Location: LOCATION, Activate: true })));
    expect(seventh.message).toContain('already has 6 ThreatIntelSets');
    expect(emu.threatLists({ account: ADMIN, region: 'us-east-1' }).map((l) => [l.kind, l.status])).toEqual([
      ['ipset', 'ACTIVE'],
      ...[0, 1, 2, 3, 4, 5].map((i) => ['threatintelset', i % 2 === 0 ? 'ACTIVE' : 'INACTIVE']),
    ]);
  });

  it('pages ListThreatIntelSets with MaxResults and NextToken, every id once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await admin.send(new CreateThreatIntelSetCommand({ DetectorId: detectorId, Name: `f${i}`, Format: 'TXT', Location: LOCATION, Activate: true }))).ThreatIntelSetId!);
    }
    const pages: string[][] = [];
    for await (const page of paginateListThreatIntelSets({ client: admin, pageSize: 2 }, { DetectorId: detectorId })) pages.push(page.ThreatIntelSetIds ?? []);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(ids);
    await expect(admin.send(new ListThreatIntelSetsCommand({ DetectorId: detectorId, MaxResults: 51 }))).rejects.toBeInstanceOf(BadRequestException);
    await expect(admin.send(new ListThreatIntelSetsCommand({ DetectorId: detectorId, NextToken: 'not-a-token' }))).rejects.toBeInstanceOf(BadRequestException);
  });

  it('answers the same id for the same ClientToken and request, and refuses the token with other parameters', async () => {
    const input = { DetectorId: detectorId, Name: 'feed', Format: 'TXT' as const, Location: LOCATION, Activate: true, ClientToken: 'tok-1' };
    const first = await admin.send(new CreateThreatIntelSetCommand(input));
    const again = await admin.send(new CreateThreatIntelSetCommand(input));
    expect(again.ThreatIntelSetId).toBe(first.ThreatIntelSetId);
    expect(emu.threatLists({ kind: 'threatintelset' })).toHaveLength(1);
    const changed = await rejection(admin.send(new CreateThreatIntelSetCommand({ ...input, Activate: false })));
    expect(changed).toBeInstanceOf(BadRequestException);
    expect(changed.message).toContain('clientToken was already used with different parameters');
    // The same token on the other kind is another request.
    await admin.send(new CreateIPSetCommand({ ...input, Name: 'trusted' }));
    expect(emu.threatLists()).toHaveLength(2);
  });

  it('does not create a second list when the SDK retries a create whose answer was lost', async () => {
    emu.setFault({ service: 'guardduty', operation: 'CreateThreatIntelSet', failNext: 1, statuses: [500], mode: 'after' });
    emu.resetCalls();
    const created = await admin.send(new CreateThreatIntelSetCommand({ DetectorId: detectorId, Name: 'feed', Format: 'TXT', Location: LOCATION, Activate: true }));
    expect(emu.calls().counts['guardduty:CreateThreatIntelSet']).toBe(2);
    expect(emu.threatLists().map((l) => l.id)).toEqual([created.ThreatIntelSetId]);
  });

  it('fails calls by operation as the fault rules say, and logs every attempt', async () => {
    emu.setFault({ service: 'guardduty', operation: 'ListIPSets', failNext: 3, statuses: [500] });
    emu.resetCalls();
    const err = await rejection(admin.send(new ListIPSetsCommand({ DetectorId: detectorId })));
    expect(err).toBeInstanceOf(InternalServerErrorException);
    expect(emu.calls().counts['guardduty:ListIPSets']).toBe(3);
    expect((await admin.send(new ListIPSetsCommand({ DetectorId: detectorId }))).IpSetIds).toEqual([]);
    emu.setFault({ service: 'guardduty', operation: 'GetThreatIntelSet', failNext: 1, statuses: [429] });
    const seeded = emu.seedThreatList({ account: ADMIN, kind: 'threatintelset', set: { name: 'seeded', location: LOCATION } });
    expect((await admin.send(new GetThreatIntelSetCommand({ DetectorId: detectorId, ThreatIntelSetId: seeded.id }))).Name).toBe('seeded');
    expect(emu.calls().counts['guardduty:GetThreatIntelSet']).toBe(2);
  });

  it('rejects what the model does not allow, with the member named, and changes nothing', async () => {
    const base = { DetectorId: detectorId, Name: 'ok', Format: 'TXT' as const, Location: LOCATION, Activate: true };
    const cases: [Record<string, unknown>, string][] = [
      [{ Format: 'CSV' }, 'parameter format'],
      [{ Name: 'bad/name' }, 'parameter name'],
      [{ Name: 'x'.repeat(301) }, 'parameter name'],
      [{ Name: undefined }, 'parameter name has an invalid value. It is required'],
      [{ Activate: undefined }, 'parameter activate'],
      [{ Location: 'http://soar-lists.s3.amazonaws.com/a.txt' }, 'parameter location'],
      [{ Location: 'https://example.com/soar-lists/a.txt' }, 'parameter location'],
      [{ Location: `${emu.url}/soar-lists/a.txt` }, 'parameter location'],
      [{ Location: 's3://soar-lists' }, 'parameter location'],
      [{ Location: 's3://Bad_Bucket/a.txt' }, 'parameter location'],
      [{ Location: `s3://soar-lists/${'k'.repeat(300)}` }, 'parameter location'],
      [{ Tags: { 'aws:owner': 'x' } }, 'parameter tags'],
      [{ Tags: {} }, 'parameter tags'],
      [{ ExpectedBucketOwner: '12345' }, 'parameter expectedBucketOwner'],
      [{ ClientToken: 't'.repeat(65) }, 'parameter clientToken'],
    ];
    for (const [change, message] of cases) {
      const err = await rejection(admin.send(new CreateIPSetCommand({ ...base, ...change })));
      expect(err, JSON.stringify(change)).toBeInstanceOf(BadRequestException);
      expect(err.message, JSON.stringify(change)).toContain(message);
    }
    expect(emu.threatLists()).toEqual([]);

    const accepted = [
      's3://soar-lists/a/b.txt',
      'https://soar-lists.s3.amazonaws.com/a.txt',
      'https://soar-lists.s3.eu-west-1.amazonaws.com/a%20b.txt',
      'https://soar-lists.s3-us-west-2.amazonaws.com/a.txt',
      'https://s3.amazonaws.com/soar-lists/a.txt',
      'https://s3-eu-west-1.amazonaws.com/soar-lists/a.txt',
    ];
    for (const [i, Location] of accepted.entries()) {
      await admin.send(new CreateThreatIntelSetCommand({ ...base, Name: `n${i}`, Location }));
    }
    const [set] = emu.threatLists({ kind: 'threatintelset' });
    const badUpdate = await rejection(admin.send(new UpdateThreatIntelSetCommand({ DetectorId: detectorId, ThreatIntelSetId: set.id, Name: 'renamed', Location: 'ftp://x/y' })));
    expect(badUpdate.message).toContain('parameter location');
    expect(emu.threatLists({ kind: 'threatintelset' })[0]).toMatchObject({ name: 'n0', loads: 1 });

    const wrongDetector = await rejection(admin.send(new ListIPSetsCommand({ DetectorId: memberDetectorId })));
    expect(wrongDetector.message).toContain('detectorId is not owned by the current account');
    // An IPSet id is not a ThreatIntelSet id.
    const ip = await admin.send(new CreateIPSetCommand(base));
    await expect(admin.send(new GetThreatIntelSetCommand({ DetectorId: detectorId, ThreatIntelSetId: ip.IpSetId }))).rejects.toBeInstanceOf(BadRequestException);
  });

  it("lets a member read its administrator's lists but not create, update or delete them", async () => {
    const trusted = emu.seedThreatList({ account: ADMIN, kind: 'ipset', set: { name: 'trusted', location: LOCATION } });
    expect((await member.send(new ListIPSetsCommand({ DetectorId: memberDetectorId }))).IpSetIds).toEqual([trusted.id]);
    expect((await member.send(new GetIPSetCommand({ DetectorId: memberDetectorId, IpSetId: trusted.id }))).Name).toBe('trusted');

    const denied = await rejection(member.send(new CreateThreatIntelSetCommand({ DetectorId: memberDetectorId, Name: 'mine', Format: 'TXT', Location: LOCATION, Activate: true })));
    expect(denied).toBeInstanceOf(AccessDeniedException);
    expect(denied.message).toContain(`account ${MEMBER} is a GuardDuty member account. Only the administrator account can create ThreatIntelSets`);
    const update = await rejection(member.send(new UpdateIPSetCommand({ DetectorId: memberDetectorId, IpSetId: trusted.id, Activate: false })));
    expect(update).toBeInstanceOf(AccessDeniedException);
    const del = await rejection(member.send(new DeleteIPSetCommand({ DetectorId: memberDetectorId, IpSetId: trusted.id })));
    expect(del).toBeInstanceOf(BadRequestException);
    expect(emu.threatLists()).toMatchObject([{ id: trusted.id, status: 'ACTIVE', loads: 1 }]);
    expect((await member.send(new ListThreatIntelSetsCommand({ DetectorId: memberDetectorId }))).ThreatIntelSetIds).toEqual([]);
  });

  it('deletes a ThreatIntelSet, which then frees its quota place', async () => {
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(emu.seedThreatList({ account: ADMIN, kind: 'threatintelset', set: { name: `s${i}`, location: LOCATION } }).id);
    expect(() => emu.seedThreatList({ account: ADMIN, kind: 'threatintelset', set: { name: 's6', location: LOCATION } })).toThrow(/already has 6/);
    await admin.send(new DeleteThreatIntelSetCommand({ DetectorId: detectorId, ThreatIntelSetId: ids[2] }));
    const created = await admin.send(new CreateThreatIntelSetCommand({ DetectorId: detectorId, Name: 's6', Format: 'TXT', Location: LOCATION, Activate: true }));
    expect((await admin.send(new ListThreatIntelSetsCommand({ DetectorId: detectorId }))).ThreatIntelSetIds).toEqual([...ids.filter((_, i) => i !== 2), created.ThreatIntelSetId]);
  });

  it("reads the list's S3 object on create and update: ERROR while missing or not readable, ACTIVE with its entries once there", async () => {
    emu.createBucket({ name: 'gd-lists', account: ADMIN });
    const created = await admin.send(new CreateThreatIntelSetCommand({ DetectorId: detectorId, Name: 'blocked', Format: 'TXT', Location: 'https://gd-lists.s3.amazonaws.com/blocked.txt', Activate: true }));
    const status = async () => (await admin.send(new GetThreatIntelSetCommand({ DetectorId: detectorId, ThreatIntelSetId: created.ThreatIntelSetId }))).Status;
    expect(await status()).toBe('ERROR');
    expect(emu.threatLists()[0].lastLoad?.error).toContain('NoSuchKey');

    const object = emu.putObjectText('gd-lists', 'blocked.txt', '# blocked by SOAR\n198.51.100.7\n\n2001:db8::/32\n');
    // GuardDuty reads the object again only when the set is updated.
    expect(await status()).toBe('ERROR');
    await admin.send(new UpdateThreatIntelSetCommand({ DetectorId: detectorId, ThreatIntelSetId: created.ThreatIntelSetId, Activate: true }));
    expect(await status()).toBe('ACTIVE');
    expect(emu.threatLists()[0]).toMatchObject({ loads: 2, lastLoad: { etag: object.etag, entries: ['198.51.100.7', '2001:db8::/32'] } });

    await admin.send(new UpdateThreatIntelSetCommand({ DetectorId: detectorId, ThreatIntelSetId: created.ThreatIntelSetId, ExpectedBucketOwner: MEMBER }));
    expect(await status()).toBe('ERROR');
    await admin.send(new UpdateThreatIntelSetCommand({ DetectorId: detectorId, ThreatIntelSetId: created.ThreatIntelSetId, ExpectedBucketOwner: ADMIN, Activate: false }));
    expect(await status()).toBe('INACTIVE');

    // Another account's bucket is unreadable unless its policy allows the list's account.
    emu.createBucket({ name: 'member-owned', account: MEMBER });
    emu.putObjectText('member-owned', 'l.txt', '192.0.2.1\n');
    const foreign = emu.seedThreatList({ account: ADMIN, kind: 'ipset', set: { name: 'foreign', location: 's3://member-owned/l.txt' } });
    expect(foreign).toMatchObject({ status: 'ERROR', lastLoad: { error: expect.stringContaining('Access Denied') } });
  });

  it('serves the lists, a seed and a reset over the admin API', async () => {
    const admin = (path: string, init?: RequestInit) => fetch(`${emu.url}/__admin/${path}`, init).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const seeded = await admin('threat-lists', {
      method: 'POST',
      body: JSON.stringify({ account: ADMIN, region: 'eu-west-1', kind: 'ipset', set: { name: 'eu trusted', location: LOCATION, activate: false, tags: { a: 'b' } } }),
    });
    expect(seeded.status).toBe(200);
    expect(seeded.body.threatList).toMatchObject({ kind: 'ipset', region: 'eu-west-1', status: 'INACTIVE', tags: { a: 'b' } });
    const listed = await admin(`threat-lists?account=${ADMIN}&region=eu-west-1`);
    expect((listed.body.threatLists as ThreatList[]).map((l) => l.name)).toEqual(['eu trusted']);
    expect(((await admin(`threat-lists?account=${ADMIN}&region=us-east-1`)).body.threatLists as ThreatList[])).toEqual([]);
    const bad = await admin('threat-lists', { method: 'POST', body: JSON.stringify({ kind: 'ipset', set: { name: 'x', location: 'nowhere' } }) });
    expect(bad.status).toBe(400);
    expect(String(bad.body.error)).toContain('parameter location');
    expect((await admin('threat-lists?kind=list')).status).toBe(400);
    expect((await admin(`threat-lists?region=eu-west-1`, { method: 'DELETE' })).body).toEqual({ deleted: 1 });
    expect(emu.threatLists()).toEqual([]);
  });
});
