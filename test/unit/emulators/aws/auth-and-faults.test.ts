import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import {
  ArchiveFindingsCommand, GetFindingsCommand, GuardDutyClient, InternalServerErrorException, ListDetectorsCommand, ListFindingsCommand,
} from '@aws-sdk/client-guardduty';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator } from '../../../../emulators/aws/index.js';
import { fakeAuthorization, rawGuardDuty } from './raw-http.js';
import { DEFAULT_KEY, clients } from './sdk-clients.js';

describe('SigV4, regions and fault injection', () => {
  let emu: AwsEmulator;
  let detectorId: string;

  beforeAll(async () => {
    emu = await startAwsEmulator({ seed: 11, sampleFindings: 5 });
    detectorId = emu.detectors['us-east-1']!;
  });
  afterEach(() => {
    emu.clearFaults();
    emu.resetCalls();
  });
  afterAll(() => emu.close());

  it('rejects a request without SigV4 as API Gateway does', async () => {
    const res = await rawGuardDuty(emu.url, 'GET', '/detector', undefined, { authorization: null });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json).toEqual({ message: 'Missing Authentication Token', __type: 'MissingAuthenticationTokenException' });
    const malformed = await rawGuardDuty(emu.url, 'GET', '/detector', undefined, { authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/x' });
    expect(malformed.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    const sts = await fetch(emu.url, { method: 'POST', body: 'Action=GetCallerIdentity&Version=2011-06-15', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(sts.status).toBe(403);
    expect(await sts.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('sends the AWS error envelope: x-amzn-ErrorType header, {message, __type} body, JSON content type', async () => {
    const res = await rawGuardDuty(emu.url, 'POST', `/detector/${'0'.repeat(32)}/findings`, {});
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(res.json).toEqual({ message: 'The request is rejected because the input detectorId is not owned by the current account.', __type: 'InvalidInputException' });
  });

  it('takes the region from the credential scope, never from the Host', async () => {
    const res = await rawGuardDuty(emu.url, 'GET', '/detector', undefined, { region: 'eu-west-1' });
    expect(res.json.detectorIds).toEqual([emu.detectors['eu-west-1']]);
    const wrongService = await fetch(`${emu.url}/detector`, { headers: { authorization: fakeAuthorization('AKIAEMULATOR00000001', 'us-east-1', 'ec2') } });
    expect(wrongService.status).toBe(403);
  });

  it('answers calls into an opt-in region the account has not enabled with UnrecognizedClientException', async () => {
    const gd = clients(emu.url, DEFAULT_KEY, 'af-south-1').gd;
    const err = await gd.send(new ListDetectorsCommand({})).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.', $metadata: { httpStatusCode: 403 } });
  });

  it('a 500 fault is retried by the SDK: the calls show attempts 1, 2, 3', async () => {
    emu.setFault({ service: 'guardduty', operation: 'ListFindings', failNext: 2, statuses: [500] });
    const out = await clients(emu.url).gd.send(new ListFindingsCommand({ DetectorId: detectorId }));
    expect(out.$metadata.attempts).toBe(3);
    const calls = emu.calls();
    expect(calls.counts['guardduty:ListFindings']).toBe(3);
    expect(calls.records.map((r) => [r.attempt, r.status])).toEqual([[1, 500], [2, 500], [3, 200]]);
    expect(new Set(calls.records.map((r) => r.invocationId)).size).toBe(1);
    expect(calls.byAccessKey[DEFAULT_KEY.accessKeyId]).toEqual({ 'guardduty:ListFindings': 3 });
  });

  it('gives up after maxAttempts with the modeled 500 error', async () => {
    emu.setFault({ service: 'guardduty', failNext: 5 });
    const err = await clients(emu.url).gd.send(new ListDetectorsCommand({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerErrorException);
    expect((err as InternalServerErrorException).$metadata.attempts).toBe(3);
  });

  it('throttles with 429 TooManyRequestsException, EC2 503 RequestLimitExceeded and STS 400 Throttling, all retried', async () => {
    emu.setFault({ service: 'guardduty', failNext: 1, statuses: [429] });
    emu.setFault({ service: 'ec2', failNext: 1 });
    emu.setFault({ service: 'sts', failNext: 1 });
    const c = clients(emu.url);
    expect((await c.gd.send(new ListDetectorsCommand({}))).$metadata.attempts).toBe(2);
    expect((await c.ec2.send(new DescribeRegionsCommand({}))).$metadata.attempts).toBe(2);
    expect((await c.sts.send(new GetCallerIdentityCommand({}))).$metadata.attempts).toBe(2);
    const single = new GuardDutyClient({ endpoint: emu.url, region: 'us-east-1', credentials: DEFAULT_KEY, maxAttempts: 1 });
    emu.setFault({ service: 'guardduty', failNext: 1, statuses: [429] });
    await expect(single.send(new ListDetectorsCommand({}))).rejects.toMatchObject({ name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
  });

  it("mode 'after' applies the change and still answers the error", async () => {
    const single = new GuardDutyClient({ endpoint: emu.url, region: 'us-east-1', credentials: DEFAULT_KEY, maxAttempts: 1 });
    const [f] = emu.listFindings({ region: 'us-east-1', archived: false });
    emu.setFault({ operation: 'ArchiveFindings', failNext: 1, mode: 'after' });
    await expect(single.send(new ArchiveFindingsCommand({ DetectorId: detectorId, FindingIds: [f.id] }))).rejects.toBeInstanceOf(InternalServerErrorException);
    expect(emu.getFinding(f.id)!.service.archived).toBe(true);
  });

  it('resets connections (the SDK sees a network error and retries)', async () => {
    emu.setFault({ operation: 'GetFindings', failNext: 1, reset: true });
    const out = await clients(emu.url).gd.send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: ['1'.repeat(32)] }));
    expect(out.$metadata.attempts).toBe(2);
    expect(emu.calls().records.map((r) => r.status)).toEqual([undefined, 200]);
  });

  it('adds latency, and error rates are deterministic for a seed', async () => {
    emu.setFault({ operation: 'ListDetectors', latencyMs: 120 });
    const started = Date.now();
    await clients(emu.url).gd.send(new ListDetectorsCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    emu.clearFaults();

    const pattern = async (): Promise<string> => {
      const other = await startAwsEmulator({ seed: 99 });
      other.setFault({ service: 'guardduty', errorRate: 0.5 });
      const single = new GuardDutyClient({ endpoint: other.url, region: 'us-east-1', credentials: DEFAULT_KEY, maxAttempts: 1 });
      let out = '';
      for (let i = 0; i < 12; i++) out += await single.send(new ListDetectorsCommand({})).then(() => '.', () => 'x');
      await other.close();
      return out;
    };
    const first = await pattern();
    expect(first).toMatch(/x/);
    expect(first).toMatch(/\./);
    expect(await pattern()).toBe(first);
  });
});
