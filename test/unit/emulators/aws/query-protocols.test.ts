import { DescribeRegionsCommand, type DescribeRegionsCommandInput } from '@aws-sdk/client-ec2';
import { ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { AssumeRoleCommand, ExpiredTokenException, GetCallerIdentityCommand, STSServiceException } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator } from '../../../../emulators/aws/index.js';
import { clients, type TestCredentials } from './sdk-clients.js';

const ACCOUNT = '123456789012';
const TARGET = '210987654321';

describe('EC2 DescribeRegions and STS through the real SDK', () => {
  let emu: AwsEmulator;
  let now = Date.now();

  beforeAll(async () => {
    emu = await startAwsEmulator({
      clock: { now: () => now },
      accounts: [
        { accountId: ACCOUNT, acceptAnyAccessKey: true, regions: ['us-east-1'], roles: ['Reader'] },
        {
          accountId: TARGET, accessKeys: ['AKIATARGET0000000001'], regions: ['us-east-1', 'eu-south-1'],
          roles: [{ name: 'GuardDutyReader', externalId: 'ext-42', maxSessionDurationSeconds: 43200 }],
        },
      ],
    });
  });
  afterAll(() => emu.close());

  const regionNames = async (input: DescribeRegionsCommandInput, creds?: TestCredentials) =>
    ((await clients(emu.url, creds).ec2.send(new DescribeRegionsCommand(input))).Regions ?? []).map((r) => `${r.RegionName}:${r.OptInStatus}`);

  it('lists the enabled regions, and all of them with AllRegions', async () => {
    const enabled = await regionNames({});
    expect(enabled).toHaveLength(17);
    expect(enabled.every((r) => r.endsWith(':opt-in-not-required'))).toBe(true);
    const all = await regionNames({ AllRegions: true });
    expect(all.length).toBeGreaterThan(25);
    expect(all).toContain('af-south-1:not-opted-in');
    // An account that enabled an opt-in region (it has a detector there) sees it as opted-in.
    const target = await regionNames({}, { accessKeyId: 'AKIATARGET0000000001', secretAccessKey: 'x' });
    expect(target).toContain('eu-south-1:opted-in');
    expect(target).toHaveLength(18);
  });

  it('honours RegionName.N and Filter.N', async () => {
    expect(await regionNames({ RegionNames: ['eu-west-1', 'us-west-2'] })).toEqual(['us-west-2:opt-in-not-required', 'eu-west-1:opt-in-not-required']);
    expect(await regionNames({ AllRegions: true, Filters: [{ Name: 'opt-in-status', Values: ['not-opted-in'] }, { Name: 'region-name', Values: ['me-south-1', 'us-east-1'] }] }))
      .toEqual(['me-south-1:not-opted-in']);
    await expect(regionNames({ Filters: [{ Name: 'colour', Values: ['blue'] }] })).rejects.toMatchObject({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } });
    await expect(regionNames({ RegionNames: ['xx-nowhere-1'] })).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('answers GetCallerIdentity for a long-term key', async () => {
    const id = await clients(emu.url).sts.send(new GetCallerIdentityCommand({}));
    expect(id).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/emulator-user` });
    expect(id.UserId).toMatch(/^AIDA/);
  });

  it('issues temporary ASIA keys bound to the role account, accepted with their session token', async () => {
    const sts = clients(emu.url).sts;
    const out = await sts.send(new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${TARGET}:role/GuardDutyReader`, RoleSessionName: 'guardduty-soar', ExternalId: 'ext-42', DurationSeconds: 7200,
    }));
    const c = out.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(c.Expiration!.getTime()).toBe(Math.floor((now + 7200_000) / 1000) * 1000);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${TARGET}:assumed-role/GuardDutyReader/guardduty-soar`);
    const temp = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    const id = await clients(emu.url, temp).sts.send(new GetCallerIdentityCommand({}));
    expect(id).toMatchObject({ Account: TARGET, Arn: out.AssumedRoleUser?.Arn });
    expect(id.UserId).toMatch(/^AROA[0-9A-F]+:guardduty-soar$/);
    const detectors = await clients(emu.url, temp).gd.send(new ListDetectorsCommand({}));
    expect(detectors.DetectorIds).toEqual([emu.detectorsOf(TARGET)['us-east-1']]);
    // The same key without its session token is not valid.
    await expect(clients(emu.url, { ...temp, sessionToken: undefined }).gd.send(new ListDetectorsCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 403 } });
  });

  it('rejects temporary keys after they expire', async () => {
    const out = await clients(emu.url).sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Reader`, RoleSessionName: 'short', DurationSeconds: 900 }));
    const c = out.Credentials!;
    const temp = clients(emu.url, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
    await expect(temp.sts.send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
    now += 901_000;
    await expect(temp.sts.send(new GetCallerIdentityCommand({}))).rejects.toBeInstanceOf(ExpiredTokenException);
    await expect(temp.gd.send(new ListDetectorsCommand({}))).rejects.toMatchObject({ name: 'ExpiredTokenException', $metadata: { httpStatusCode: 403 } });
    await expect(temp.ec2.send(new DescribeRegionsCommand({}))).rejects.toMatchObject({ name: 'RequestExpired' });
  });

  it('validates AssumeRole like STS', async () => {
    const sts = clients(emu.url).sts;
    const attempt = (input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]>) =>
      sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${TARGET}:role/GuardDutyReader`, RoleSessionName: 'ok-session', ExternalId: 'ext-42', ...input }));
    const validation = { name: 'ValidationError', $metadata: { httpStatusCode: 400 } };
    await expect(attempt({ RoleArn: 'arn:aws:iam::12345:role/x' })).rejects.toMatchObject(validation);
    await expect(attempt({ RoleSessionName: 'x' })).rejects.toMatchObject(validation);
    await expect(attempt({ RoleSessionName: 'has spaces' })).rejects.toMatchObject(validation);
    await expect(attempt({ DurationSeconds: 899 })).rejects.toMatchObject(validation);
    await expect(attempt({ DurationSeconds: 43201 })).rejects.toMatchObject(validation);
    const denied = { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } };
    await expect(attempt({ ExternalId: undefined })).rejects.toMatchObject(denied);
    await expect(attempt({ ExternalId: 'wrong' })).rejects.toMatchObject(denied);
    await expect(attempt({ RoleArn: `arn:aws:iam::${TARGET}:role/Nope` })).rejects.toMatchObject(denied);
    const err = await attempt({ ExternalId: 'wrong' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(STSServiceException);
    expect((err as Error).message).toContain('is not authorized to perform: sts:AssumeRole');
    // The role's MaxSessionDuration (AWS's default: one hour) caps DurationSeconds.
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Reader`, RoleSessionName: 'long', DurationSeconds: 7200 }))).rejects.toMatchObject(validation);
  });

  it('rejects unknown access keys in every protocol', async () => {
    const c = clients(emu.url, { accessKeyId: 'ASIAUNKNOWN000000001', secretAccessKey: 'x', sessionToken: 't' });
    await expect(c.sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } });
    await expect(c.ec2.send(new DescribeRegionsCommand({}))).rejects.toMatchObject({ name: 'AuthFailure', $metadata: { httpStatusCode: 401 } });
    await expect(c.gd.send(new ListDetectorsCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 403 } });
  });
});
