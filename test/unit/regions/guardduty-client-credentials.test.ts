import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator } from '../../../emulators/aws/index.js';
import { ExternalServiceError } from '../../../src/core/errors.js';
import { GuardDutyFindingsSource, type GuardDutySourceOptions } from '../../../src/regions/guardduty-client.js';
import type { ApiCallEvent } from '../../../src/util/api-observer.js';

const SOURCE = '123456789012';
const TARGET = '210987654321';
const sourceKey = { kind: 'static' as const, accessKeyId: 'AKIASOURCE0000000001', secretAccessKey: 'x' };
const assume = (overrides: Record<string, unknown> = {}) => ({
  kind: 'assume-role' as const, roleArn: `arn:aws:iam::${TARGET}:role/GuardDutyReader`, roleSessionName: 'guardduty-soar',
  durationSeconds: 3600, externalId: 'ext-42', source: sourceKey, ...overrides,
});

describe('credential modes against the emulator', () => {
  let emu: AwsEmulator;
  let emulatorNow = Date.now();
  let events: ApiCallEvent[] = [];
  const sources: GuardDutyFindingsSource[] = [];
  const source = (overrides: Partial<GuardDutySourceOptions>) => {
    const s = new GuardDutyFindingsSource({ masterRegion: 'us-east-1', credentials: sourceKey, observer: { onCall: (e) => events.push(e) }, ...overrides });
    sources.push(s);
    return s;
  };
  const counts = () => emu.calls().counts;
  const asiaKeys = () => Object.keys(emu.calls().byAccessKey).filter((k) => k.startsWith('ASIA'));

  beforeAll(async () => {
    emu = await startAwsEmulator({
      clock: { now: () => emulatorNow },
      accounts: [
        { accountId: SOURCE, accessKeys: [sourceKey.accessKeyId], regions: ['us-east-1'] },
        { accountId: TARGET, regions: ['us-east-1', 'eu-west-1', 'us-west-2'], roles: [{ name: 'GuardDutyReader', externalId: 'ext-42' }] },
      ],
    });
    process.env.AWS_ENDPOINT_URL_GUARDDUTY = emu.url;
    process.env.AWS_ENDPOINT_URL_EC2 = emu.url;
    process.env.AWS_ENDPOINT_URL_STS = emu.url;
  });
  beforeEach(() => {
    emu.resetCalls();
    events = [];
    emulatorNow = Date.now();
  });
  afterAll(async () => {
    for (const s of sources) s.close();
    await emu.close();
  });

  it('assumes the role once, then signs every call with the temporary ASIA key of the target account', async () => {
    const s = source({ credentials: assume() });
    expect(await s.identity()).toMatchObject({ account: TARGET, arn: `arn:aws:sts::${TARGET}:assumed-role/GuardDutyReader/guardduty-soar` });
    for (const region of ['us-east-1', 'eu-west-1', 'us-west-2']) expect(await s.listDetectors(region)).toEqual([emu.detectorsOf(TARGET)[region]]);
    await s.listRegions();
    expect(counts()['sts:AssumeRole']).toBe(1);
    expect(emu.calls().byAccessKey[sourceKey.accessKeyId]).toEqual({ 'sts:AssumeRole': 1 });
    expect(asiaKeys()).toHaveLength(1);
    expect(emu.calls().byAccessKey[asiaKeys()[0]]).toEqual({ 'sts:GetCallerIdentity': 1, 'guardduty:ListDetectors': 3, 'ec2:DescribeRegions': 1 });
    expect(events.filter((e) => e.operation === 'AssumeRole')).toEqual([expect.objectContaining({ service: 'sts', ok: true })]);
  });

  it('refreshes the credentials before they expire', async () => {
    // The emulator's clock runs 57 minutes behind: its one-hour credentials expire three minutes from
    // now in real time, inside the five-minute refresh window, so every use refreshes them.
    emulatorNow = Date.now() - 57 * 60_000;
    const s = source({ credentials: assume() });
    await s.listDetectors('us-east-1');
    await s.listDetectors('us-east-1');
    expect(counts()['sts:AssumeRole']).toBeGreaterThanOrEqual(2);
    expect(asiaKeys().length).toBeGreaterThanOrEqual(2);
    expect(counts()['guardduty:ListDetectors']).toBe(2);
  });

  it('reports a refused AssumeRole as a non-retryable STS error', async () => {
    const s = source({ credentials: assume({ externalId: 'wrong' }) });
    const err = await s.listDetectors('us-east-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalServiceError);
    expect(err).toMatchObject({ service: 'sts', operation: 'AssumeRole', code: 'AccessDenied', status: 403, retryable: false });
    expect((err as Error).message).toMatch(/trust policy/);
    expect(events.map((e) => `${e.service}:${e.operation}:${e.ok}`)).toEqual(['sts:AssumeRole:false', 'guardduty:ListDetectors:false']);
    expect(counts()['guardduty:ListDetectors']).toBeUndefined();
  });

  it('sends AssumeRole through the proxy too (the inner STS client gets our request handler)', async () => {
    const seen: string[] = [];
    const proxy = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${/Action=(\w+)/.exec(body)?.[1] ?? new URL(req.url!, 'http://x').pathname}`);
        // Lenient about relative request targets: src/util/proxy-routing.ts sends them on a reused
        // keep-alive connection to an http: destination (reported; not this adapter's concern).
        const target = req.url!.startsWith('http') ? req.url! : `http://${req.headers.host}${req.url}`;
        const upstream = http.request(target, { method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        upstream.end(body);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const s = source({ credentials: assume(), proxy: { httpProxy: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` } });
      await s.listDetectors('us-east-1');
      expect(seen).toEqual(['POST AssumeRole', 'GET /detector']);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('uses the default chain (here: the environment) when no keys are configured', async () => {
    process.env.AWS_ACCESS_KEY_ID = sourceKey.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = 'from-env';
    try {
      expect((await source({ credentials: { kind: 'default-chain' } }).identity()).account).toBe(SOURCE);
      const viaRole = source({ credentials: assume({ source: { kind: 'default-chain' } }) });
      expect((await viaRole.identity()).account).toBe(TARGET);
    } finally {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });
});
