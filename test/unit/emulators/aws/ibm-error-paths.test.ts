import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator } from '../../../../emulators/aws/index.js';
import { rawGuardDuty } from './raw-http.js';

/**
 * The answers IBM's fn_aws_guardduty keys on (issue 22): its client turns a ClientError whose text
 * names `BadRequestException` into a result, so the code must come in the `x-amzn-ErrorType` header
 * (botocore reads the code from there first; the body's `__type` is `InvalidInputException`, as AWS
 * sends it). Raw HTTP, so the status, header and body are seen as they are on the wire.
 */
describe('AWS emulator: the error paths IBM playbooks branch on', () => {
  let emu: AwsEmulator;
  let detectorId: string;
  const UNKNOWN_DETECTOR = 'a'.repeat(32);

  beforeAll(async () => {
    emu = await startAwsEmulator({ seed: 3, sampleFindings: 2 });
    detectorId = emu.detectors['us-east-1']!;
  });
  afterAll(() => emu.close());

  function expectBadRequest(res: Awaited<ReturnType<typeof rawGuardDuty>>, message: string): void {
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-ErrorType')).toBe('BadRequestException');
    expect(res.json).toEqual({ message: expect.stringContaining(message), __type: 'InvalidInputException' });
  }

  it('ArchiveFindings with an id the detector does not hold answers 200 {}, as AWS does', async () => {
    const res = await rawGuardDuty(emu.url, 'POST', `/detector/${detectorId}/findings/archive`, { findingIds: ['f'.repeat(32)] });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({});
  });

  it('ArchiveFindings on an unknown detector is 400 BadRequestException naming detectorId', async () => {
    const res = await rawGuardDuty(emu.url, 'POST', `/detector/${UNKNOWN_DETECTOR}/findings/archive`, { findingIds: ['f'.repeat(32)] });
    expectBadRequest(res, 'The request is rejected because the input detectorId is not owned by the current account.');
  });

  it.each([['ipset'], ['threatintelset']])('Create (%s) with a location AWS refuses is 400 BadRequestException naming location', async (kind) => {
    const res = await rawGuardDuty(emu.url, 'POST', `/detector/${detectorId}/${kind}`, { name: 'x', format: 'TXT', location: 'https://example.com/list.txt', activate: true });
    expectBadRequest(res, 'The request is rejected because the parameter location has an invalid value.');
    expect(emu.threatLists()).toEqual([]);
  });

  it.each([['ipset'], ['threatintelset']])('List (%s) with maxResults 100 is 400 BadRequestException naming maxResults (the model allows 1-50)', async (kind) => {
    const res = await rawGuardDuty(emu.url, 'GET', `/detector/${detectorId}/${kind}?maxResults=100`);
    expectBadRequest(res, 'The request is rejected because the parameter maxResults has an invalid value.');
  });

  it.each([['ipset'], ['threatintelset']])('List (%s) on an unknown detector is 400 BadRequestException naming detectorId', async (kind) => {
    const res = await rawGuardDuty(emu.url, 'GET', `/detector/${UNKNOWN_DETECTOR}/${kind}?maxResults=100`);
    expectBadRequest(res, 'detectorId is not owned by the current account');
  });

  it.each([['ipset', 'ipSetId'], ['threatintelset', 'threatIntelSetId']])('Update and Delete (%s) of an unknown set id are 400 BadRequestException naming the id', async (kind, member) => {
    const id = 'b'.repeat(32);
    expectBadRequest(await rawGuardDuty(emu.url, 'POST', `/detector/${detectorId}/${kind}/${id}`, { name: 'renamed' }), `the input ${member} ${id} is not owned`);
    expectBadRequest(await rawGuardDuty(emu.url, 'DELETE', `/detector/${detectorId}/${kind}/${id}`), `the input ${member} ${id} is not owned`);
  });
});
