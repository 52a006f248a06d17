import {
  ArchiveFindingsCommand, BadRequestException, CreateSampleFindingsCommand, GetAdministratorAccountCommand, GetDetectorCommand,
  GetFindingsCommand, GetFindingsStatisticsCommand, ListDetectorsCommand, ListFindingsCommand, UnarchiveFindingsCommand,
  UpdateFindingsFeedbackCommand, paginateListFindings, type GuardDutyClient,
} from '@aws-sdk/client-guardduty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_FINDING_TYPES, startAwsEmulator, type AwsEmulator } from '../../../../emulators/aws/index.js';
import { clients } from './sdk-clients.js';

describe('GuardDuty operations through the real SDK', () => {
  let emu: AwsEmulator;
  let gd: GuardDutyClient;
  let detectorId: string;
  const ids = (n: number) => Array.from({ length: n }, (_, i) => i.toString(16).padStart(32, '0'));

  beforeAll(async () => {
    emu = await startAwsEmulator({ sampleFindings: 0, seed: 3 });
    detectorId = emu.detectors['us-east-1']!;
    emu.generateFindings({ region: 'us-east-1', count: 123 });
    gd = clients(emu.url).gd;
  });
  afterAll(() => emu.close());

  it('lists the one detector of the region and describes it', async () => {
    const list = await gd.send(new ListDetectorsCommand({}));
    expect(list.DetectorIds).toEqual([detectorId]);
    expect((await clients(emu.url, undefined, 'eu-west-1').gd.send(new ListDetectorsCommand({}))).DetectorIds).toEqual([emu.detectors['eu-west-1']]);
    expect((await clients(emu.url, undefined, 'ap-south-1').gd.send(new ListDetectorsCommand({}))).DetectorIds).toEqual([]);
    const detector = await gd.send(new GetDetectorCommand({ DetectorId: detectorId }));
    expect(detector.Status).toBe('ENABLED');
    expect(detector.Features?.[0]?.UpdatedAt).toBeInstanceOf(Date);
    await expect(gd.send(new ListDetectorsCommand({ MaxResults: 51 }))).rejects.toBeInstanceOf(BadRequestException);
  });

  it('pages ListFindings 50 at a time with every id exactly once', async () => {
    const pages: string[][] = [];
    for await (const page of paginateListFindings({ client: gd }, { DetectorId: detectorId, MaxResults: 50 })) pages.push(page.FindingIds ?? []);
    expect(pages.map((p) => p.length)).toEqual([50, 50, 23]);
    expect(new Set(pages.flat()).size).toBe(123);
  });

  it('rejects a nextToken reused with different criteria, sort or page size', async () => {
    const criteria = { Criterion: { severity: { GreaterThanOrEqual: 1 } } };
    const first = await gd.send(new ListFindingsCommand({ DetectorId: detectorId, FindingCriteria: criteria, MaxResults: 10 }));
    const changed = [
      { FindingCriteria: { Criterion: { severity: { GreaterThanOrEqual: 2 } } }, MaxResults: 10 },
      { FindingCriteria: criteria, MaxResults: 10, SortCriteria: { AttributeName: 'updatedAt', OrderBy: 'DESC' as const } },
      { FindingCriteria: criteria, MaxResults: 11 },
    ];
    for (const input of changed) {
      const err = await gd.send(new ListFindingsCommand({ DetectorId: detectorId, NextToken: first.NextToken, ...input })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BadRequestException);
      expect((err as Error).message).toContain('Input Query has changed');
    }
    const same = await gd.send(new ListFindingsCommand({ DetectorId: detectorId, FindingCriteria: criteria, MaxResults: 10, NextToken: first.NextToken }));
    expect(same.FindingIds).toHaveLength(10);
    await expect(gd.send(new ListFindingsCommand({ DetectorId: detectorId, NextToken: 'garbage' }))).rejects.toBeInstanceOf(BadRequestException);
  });

  it('enforces the limits the SDK does not check', async () => {
    for (const MaxResults of [0, 51]) {
      await expect(gd.send(new ListFindingsCommand({ DetectorId: detectorId, MaxResults }))).rejects.toThrow(/maxResults/);
    }
    await expect(gd.send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: ids(51) }))).rejects.toBeInstanceOf(BadRequestException);
    await expect(gd.send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: [] }))).rejects.toBeInstanceOf(BadRequestException);
    await expect(gd.send(new ArchiveFindingsCommand({ DetectorId: detectorId, FindingIds: ids(51) }))).rejects.toBeInstanceOf(BadRequestException);
    await expect(gd.send(new UnarchiveFindingsCommand({ DetectorId: detectorId, FindingIds: ids(51) }))).rejects.toBeInstanceOf(BadRequestException);
    await expect(gd.send(new UpdateFindingsFeedbackCommand({ DetectorId: detectorId, FindingIds: ids(51), Feedback: 'USEFUL' }))).rejects.toBeInstanceOf(BadRequestException);
    const types = Array.from({ length: 51 }, () => SAMPLE_FINDING_TYPES[0]);
    await expect(gd.send(new CreateSampleFindingsCommand({ DetectorId: detectorId, FindingTypes: types }))).rejects.toBeInstanceOf(BadRequestException);
    expect((await gd.send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: ids(50) }))).Findings).toEqual([]);
  });

  it('answers an unknown detector like AWS: 400 BadRequestException, __type InvalidInputException', async () => {
    const err = await gd.send(new ListFindingsCommand({ DetectorId: 'a'.repeat(32) })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    const e = err as BadRequestException;
    expect(e.message).toBe('The request is rejected because the input detectorId is not owned by the current account.');
    // The body's `__type` is InvalidInputException (checked on the raw response in auth-and-faults);
    // this SDK version maps the member from `type`, so `e.Type` stays undefined, exactly as with AWS.
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    // A detector of the same account in another region is not owned "here" either.
    await expect(gd.send(new GetDetectorCommand({ DetectorId: emu.detectors['eu-west-1'] }))).rejects.toBeInstanceOf(BadRequestException);
  });

  it('returns only the findings it knows from GetFindings', async () => {
    const [known] = emu.listFindings({ region: 'us-east-1' });
    const out = await gd.send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: [known.id, 'f'.repeat(32), known.id] }));
    expect(out.Findings?.map((f) => f.Id)).toEqual([known.id]);
  });

  it('archives and unarchives without touching updatedAt', async () => {
    const [a, b] = emu.listFindings({ region: 'us-east-1', archived: false });
    await gd.send(new ArchiveFindingsCommand({ DetectorId: detectorId, FindingIds: [a.id, b.id, 'e'.repeat(32)] }));
    const archived = await gd.send(new ListFindingsCommand({ DetectorId: detectorId, FindingCriteria: { Criterion: { 'service.archived': { Equals: ['true'] } } } }));
    expect(archived.FindingIds?.sort()).toEqual([a.id, b.id].sort());
    expect(emu.getFinding(a.id)!.updatedAt).toBe(a.updatedAt);
    await gd.send(new UnarchiveFindingsCommand({ DetectorId: detectorId, FindingIds: [a.id] }));
    const got = await gd.send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: [a.id, b.id] }));
    expect(Object.fromEntries(got.Findings!.map((f) => [f.Id, f.Service?.Archived]))).toEqual({ [a.id]: false, [b.id]: true });
  });

  it('creates one sample finding per requested type, or one of every type', async () => {
    const r = clients(emu.url, undefined, 'us-west-2').gd;
    const west = emu.detectors['us-west-2'];
    const before = emu.listFindings({ region: 'us-west-2' }).length;
    await r.send(new CreateSampleFindingsCommand({ DetectorId: west, FindingTypes: ['Recon:EC2/PortProbeUnprotectedPort', 'Policy:IAMUser/RootCredentialUsage'] }));
    expect(emu.listFindings({ region: 'us-west-2' }).length).toBe(before + 2);
    await r.send(new CreateSampleFindingsCommand({ DetectorId: west }));
    const all = emu.listFindings({ region: 'us-west-2' });
    expect(all.length).toBe(before + 2 + SAMPLE_FINDING_TYPES.length);
    expect(all.every((f) => f.service.detectorId === west && JSON.parse(f.service.additionalInfo!.value as string).sample === true)).toBe(true);
    await expect(r.send(new CreateSampleFindingsCommand({ DetectorId: west, FindingTypes: ['Nope:EC2/Nothing'] }))).rejects.toBeInstanceOf(BadRequestException);
  });

  it('records feedback', async () => {
    const [f] = emu.listFindings({ region: 'us-east-1' });
    await gd.send(new UpdateFindingsFeedbackCommand({ DetectorId: detectorId, FindingIds: [f.id], Feedback: 'NOT_USEFUL', Comments: 'closed as false positive in SOAR' }));
    expect(emu.getFinding(f.id)!.service.userFeedback).toBe('NOT_USEFUL');
    await expect(gd.send(new UpdateFindingsFeedbackCommand({ DetectorId: detectorId, FindingIds: [f.id], Feedback: 'MEH' as 'USEFUL' }))).rejects.toThrow(/feedback/);
  });

  it('computes statistics by severity, type and account', async () => {
    const visible = emu.listFindings({ region: 'us-east-1' });
    const bySeverity = await gd.send(new GetFindingsStatisticsCommand({ DetectorId: detectorId, FindingStatisticTypes: ['COUNT_BY_SEVERITY'] }));
    const counts = bySeverity.FindingStatistics?.CountBySeverity ?? {};
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(visible.length);
    expect(Object.keys(counts)).toContain('8.0');
    const grouped = await gd.send(new GetFindingsStatisticsCommand({ DetectorId: detectorId, GroupBy: 'SEVERITY', MaxResults: 100 }));
    expect(grouped.FindingStatistics?.GroupedBySeverity?.reduce((a, g) => a + (g.TotalFindings ?? 0), 0)).toBe(visible.length);
    expect(grouped.FindingStatistics?.GroupedBySeverity?.[0]?.LastGeneratedAt).toBeInstanceOf(Date);
    const byType = await gd.send(new GetFindingsStatisticsCommand({ DetectorId: detectorId, GroupBy: 'FINDING_TYPE', OrderBy: 'ASC', MaxResults: 3 }));
    const totals = byType.FindingStatistics?.GroupedByFindingType?.map((g) => g.TotalFindings ?? 0) ?? [];
    expect(totals).toHaveLength(3);
    expect([...totals].sort((x, y) => x - y)).toEqual(totals);
    const byAccount = await gd.send(new GetFindingsStatisticsCommand({ DetectorId: detectorId, GroupBy: 'ACCOUNT' }));
    expect(byAccount.FindingStatistics?.GroupedByAccount).toEqual([expect.objectContaining({ AccountId: '123456789012', TotalFindings: visible.length })]);
    await expect(gd.send(new GetFindingsStatisticsCommand({ DetectorId: detectorId }))).rejects.toBeInstanceOf(BadRequestException);
  });

  it('reports no administrator for a standalone account', async () => {
    const out = await gd.send(new GetAdministratorAccountCommand({ DetectorId: detectorId }));
    expect(out.Administrator).toBeUndefined();
  });
});
