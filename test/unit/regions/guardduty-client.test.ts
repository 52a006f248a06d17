import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator, type JsonObject } from '../../../emulators/aws/index.js';
import { ExternalServiceError } from '../../../src/core/errors.js';
import { GuardDutyFindingsSource, type GuardDutySourceOptions } from '../../../src/regions/guardduty-client.js';
import type { ApiCallEvent } from '../../../src/util/api-observer.js';

const ADMIN = '111111111111';
const MEMBER = '222222222222';
const adminKey = { kind: 'static' as const, accessKeyId: 'AKIAADMIN00000000001', secretAccessKey: 'x' };
const memberKey = { kind: 'static' as const, accessKeyId: 'AKIAMEMBER0000000001', secretAccessKey: 'x' };
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/aws/${name}`, import.meta.url), 'utf8')) as JsonObject;

describe('GuardDutyFindingsSource against the AWS emulator (real SDK end to end)', () => {
  let emu: AwsEmulator;
  let events: ApiCallEvent[] = [];
  const sources: GuardDutyFindingsSource[] = [];

  function source(overrides: Partial<GuardDutySourceOptions> = {}): GuardDutyFindingsSource {
    const s = new GuardDutyFindingsSource({ masterRegion: 'us-east-1', credentials: adminKey, observer: { onCall: (e) => events.push(e) }, ...overrides });
    sources.push(s);
    return s;
  }
  const detector = (account = ADMIN, region = 'us-east-1') => emu.detectorsOf(account)[region];

  beforeAll(async () => {
    emu = await startAwsEmulator({
      seed: 21,
      accounts: [
        { accountId: ADMIN, accessKeys: [adminKey.accessKeyId], regions: ['us-east-1', 'eu-west-1'] },
        { accountId: MEMBER, accessKeys: [memberKey.accessKeyId], regions: ['us-east-1'], administrator: ADMIN },
      ],
    });
    // The SDK's standard endpoint override: the adapter has no endpoint option of its own.
    process.env.AWS_ENDPOINT_URL_GUARDDUTY = emu.url;
    process.env.AWS_ENDPOINT_URL_EC2 = emu.url;
    process.env.AWS_ENDPOINT_URL_STS = emu.url;
    emu.generateFindings({ account: ADMIN, region: 'us-east-1', count: 60, spreadMs: 3_600_000 });
    emu.generateFindings({ account: MEMBER, region: 'us-east-1', count: 5 });
  });
  afterEach(() => {
    events = [];
    emu.clearFaults();
    emu.resetCalls();
    emu.setLatency(0);
  });
  afterAll(async () => {
    for (const s of sources) s.close();
    await emu.close();
  });

  it('answers identity, regions and detectors', async () => {
    const s = source();
    expect(await s.identity()).toEqual({ account: ADMIN, arn: `arn:aws:iam::${ADMIN}:user/emulator-user`, userId: expect.stringMatching(/^AIDA/) });
    const regions = await s.listRegions();
    expect(regions).toHaveLength(17);
    expect(regions[0]).toEqual({ name: 'us-east-1', optInStatus: 'opt-in-not-required' });
    expect(await s.listDetectors('eu-west-1')).toEqual([detector(ADMIN, 'eu-west-1')]);
    expect(await s.listDetectors('ap-south-1')).toEqual([]);
    expect(events.map((e) => `${e.service}:${e.operation}:${e.ok}:${e.attempts}`)).toEqual([
      'sts:GetCallerIdentity:true:1', 'ec2:DescribeRegions:true:1', 'guardduty:ListDetectors:true:1', 'guardduty:ListDetectors:true:1',
    ]);
  });

  it('lists finding ids page by page with frozen criteria, sort and page size', async () => {
    const all = emu.listFindings();
    const since = [...all].map((f) => Date.parse(f.updatedAt)).sort((a, b) => a - b)[20];
    const expected = all.filter((f) => !f.service.archived && f.severity >= 4 && Date.parse(f.updatedAt) >= since);
    const pages: string[][] = [];
    const request = {
      criteria: { 'service.archived': { Equals: ['false'] }, severity: { GreaterThanOrEqual: 4 }, updatedAt: { GreaterThanOrEqual: since } },
      sortBy: 'updatedAt', order: 'ASC' as const, pageSize: 7,
    };
    for await (const page of source().listFindingIds('us-east-1', detector(), request)) pages.push(page);
    expect(pages.every((p) => p.length <= 7)).toBe(true);
    expect(pages.length).toBe(Math.ceil(expected.length / 7));
    const ids = pages.flat();
    expect(new Set(ids)).toEqual(new Set(expected.map((f) => f.id)));
    const times = ids.map((id) => Date.parse(emu.getFinding(id)!.updatedAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(events.filter((e) => e.operation === 'ListFindings' && e.ok)).toHaveLength(pages.length);
  });

  it('converts GetFindings output to our plain Finding: timestamps as ISO strings, nothing else changed', async () => {
    const [s3, ecs] = emu.addFindings([
      { ...fixture('finding-s3-exfiltration-two-buckets.json'), accountId: ADMIN, arn: undefined },
      { ...fixture('finding-ecs-runtime-bitcoin.json'), accountId: ADMIN, arn: undefined },
    ]);
    const findings = await source().getFindings('us-east-1', detector(), [s3.id, 'f'.repeat(32), ecs.id]);
    expect(findings.map((f) => f.Id)).toEqual([s3.id, ecs.id]);
    const [bucketFinding, ecsFinding] = findings;
    expect(bucketFinding).toMatchObject({
      AccountId: ADMIN, Type: 'Exfiltration:S3/MaliciousIPCaller', CreatedAt: '2025-02-28T05:35:30.020Z', UpdatedAt: '2025-03-03T15:18:49.613Z',
      Service: { Count: 4, Archived: false, AdditionalInfo: { Value: '{"sample":true}', Type: 'default' } },
    });
    expect(bucketFinding.Resource?.S3BucketDetails?.map((b) => [b.Name, b.CreatedAt])).toEqual([
      ['customer-data-e19953', '2024-08-12T05:35:30.000Z'], [expect.stringMatching(/^backups-/), '2024-08-12T05:35:30.000Z'],
    ]);
    expect(ecsFinding.Resource?.EcsClusterDetails?.TaskDetails?.TaskCreatedAt).toBe('2025-03-02T19:44:39.000Z');
    expect(ecsFinding.Service?.RuntimeDetails?.Process?.StartTime).toBe(new Date(1741015523_000).toISOString());
    const json = JSON.stringify(findings);
    expect(JSON.parse(json)).toEqual(findings);
  });

  it('fetches more than 50 ids in batches of 50', async () => {
    const ids = emu.listFindings({ account: ADMIN, region: 'us-east-1' }).map((f) => f.id);
    expect(ids.length).toBeGreaterThan(50);
    expect(await source().getFindings('us-east-1', detector(), ids)).toHaveLength(ids.length);
    expect(emu.calls().counts['guardduty:GetFindings']).toBe(2);
    expect(await source().getFindings('us-east-1', detector(), [])).toEqual([]);
  });

  it('archives findings and sends feedback', async () => {
    const [a, b] = emu.listFindings({ account: ADMIN, archived: false });
    await source().archiveFindings('us-east-1', detector(), [a.id]);
    expect(emu.getFinding(a.id)!.service.archived).toBe(true);
    await source().sendFeedback('us-east-1', detector(), [b.id], 'USEFUL', 'confirmed in SOAR');
    expect(emu.getFinding(b.id)!.service.userFeedback).toBe('USEFUL');
  });

  it("explains a member's archive refusal as a non-retryable ExternalServiceError", async () => {
    const [memberFinding] = emu.listFindings({ account: MEMBER });
    const err = await source({ credentials: memberKey }).archiveFindings('us-east-1', detector(MEMBER), [memberFinding.id]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalServiceError);
    expect(err).toMatchObject({ service: 'guardduty', operation: 'ArchiveFindings', status: 400, code: 'BadRequestException', retryable: false });
    expect((err as Error).message).toMatch(/only the GuardDuty administrator account can archive findings/);
    expect(events.at(-1)).toMatchObject({ operation: 'ArchiveFindings', ok: false, status: 400, code: 'BadRequestException', attempts: 1 });
  });

  it('names the administrator of a member, none for the administrator itself', async () => {
    expect(await source({ credentials: memberKey }).administratorOf('us-east-1', detector(MEMBER))).toBe(ADMIN);
    expect(await source().administratorOf('us-east-1', detector())).toBeUndefined();
  });

  it('classifies an unknown detector as non-retryable', async () => {
    const err = await source().getFindings('us-east-1', 'a'.repeat(32), ['b'.repeat(32)]).catch((e: unknown) => e);
    expect(err).toMatchObject({ service: 'guardduty', operation: 'GetFindings', status: 400, code: 'BadRequestException', retryable: false });
    expect((err as Error).message).toContain('GuardDuty GetFindings in us-east-1 failed: BadRequestException (HTTP 400)');
  });

  it('lets the SDK retry throttling and reports the retries; never retries on top of it', async () => {
    emu.setFault({ service: 'guardduty', operation: 'ListDetectors', failNext: 2, statuses: [429] });
    expect(await source().listDetectors('us-east-1')).toEqual([detector()]);
    expect(events.at(-1)).toMatchObject({ operation: 'ListDetectors', ok: true, attempts: 3, throttleRetries: 2 });
    expect(emu.calls().counts['guardduty:ListDetectors']).toBe(3);

    emu.setFault({ service: 'guardduty', operation: 'ListDetectors', failNext: 10, statuses: [429] });
    const err = await source().listDetectors('us-east-1').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TooManyRequestsException', status: 429, retryable: true });
    expect(events.at(-1)).toMatchObject({ ok: false, attempts: 3, throttleRetries: 2, code: 'TooManyRequestsException' });
    expect(emu.calls().counts['guardduty:ListDetectors']).toBe(6);
  });

  it('honours maxAttempts and classifies 5xx, resets and timeouts as retryable', async () => {
    emu.setFault({ service: 'guardduty', failNext: 1, statuses: [500] });
    const single = source({ maxAttempts: 1 });
    await expect(single.listDetectors('us-east-1')).rejects.toMatchObject({ code: 'InternalServerErrorException', status: 500, retryable: true });
    emu.setFault({ service: 'guardduty', failNext: 1, reset: true });
    await expect(single.listDetectors('us-east-1')).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/), retryable: true });
    emu.clearFaults();
    emu.setLatency(400);
    const err = await source({ maxAttempts: 1, timeoutMs: 100 }).listDetectors('us-east-1').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: expect.stringMatching(/ETIMEDOUT|TimeoutError/), retryable: true });
    expect((err as Error).message).toMatch(/could not be reached/);
  });

  it('stops on a repeated nextToken with a warning instead of looping', async () => {
    const looping = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ findingIds: ['0'.repeat(32)], nextToken: 'same-token' }));
    });
    await new Promise<void>((resolve) => looping.listen(0, '127.0.0.1', resolve));
    const previous = process.env.AWS_ENDPOINT_URL_GUARDDUTY;
    process.env.AWS_ENDPOINT_URL_GUARDDUTY = `http://127.0.0.1:${(looping.address() as AddressInfo).port}`;
    const warnings: unknown[] = [];
    try {
      const s = source({ logger: { warn: (...args: unknown[]) => warnings.push(args) } as unknown as GuardDutySourceOptions['logger'] });
      const pages: string[][] = [];
      for await (const page of s.listFindingIds('us-east-1', detector(), { criteria: {}, sortBy: 'updatedAt', order: 'ASC', pageSize: 50 })) pages.push(page);
      expect(pages).toHaveLength(2);
      expect(warnings).toHaveLength(1);
    } finally {
      process.env.AWS_ENDPOINT_URL_GUARDDUTY = previous;
      await new Promise((resolve) => looping.close(resolve));
    }
  });

  it('routes through the configured proxy, and around it for NO_PROXY hosts', async () => {
    const seen: string[] = [];
    const proxy = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const upstream = http.request(req.url!, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      expect(await source({ proxy: { httpProxy: proxyUrl } }).listDetectors('us-east-1')).toEqual([detector()]);
      expect(seen).toEqual([`GET ${emu.url}/detector?maxResults=50`]);
      await source({ proxy: { httpProxy: proxyUrl, noProxy: '127.0.0.1' } }).listDetectors('us-east-1');
      expect(seen).toHaveLength(1);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
