import { BadRequestException, paginateListFindings, type Condition, type GuardDutyClient, type SortCriteria } from '@aws-sdk/client-guardduty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator, type JsonObject } from '../../../../emulators/aws/index.js';
import { rawGuardDuty } from './raw-http.js';
import { clients } from './sdk-clients.js';

const ADMIN = '111111111111';
const MEMBER = '222222222222';
const T0 = Date.parse('2025-03-01T00:00:00.000Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
const id = (n: string) => n.padStart(32, '0');

/** Four findings with known values; `d` belongs to the member account (the administrator sees it). */
const FINDINGS: Record<string, JsonObject> = {
  a: { id: id('a'), accountId: ADMIN, severity: 2, confidence: 2, type: 'Recon:EC2/PortProbeUnprotectedPort', createdAt: iso(0), updatedAt: iso(100),
    resource: { resourceType: 'Instance', instanceDetails: { instanceId: 'i-1', tags: [{ key: 'Name', value: 'web' }, { key: 'Env', value: 'prod' }],
      networkInterfaces: [{ publicIp: '203.0.113.1' }, { publicIp: '203.0.113.2' }] } },
    service: { archived: false, count: 1, action: { actionType: 'NETWORK_CONNECTION', networkConnectionAction: { blocked: false, localPortDetails: { port: 22 } } } } },
  b: { id: id('b'), accountId: ADMIN, severity: 5.5, confidence: 5, type: 'Recon:IAMUser/MaliciousIPCaller', createdAt: iso(10), updatedAt: iso(300),
    resource: { resourceType: 'AccessKey', accessKeyDetails: { userName: 'alice' } },
    service: { archived: true, count: 3, additionalInfo: { value: '{"threatListName":"CrowdStrike"}', type: 'default' } } },
  c: { id: id('c'), accountId: ADMIN, severity: 8, confidence: 8, type: 'Exfiltration:S3/MaliciousIPCaller', createdAt: iso(20), updatedAt: iso(200),
    resource: { resourceType: 'S3Bucket' }, service: { archived: false, count: 1 } },
  d: { id: id('d'), accountId: MEMBER, severity: 9.5, confidence: 9, type: 'AttackSequence:IAM/CompromisedCredentials', createdAt: iso(30), updatedAt: iso(200),
    resource: { resourceType: 'Instance', instanceDetails: { tags: [{ key: 'Env', value: 'dev' }] } },
    service: { archived: false, count: 1, action: { actionType: 'NETWORK_CONNECTION', networkConnectionAction: { blocked: true, localPortDetails: { port: 443 } } } } },
};
const NAMES = new Map(Object.entries(FINDINGS).map(([k, f]) => [f.id as string, k]));

describe('FindingCriteria and sortCriteria', () => {
  let emu: AwsEmulator;
  let gd: GuardDutyClient;
  let detectorId: string;

  beforeAll(async () => {
    emu = await startAwsEmulator({
      accounts: [
        { accountId: ADMIN, accessKeys: ['AKIAADMIN00000000001'], regions: ['us-east-1'] },
        { accountId: MEMBER, accessKeys: ['AKIAMEMBER0000000001'], regions: ['us-east-1'], administrator: ADMIN },
      ],
    });
    emu.addFindings(Object.values(FINDINGS));
    detectorId = emu.detectors['us-east-1']!;
    gd = clients(emu.url, { accessKeyId: 'AKIAADMIN00000000001', secretAccessKey: 'x' }).gd;
  });
  afterAll(() => emu.close());

  async function list(criterion: Record<string, Condition>, sort?: SortCriteria, pageSize = 2): Promise<string> {
    const names: string[] = [];
    const input = { DetectorId: detectorId, FindingCriteria: { Criterion: criterion }, SortCriteria: sort, MaxResults: pageSize };
    for await (const page of paginateListFindings({ client: gd }, input)) names.push(...(page.FindingIds ?? []).map((i) => NAMES.get(i) ?? i));
    return sort ? names.join('') : names.sort().join('');
  }

  const ms = (s: number) => T0 + s * 1000;
  const cases: [string, Record<string, Condition>, string][] = [
    ['severity equals', { severity: { Equals: ['5.5'] } }, 'b'],
    ['severity notEquals', { severity: { NotEquals: ['5.5', '2'] } }, 'cd'],
    ['severity greaterThan', { severity: { GreaterThan: 5 } }, 'bcd'],
    ['severity greaterThanOrEqual', { severity: { GreaterThanOrEqual: 8 } }, 'cd'],
    ['severity lessThan', { severity: { LessThan: 8 } }, 'ab'],
    ['severity lessThanOrEqual', { severity: { LessThanOrEqual: 8 } }, 'abc'],
    ['severity deprecated eq/neq', { severity: { Eq: ['8'], Neq: ['2'] } }, 'c'],
    ['severity deprecated gt/lt', { severity: { Gt: 2, Lt: 9 } }, 'bc'],
    ['severity deprecated gte/lte', { severity: { Gte: 2, Lte: 8 } }, 'abc'],
    ['a range on severity', { severity: { GreaterThanOrEqual: 4, LessThan: 9 } }, 'bc'],
    ['updatedAt greaterThanOrEqual (epoch ms)', { updatedAt: { GreaterThanOrEqual: ms(200) } }, 'bcd'],
    ['updatedAt greaterThan', { updatedAt: { GreaterThan: ms(200) } }, 'b'],
    ['updatedAt lessThan', { updatedAt: { LessThan: ms(200) } }, 'a'],
    ['updatedAt lessThanOrEqual', { updatedAt: { LessThanOrEqual: ms(200) } }, 'acd'],
    ['updatedAt equals', { updatedAt: { Equals: [String(ms(200))] } }, 'cd'],
    ['updatedAt notEquals', { updatedAt: { NotEquals: [String(ms(200))] } }, 'ab'],
    ['createdAt range', { createdAt: { GreaterThan: ms(0), LessThanOrEqual: ms(20) } }, 'bc'],
    ['service.archived false', { 'service.archived': { Equals: ['false'] } }, 'acd'],
    ['service.archived true', { 'service.archived': { Equals: ['true'] } }, 'b'],
    ['service.archived notEquals true', { 'service.archived': { NotEquals: ['true'] } }, 'acd'],
    ['type equals', { type: { Equals: ['Recon:EC2/PortProbeUnprotectedPort', 'Exfiltration:S3/MaliciousIPCaller'] } }, 'ac'],
    ['type notEquals', { type: { NotEquals: ['Recon:EC2/PortProbeUnprotectedPort'] } }, 'bcd'],
    ['accountId equals (member findings in the administrator view)', { accountId: { Equals: [MEMBER] } }, 'd'],
    ['accountId notEquals', { accountId: { NotEquals: [MEMBER] } }, 'abc'],
    ['region equals', { region: { Equals: ['us-east-1'] } }, 'abcd'],
    ['region other', { region: { Equals: ['eu-west-1'] } }, ''],
    ['resource.resourceType', { 'resource.resourceType': { Equals: ['Instance'] } }, 'ad'],
    ['id equals', { id: { Equals: [id('c'), id('d')] } }, 'cd'],
    ['id notEquals', { id: { NotEquals: [id('c')] } }, 'abd'],
    ['confidence greaterThanOrEqual', { confidence: { GreaterThanOrEqual: 5 } }, 'bcd'],
    ['confidence lessThan', { confidence: { LessThan: 5 } }, 'a'],
    ['any element of an array: tags.key', { 'resource.instanceDetails.tags.key': { Equals: ['Env'] } }, 'ad'],
    ['any element of an array: tags.value notEquals', { 'resource.instanceDetails.tags.value': { NotEquals: ['prod'] } }, 'bcd'],
    ['nested array: networkInterfaces.publicIp', { 'resource.instanceDetails.networkInterfaces.publicIp': { Equals: ['203.0.113.2'] } }, 'a'],
    ['boolean: networkConnectionAction.blocked', { 'service.action.networkConnectionAction.blocked': { Equals: ['true'] } }, 'd'],
    ['number: localPortDetails.port', { 'service.action.networkConnectionAction.localPortDetails.port': { LessThan: 100 } }, 'a'],
    ['threatListName inside additionalInfo.value', { 'service.additionalInfo.threatListName': { Equals: ['CrowdStrike'] } }, 'b'],
    ['several fields all hold', { severity: { GreaterThan: 1 }, 'service.archived': { Equals: ['false'] }, 'resource.resourceType': { Equals: ['Instance'] } }, 'ad'],
  ];

  it.each(cases)('%s', async (_name, criterion, expected) => {
    expect(await list(criterion)).toBe(expected);
  });

  const sorts: [string, string, 'ASC' | 'DESC', string][] = [
    ['severity', 'severity', 'ASC', 'abcd'],
    ['severity', 'severity', 'DESC', 'dcba'],
    ['updatedAt with an id tie-break', 'updatedAt', 'ASC', 'acdb'],
    ['updatedAt with an id tie-break', 'updatedAt', 'DESC', 'bcda'],
    ['createdAt', 'createdAt', 'DESC', 'dcba'],
    ['type', 'type', 'ASC', 'dcab'],
    ['accountId', 'accountId', 'DESC', 'dabc'],
    ['id', 'id', 'DESC', 'dcba'],
    ['confidence', 'confidence', 'ASC', 'abcd'],
    ['resource.resourceType', 'resource.resourceType', 'ASC', 'badc'],
  ];

  it.each(sorts)('sorts by %s (%s %s)', async (_name, attribute, order, expected) => {
    // Page size 1: the order must hold across pages, not only inside one.
    expect(await list({}, { AttributeName: attribute, OrderBy: order }, 1)).toBe(expected);
  });

  it('rejects unknown fields, unknown or misplaced operators and out-of-range deprecated operands', async () => {
    const bad: Record<string, Condition>[] = [
      { 'resource.nothing': { Equals: ['x'] } },
      { type: { GreaterThan: 3 } },
      { type: { Matches: ['Recon*'] } },
      { updatedAt: { Gte: Date.now() } },
      { severity: {} },
    ];
    for (const criterion of bad) {
      await expect(list(criterion), JSON.stringify(criterion)).rejects.toBeInstanceOf(BadRequestException);
    }
    await expect(list({}, { AttributeName: 'resource.nothing' })).rejects.toBeInstanceOf(BadRequestException);
    const raw = await rawGuardDuty(emu.url, 'POST', `/detector/${detectorId}/findings`,
      { findingCriteria: { criterion: { severity: { between: [1, 2] } } } }, { accessKeyId: 'AKIAADMIN00000000001' });
    expect(raw.status).toBe(400);
    expect(raw.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(raw.json.message).toMatch(/operator between/);
  });
});
