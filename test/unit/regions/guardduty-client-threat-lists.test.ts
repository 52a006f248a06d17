import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator } from '../../../emulators/aws/index.js';
import { ExternalServiceError } from '../../../src/core/errors.js';
import { GuardDutyFindingsSource } from '../../../src/regions/guardduty-client.js';
import type { ApiCallEvent } from '../../../src/util/api-observer.js';

/** The threat-list calls of the GuardDuty adapter, real SDK against the AWS emulator. */
describe('GuardDutyFindingsSource: IPSets and ThreatIntelSets', () => {
  const ACCOUNT = '111111111111';
  const key = { kind: 'static' as const, accessKeyId: 'AKIATHREATLISTS00001', secretAccessKey: 'x' };
  let emu: AwsEmulator;
  let source: GuardDutyFindingsSource;
  const events: ApiCallEvent[] = [];
  const detector = (): string => emu.detectorsOf(ACCOUNT)['us-east-1'] ?? '';

  beforeAll(async () => {
    emu = await startAwsEmulator({ seed: 5, accounts: [{ accountId: ACCOUNT, accessKeys: [key.accessKeyId], regions: ['us-east-1'] }] });
    process.env.AWS_ENDPOINT_URL_GUARDDUTY = emu.url;
    source = new GuardDutyFindingsSource({ masterRegion: 'us-east-1', credentials: key, observer: { onCall: (e) => events.push(e) } });
  });
  afterAll(async () => {
    source.close();
    await emu.close();
  });

  it('creates, reads, pages, updates and deletes, with each answer\'s request id, status, attempts and headers', async () => {
    const spec = { name: 'Scanners', format: 'TXT', location: 's3://lists/scanners.txt', activate: true, tags: { Team: 'soc' } };
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await source.createList('us-east-1', detector(), 'threatintelset', { ...spec, name: `Scanners ${i}` })).id);
    const { list, meta } = await source.getList('us-east-1', detector(), 'threatintelset', ids[0] ?? '');
    expect(list).toEqual({ name: 'Scanners 0', format: 'TXT', location: 's3://lists/scanners.txt', status: 'ACTIVE', tags: { Team: 'soc' } });
    expect(meta).toEqual({ requestId: expect.any(String), httpStatusCode: 200, attempts: 1, headers: expect.objectContaining({ 'x-amzn-requestid': meta.requestId }) });

    const page1 = await source.listLists('us-east-1', detector(), 'threatintelset', { maxResults: 2 });
    expect(page1.ids).toHaveLength(2);
    const page2 = await source.listLists('us-east-1', detector(), 'threatintelset', { maxResults: 2, nextToken: page1.nextToken ?? '' });
    expect([...page1.ids, ...page2.ids].sort()).toEqual([...ids].sort());
    expect(page2.nextToken).toBeUndefined();

    await source.updateList('us-east-1', detector(), 'threatintelset', ids[1] ?? '', { activate: false });
    expect((await source.getList('us-east-1', detector(), 'threatintelset', ids[1] ?? '')).list.status).toBe('INACTIVE');
    for (const id of ids) await source.deleteList('us-east-1', detector(), 'threatintelset', id);
    expect((await source.listLists('us-east-1', detector(), 'threatintelset', {})).ids).toEqual([]);
    expect(events.filter((e) => e.operation === 'CreateThreatIntelSet' && e.ok)).toHaveLength(3);
  });

  it('a refusal leaves as ExternalServiceError naming the operation, reported once to the observer', async () => {
    events.length = 0;
    const error = await source.getList('us-east-1', detector(), 'ipset', '0'.repeat(32)).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ExternalServiceError);
    expect(error).toMatchObject({ service: 'guardduty', operation: 'GetIPSet', status: 400, code: 'BadRequestException', retryable: false });
    expect(events).toEqual([expect.objectContaining({ operation: 'GetIPSet', ok: false, status: 400 })]);
  });
});
