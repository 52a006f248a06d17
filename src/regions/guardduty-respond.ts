import {
  CreateFilterCommand, DeleteFilterCommand, GetCoverageStatisticsCommand, GetFilterCommand, GetMalwareScanCommand, GetMemberDetectorsCommand,
  ListCoverageCommand, ListFiltersCommand, ListMalwareScansCommand, ListMembersCommand, SendObjectMalwareScanCommand, StartMalwareScanCommand,
  UpdateFilterCommand, type CoverageResource, type GetMalwareScanResponse, type GuardDutyClient, type MalwareScan,
} from '@aws-sdk/client-guardduty';
import { toPlain, toSdkCriterion } from './sdk-shapes.js';
import type {
  CoverageApi, CoverageView, FilterSpec, FilterUpdate, FiltersApi, MalwareScanSummary, MalwareScanView, MalwareScansApi, MemberDetectorView,
  MemberView, ScanCriterion, ScanThreatView,
} from './respond-api.js';

/**
 * The respond calls (malware scans, filters, coverage, members) over the AWS SDK v3, for
 * `GuardDutyFindingsSource`, which hands in its region clients and its `call` (observer, gate,
 * error classification). SDK types stay in here.
 */

type Call = <T extends { $metadata: { httpStatusCode?: number; attempts?: number } }>(operation: string, region: string, send: () => Promise<T>) => Promise<T>;

export class GuardDutyRespond implements MalwareScansApi, FiltersApi, CoverageApi {
  constructor(private readonly client: (region: string) => GuardDutyClient, private readonly call: Call) {}

  async startMalwareScan(region: string, resourceArn: string, clientToken?: string): Promise<string> {
    const out = await this.call('StartMalwareScan', region, () => this.client(region).send(new StartMalwareScanCommand({ ResourceArn: resourceArn, ClientToken: clientToken })));
    return out.ScanId ?? '';
  }

  async getMalwareScan(region: string, scanId: string): Promise<MalwareScanView> {
    const { $metadata: _, ...scan } = await this.call('GetMalwareScan', region, () => this.client(region).send(new GetMalwareScanCommand({ ScanId: scanId })));
    return scanView(scan);
  }

  async listMalwareScans(
    region: string, page: { criterion?: ScanCriterion; maxResults?: number; nextToken?: string },
  ): Promise<{ scans: MalwareScanSummary[]; nextToken: string | undefined }> {
    const criterion = page.criterion;
    const input = {
      MaxResults: page.maxResults, NextToken: page.nextToken,
      FilterCriteria: criterion ? { ListMalwareScansFilterCriterion: [{ ListMalwareScansCriterionKey: criterion.key, FilterCondition: { EqualsValue: criterion.equals } }] } : undefined,
    };
    const out = await this.call('ListMalwareScans', region, () => this.client(region).send(new ListMalwareScansCommand(input)));
    return { scans: (out.Scans ?? []).map(summaryView), nextToken: out.NextToken || undefined };
  }

  async sendObjectMalwareScan(region: string, object: { bucket: string; key: string; versionId?: string }): Promise<void> {
    await this.call('SendObjectMalwareScan', region, () => this.client(region).send(new SendObjectMalwareScanCommand({
      S3Object: { Bucket: object.bucket, Key: object.key, VersionId: object.versionId },
    })));
  }

  async createFilter(region: string, detectorId: string, spec: FilterSpec): Promise<string> {
    const out = await this.call('CreateFilter', region, () => this.client(region).send(new CreateFilterCommand({
      DetectorId: detectorId, Name: spec.name, Description: spec.description, Action: spec.action, Rank: spec.rank,
      FindingCriteria: { Criterion: toSdkCriterion(spec.criteria) }, ClientToken: spec.clientToken, Tags: spec.tags,
    })));
    return out.Name ?? spec.name;
  }

  async updateFilter(region: string, detectorId: string, name: string, changes: FilterUpdate): Promise<void> {
    await this.call('UpdateFilter', region, () => this.client(region).send(new UpdateFilterCommand({
      DetectorId: detectorId, FilterName: name, Description: changes.description, Action: changes.action, Rank: changes.rank,
      FindingCriteria: changes.criteria ? { Criterion: toSdkCriterion(changes.criteria) } : undefined,
    })));
  }

  async deleteFilter(region: string, detectorId: string, name: string): Promise<void> {
    await this.call('DeleteFilter', region, () => this.client(region).send(new DeleteFilterCommand({ DetectorId: detectorId, FilterName: name })));
  }

  async listFilters(region: string, detectorId: string, page: { maxResults?: number; nextToken?: string }): Promise<{ names: string[]; nextToken: string | undefined }> {
    const out = await this.call('ListFilters', region, () =>
      this.client(region).send(new ListFiltersCommand({ DetectorId: detectorId, MaxResults: page.maxResults, NextToken: page.nextToken })));
    return { names: out.FilterNames ?? [], nextToken: out.NextToken || undefined };
  }

