import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator } from '../../../emulators/aws/index.js';
import { ExternalServiceError } from '../../../src/core/errors.js';
import { GuardDutyFindingsSource } from '../../../src/regions/guardduty-client.js';
import type { ApiCallEvent } from '../../../src/util/api-observer.js';

/** Malware scans, filters, coverage and members through the GuardDuty adapter: real SDK against the AWS emulator. */
describe('GuardDutyFindingsSource: the respond calls', () => {
  const ADMIN = '111111111111';
  const MEMBER = '222222222222';
  const key = { kind: 'static' as const, accessKeyId: 'AKIARESPOND000000001', secretAccessKey: 'x' };
  let emu: AwsEmulator;
  let source: GuardDutyFindingsSource;
  const events: ApiCallEvent[] = [];
  const detector = (): string => emu.detectorsOf(ADMIN)['us-east-1'] ?? '';

  beforeAll(async () => {
    emu = await startAwsEmulator({
      seed: 8,
      accounts: [
        { accountId: ADMIN, accessKeys: [key.accessKeyId], regions: ['us-east-1'] },
        { accountId: MEMBER, accessKeys: ['AKIARESPONDMEMBER001'], regions: ['us-east-1'], administrator: ADMIN },
      ],
    });
    process.env.AWS_ENDPOINT_URL_GUARDDUTY = emu.url;
    source = new GuardDutyFindingsSource({ masterRegion: 'us-east-1', credentials: key, observer: { onCall: (e) => events.push(e) } });
  });
  afterAll(async () => {
    source.close();
    await emu.close();
  });

  it('starts a scan (the client token answers the same scan), follows it to its verdict and lists it', async () => {
    const arn = `arn:aws:ec2:us-east-1:${ADMIN}:instance/i-0123456789abcdef0`;
    emu.planMalwareScan(arn, { outcome: 'THREATS_FOUND', polls: 2, threats: [{ name: 'Trojan.Linux.Agent', hash: 'c'.repeat(64), paths: ['/usr/bin/.x'] }] });
    const scanId = await source.startMalwareScan('us-east-1', arn, 'invocation-1');
    expect(await source.startMalwareScan('us-east-1', arn, 'invocation-1')).toBe(scanId);
    expect(await source.getMalwareScan('us-east-1', scanId)).toMatchObject({ scanId, status: 'RUNNING', result: undefined, threats: [], resourceType: 'EC2_INSTANCE' });
    const done = await source.getMalwareScan('us-east-1', scanId);
    expect(done).toMatchObject({ status: 'COMPLETED', result: 'THREATS_FOUND', scanType: 'ON_DEMAND', completedAt: expect.any(String) });
    expect(done.threats).toEqual([{ name: 'Trojan.Linux.Agent', source: 'AMAZON', hash: 'c'.repeat(64), items: [{ path: '/usr/bin/.x', hash: 'c'.repeat(64), resourceArn: expect.stringMatching(/:volume\/vol-/) }] }]);
    expect(done.raw).toMatchObject({ ScanId: scanId, ScanStartedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), ScanResultDetails: { ScanResultStatus: 'THREATS_FOUND' } });
    const listed = await source.listMalwareScans('us-east-1', { criterion: { key: 'RESOURCE_ARN', equals: arn } });
    expect(listed).toEqual({ scans: [expect.objectContaining({ scanId, status: 'COMPLETED', result: 'THREATS_FOUND' })], nextToken: undefined });
    const missing = await source.getMalwareScan('us-east-1', 'f'.repeat(32)).then(() => undefined, (e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: 'ResourceNotFoundException' });
    expect(missing).toBeInstanceOf(ExternalServiceError);
  });

  it('creates, reads, updates, lists and deletes a suppression rule', async () => {
    const criteria = { type: { Equals: ['Recon:EC2/PortProbeUnprotectedPort'] }, accountId: { Equals: [ADMIN] } };
    expect(await source.createFilter('us-east-1', detector(), { name: 'soar-incident-12', action: 'ARCHIVE', criteria, description: 'from SOAR', clientToken: 't1' })).toBe('soar-incident-12');
    expect(await source.getFilter('us-east-1', detector(), 'soar-incident-12')).toMatchObject({
      Name: 'soar-incident-12', Action: 'ARCHIVE', Description: 'from SOAR', FindingCriteria: { Criterion: { type: { Equals: ['Recon:EC2/PortProbeUnprotectedPort'] } } },
    });
    await source.updateFilter('us-east-1', detector(), 'soar-incident-12', { action: 'NOOP', rank: 1 });
    expect(await source.getFilter('us-east-1', detector(), 'soar-incident-12')).toMatchObject({ Action: 'NOOP', Rank: 1 });
    expect(await source.listFilters('us-east-1', detector(), {})).toEqual({ names: ['soar-incident-12'], nextToken: undefined });
    await source.deleteFilter('us-east-1', detector(), 'soar-incident-12');
    expect((await source.listFilters('us-east-1', detector(), {})).names).toEqual([]);
  });

  it('reads coverage, its statistics, the members and their detectors', async () => {
    emu.addCoverage({ account: MEMBER, resourceId: 'i-0bad', coverageStatus: 'UNHEALTHY', issue: 'No agent reporting' });
    emu.addCoverage({ account: ADMIN, resourceId: 'i-0good', coverageStatus: 'HEALTHY' });
    const unhealthy = await source.listCoverage('us-east-1', detector(), { status: 'UNHEALTHY' });
    expect(unhealthy.resources).toEqual([expect.objectContaining({ resourceId: 'i-0bad', accountId: MEMBER, resourceType: 'EC2', status: 'UNHEALTHY', issue: 'No agent reporting' })]);
    expect(unhealthy.resources[0]?.raw).toMatchObject({ ResourceId: 'i-0bad', UpdatedAt: expect.any(String) });
    expect(await source.coverageStatistics('us-east-1', detector())).toEqual({ byStatus: { HEALTHY: 1, UNHEALTHY: 1 }, byResourceType: { EC2: 2 } });
    emu.setMemberRelationship(MEMBER, 'Disabled');
    expect(await source.listMembers('us-east-1', detector())).toEqual([{ accountId: MEMBER, detectorId: emu.detectorsOf(MEMBER)['us-east-1'], relationshipStatus: 'Disabled' }]);
    const { members, unprocessed } = await source.memberDetectors('us-east-1', detector(), [MEMBER, '999999999999']);
    expect(members[0]).toMatchObject({ accountId: MEMBER, features: expect.objectContaining({ RUNTIME_MONITORING: 'ENABLED' }) });
    expect(unprocessed).toEqual([{ accountId: '999999999999', reason: expect.stringMatching(/not a member/) }]);
    expect(events.filter((e) => e.operation === 'ListMembers')).toHaveLength(1);
  });
});