  async getFilter(region: string, detectorId: string, name: string): Promise<Record<string, unknown>> {
    const { $metadata: _, ...filter } = await this.call('GetFilter', region, () =>
      this.client(region).send(new GetFilterCommand({ DetectorId: detectorId, FilterName: name })));
    return toPlain(filter) as Record<string, unknown>;
  }

  async listCoverage(
    region: string, detectorId: string, page: { status?: string; maxResults?: number; nextToken?: string },
  ): Promise<{ resources: CoverageView[]; nextToken: string | undefined }> {
    const input = {
      DetectorId: detectorId, MaxResults: page.maxResults, NextToken: page.nextToken,
      FilterCriteria: page.status ? { FilterCriterion: [{ CriterionKey: 'COVERAGE_STATUS' as const, FilterCondition: { Equals: [page.status] } }] } : undefined,
    };
    const out = await this.call('ListCoverage', region, () => this.client(region).send(new ListCoverageCommand(input)));
    return { resources: (out.Resources ?? []).map(coverageView), nextToken: out.NextToken || undefined };
  }

  async coverageStatistics(region: string, detectorId: string): Promise<{ byStatus: Record<string, number>; byResourceType: Record<string, number> }> {
    const out = await this.call('GetCoverageStatistics', region, () => this.client(region).send(new GetCoverageStatisticsCommand({
      DetectorId: detectorId, StatisticsType: ['COUNT_BY_COVERAGE_STATUS', 'COUNT_BY_RESOURCE_TYPE'],
    })));
    return { byStatus: { ...out.CoverageStatistics?.CountByCoverageStatus }, byResourceType: { ...out.CoverageStatistics?.CountByResourceType } };
  }

  async listMembers(region: string, detectorId: string): Promise<MemberView[]> {
    const members: MemberView[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    for (;;) {
      const out = await this.call('ListMembers', region, () =>
        this.client(region).send(new ListMembersCommand({ DetectorId: detectorId, OnlyAssociated: 'false', MaxResults: 50, NextToken: token })));
      members.push(...(out.Members ?? []).map((m) => ({ accountId: m.AccountId ?? '', detectorId: m.DetectorId || undefined, relationshipStatus: m.RelationshipStatus ?? '' })));
      token = out.NextToken || undefined;
      if (!token || seen.has(token)) return members;
      seen.add(token);
    }
  }

  async memberDetectors(
    region: string, detectorId: string, accountIds: string[],
  ): Promise<{ members: MemberDetectorView[]; unprocessed: { accountId: string; reason: string }[] }> {
    const out = await this.call('GetMemberDetectors', region, () =>
      this.client(region).send(new GetMemberDetectorsCommand({ DetectorId: detectorId, AccountIds: accountIds })));
    return {
      members: (out.MemberDataSourceConfigurations ?? []).map((m) => ({
        accountId: m.AccountId ?? '', features: Object.fromEntries((m.Features ?? []).flatMap((f) => (f.Name && f.Status ? [[f.Name, f.Status]] : []))),
      })),
      unprocessed: (out.UnprocessedAccounts ?? []).map((u) => ({ accountId: u.AccountId ?? '', reason: u.Result ?? '' })),
    };
  }
}

function summaryView(scan: MalwareScan): MalwareScanSummary {
  return {
    scanId: scan.ScanId ?? '', resourceArn: scan.ResourceArn ?? '', resourceType: scan.ResourceType ?? '',
    status: (scan.ScanStatus ?? 'RUNNING'), result: scan.ScanResultStatus, scanType: scan.ScanType ?? '',
    startedAt: scan.ScanStartedAt?.toISOString(), completedAt: scan.ScanCompletedAt?.toISOString(),
  };
}

function scanView(scan: Omit<GetMalwareScanResponse, '$metadata'>): MalwareScanView {
  const details = scan.ScanResultDetails;
  const threats = (details?.Threats ?? []).map((t): ScanThreatView => ({
    name: t.Name ?? '', source: t.Source, hash: t.Hash,
    items: (t.ItemDetails ?? []).flatMap((i) => (i.ItemPath ? [{ path: i.ItemPath, hash: i.Hash || t.Hash, resourceArn: i.ResourceArn }] : [])),
  }));
  return {
    scanId: scan.ScanId ?? '', resourceArn: scan.ResourceArn ?? '', resourceType: scan.ResourceType ?? '',
    status: (scan.ScanStatus ?? 'RUNNING'), result: details?.ScanResultStatus,
    scanType: scan.ScanType ?? '', startedAt: scan.ScanStartedAt?.toISOString(), completedAt: scan.ScanCompletedAt?.toISOString(),
    statusReason: scan.ScanStatusReason, findingId: scan.ScanConfiguration?.TriggerDetails?.GuardDutyFindingId, threats,
    raw: toPlain(scan) as Record<string, unknown>,
  };
}

function coverageView(resource: CoverageResource): CoverageView {
  return {
    resourceId: resource.ResourceId ?? '', accountId: resource.AccountId ?? '', resourceType: resource.ResourceDetails?.ResourceType ?? '',
    status: resource.CoverageStatus ?? '', issue: resource.Issue || undefined, raw: toPlain(resource) as Record<string, unknown>,
  };
}
