import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import {
  ArchiveFindingsCommand, CreateSampleFindingsCommand, GetAdministratorAccountCommand, GetDetectorCommand, GetFindingsCommand, ListDetectorsCommand,
  ListFindingsCommand, ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand, UnarchiveFindingsCommand, UpdateFindingsFeedbackCommand,
  UpdateDetectorCommand, type DetectorFeature, type FindingPublishingFrequency,
} from '@aws-sdk/client-guardduty';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { systemClock, type Clock } from '../core/clock.js';
import { isAbandoned, type ServiceName } from '../core/errors.js';
import type { Criteria } from '../findings/criteria.js';
import type { Feedback, Finding } from '../findings/finding.js';
import type { Logger } from '../logging/logger.js';
import { nullObserver, type ApiObserver } from '../util/api-observer.js';
import type { RouteCounts } from '../util/proxy-routing.js';
import { AwsClients, withCallStats, type AwsClientsOptions } from './aws-clients.js';
import { awsErrorAttempts, awsErrorCode, awsErrorStatus, classifyAwsError, isThrottlingError } from './aws-errors.js';
import type { CallerIdentity, DetectorUpdate, FindingsSource, ListFindingsRequest, RegionInfo } from './findings-source.js';
import { GuardDutyThreatLists } from './guardduty-threat-lists.js';
import { S3ListObjects, type ListObject, type ListWrite } from './s3-lists.js';
import { toFinding, toPlain, toSdkCriterion } from './sdk-shapes.js';
import type { ListCreate, ListKind, ListUpdate, ListView, ResponseMeta } from './threat-lists.js';

/**
 * `FindingsSource` over the AWS SDK v3: GuardDuty, EC2 DescribeRegions, STS, S3 (list objects, in
 * s3-lists.ts) and the threat lists (guardduty-threat-lists.ts). SDK types stay in these files;
 * every failure leaves as `ExternalServiceError`; every logical call is reported to the observer.
 * Retries are the SDK's alone (standard mode, `maxAttempts`): we never add our own.
 */

export interface GuardDutySourceOptions extends AwsClientsOptions {
  observer?: ApiObserver | undefined;
  logger?: Logger | undefined;
  clock?: Clock | undefined;
}

/** GuardDuty accepts at most 50 ids per GetFindings / ArchiveFindings / UpdateFindingsFeedback. */
const ID_BATCH = 50;

export class GuardDutyFindingsSource implements FindingsSource {
  private readonly clients: AwsClients;
  private readonly observer: ApiObserver;
  private readonly clock: Clock;
  private readonly listObjects: S3ListObjects;
  private readonly threatLists: GuardDutyThreatLists;

  constructor(private readonly options: GuardDutySourceOptions) {
    this.clients = new AwsClients(options);
    this.observer = options.observer ?? nullObserver;
    this.clock = options.clock ?? systemClock;
    this.listObjects = new S3ListObjects((region) => this.clients.s3(region), (operation, region, send) => this.call('s3', operation, region, send));
    this.threatLists = new GuardDutyThreatLists((region) => this.clients.guardDuty(region), (operation, region, send) => this.call('guardduty', operation, region, send));
  }

  /** Requests sent through the proxy and straight to AWS so far (`check` says which way its calls went). */
  routed(): Record<'http' | 'https', RouteCounts> {
    return this.clients.routed;
  }

  async identity(): Promise<CallerIdentity> {
    const region = this.options.masterRegion;
    const out = await this.call('sts', 'GetCallerIdentity', region, () => this.clients.sts(region).send(new GetCallerIdentityCommand({})));
    return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
  }

  async listRegions(): Promise<RegionInfo[]> {
    const region = this.options.masterRegion;
    const out = await this.call('ec2', 'DescribeRegions', region, () => this.clients.ec2(region).send(new DescribeRegionsCommand({})));
    return (out.Regions ?? []).flatMap((r) => (r.RegionName ? [{ name: r.RegionName, optInStatus: r.OptInStatus ?? 'opt-in-not-required' }] : []));
  }

  async listDetectors(region: string): Promise<string[]> {
    const ids: string[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    for (;;) {
      const out = await this.call('guardduty', 'ListDetectors', region, () =>
        this.clients.guardDuty(region).send(new ListDetectorsCommand({ MaxResults: 50, NextToken: token })));
      ids.push(...(out.DetectorIds ?? []));
      token = this.nextToken(out.NextToken, seen, { operation: 'ListDetectors', region });
      if (!token) return ids;
    }
  }

  async *listFindingIds(region: string, detectorId: string, request: ListFindingsRequest): AsyncIterable<string[]> {
    // Built once: every page must send exactly the same query, or GuardDuty rejects the nextToken.
    const frozen = {
      DetectorId: detectorId,
      FindingCriteria: { Criterion: toSdkCriterion(request.criteria) },
      SortCriteria: { AttributeName: request.sortBy, OrderBy: request.order },
      MaxResults: request.pageSize,
    };
    const seen = new Set<string>();
    let token: string | undefined;
    for (;;) {
      const input = { ...frozen, NextToken: token };
      const out = await this.call('guardduty', 'ListFindings', region, () => this.clients.guardDuty(region).send(new ListFindingsCommand(input)));
      // GuardDuty may answer an empty page that still carries a nextToken: keep going, yield nothing.
      if (out.FindingIds && out.FindingIds.length > 0) yield out.FindingIds;
      token = this.nextToken(out.NextToken, seen, { operation: 'ListFindings', region, detectorId });
      if (!token) return;
    }
  }

  async listFindingsPage(
    region: string, detectorId: string, page: { criteria: Criteria; maxResults?: number; nextToken?: string },
  ): Promise<{ ids: string[]; nextToken: string | undefined }> {
    const input = {
      DetectorId: detectorId, FindingCriteria: { Criterion: toSdkCriterion(page.criteria) },
      SortCriteria: { AttributeName: 'updatedAt', OrderBy: 'DESC' as const }, MaxResults: page.maxResults, NextToken: page.nextToken,
    };
    const out = await this.call('guardduty', 'ListFindings', region, () => this.clients.guardDuty(region).send(new ListFindingsCommand(input)));
    return { ids: out.FindingIds ?? [], nextToken: out.NextToken || undefined };
  }

  async getFindings(region: string, detectorId: string, ids: string[]): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const batch of batches(ids)) {
      const out = await this.call('guardduty', 'GetFindings', region, () =>
        this.clients.guardDuty(region).send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: batch })));
      findings.push(...(out.Findings ?? []).map(toFinding));
    }
    return findings;
  }

  async archiveFindings(region: string, detectorId: string, ids: string[]): Promise<void> {
    for (const batch of batches(ids)) {
      await this.call('guardduty', 'ArchiveFindings', region, () =>
        this.clients.guardDuty(region).send(new ArchiveFindingsCommand({ DetectorId: detectorId, FindingIds: batch })));
    }
  }

  async unarchiveFindings(region: string, detectorId: string, ids: string[]): Promise<void> {
    for (const batch of batches(ids)) {
      await this.call('guardduty', 'UnarchiveFindings', region, () =>
        this.clients.guardDuty(region).send(new UnarchiveFindingsCommand({ DetectorId: detectorId, FindingIds: batch })));
    }
  }

  async createSampleFindings(region: string, detectorId: string, types: string[]): Promise<void> {
    await this.call('guardduty', 'CreateSampleFindings', region, () =>
      this.clients.guardDuty(region).send(new CreateSampleFindingsCommand({ DetectorId: detectorId, FindingTypes: types.length > 0 ? types : undefined })));
  }

  async getDetector(region: string, detectorId: string): Promise<Record<string, unknown>> {
    const { $metadata: _, ...detector } = await this.call('guardduty', 'GetDetector', region, () =>
      this.clients.guardDuty(region).send(new GetDetectorCommand({ DetectorId: detectorId })));
    return toPlain(detector) as Record<string, unknown>;
  }

  async listTags(region: string, arn: string): Promise<Record<string, string>> {
    const out = await this.call('guardduty', 'ListTagsForResource', region, () =>
      this.clients.guardDuty(region).send(new ListTagsForResourceCommand({ ResourceArn: arn })));
    return { ...out.Tags };
  }

  async tagResource(region: string, arn: string, tags: Record<string, string>): Promise<void> {
    await this.call('guardduty', 'TagResource', region, () => this.clients.guardDuty(region).send(new TagResourceCommand({ ResourceArn: arn, Tags: tags })));
  }

  async untagResource(region: string, arn: string, keys: string[]): Promise<void> {
    await this.call('guardduty', 'UntagResource', region, () => this.clients.guardDuty(region).send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: keys })));
  }

  async updateDetector(region: string, detectorId: string, changes: DetectorUpdate): Promise<void> {
    const features = changes.features && Object.entries(changes.features).map(([name, status]) => ({ Name: name as DetectorFeature, Status: status }));
    await this.call('guardduty', 'UpdateDetector', region, () => this.clients.guardDuty(region).send(new UpdateDetectorCommand({
      DetectorId: detectorId, Enable: changes.enable, FindingPublishingFrequency: changes.findingPublishingFrequency as FindingPublishingFrequency | undefined, Features: features,
    })));
  }

  async administratorOf(region: string, detectorId: string): Promise<string | undefined> {
    const out = await this.call('guardduty', 'GetAdministratorAccount', region, () =>
      this.clients.guardDuty(region).send(new GetAdministratorAccountCommand({ DetectorId: detectorId })));
    return out.Administrator?.AccountId || undefined;
  }

  async sendFeedback(region: string, detectorId: string, ids: string[], feedback: Feedback, comment?: string): Promise<void> {
    for (const batch of batches(ids)) {
      await this.call('guardduty', 'UpdateFindingsFeedback', region, () =>
        this.clients.guardDuty(region).send(new UpdateFindingsFeedbackCommand({ DetectorId: detectorId, FindingIds: batch, Feedback: feedback, Comments: comment })));
    }
  }

  createList(region: string, detectorId: string, kind: ListKind, spec: ListCreate): Promise<{ id: string; meta: ResponseMeta }> {
    return this.threatLists.createList(region, detectorId, kind, spec);
  }

  getList(region: string, detectorId: string, kind: ListKind, id: string): Promise<{ list: ListView; meta: ResponseMeta }> {
    return this.threatLists.getList(region, detectorId, kind, id);
  }

  listLists(
    region: string, detectorId: string, kind: ListKind, page: { maxResults?: number; nextToken?: string },
  ): Promise<{ ids: string[]; nextToken: string | undefined; meta: ResponseMeta }> {
    return this.threatLists.listLists(region, detectorId, kind, page);
  }

  updateList(region: string, detectorId: string, kind: ListKind, id: string, changes: ListUpdate): Promise<{ meta: ResponseMeta }> {
    return this.threatLists.updateList(region, detectorId, kind, id, changes);
  }

  deleteList(region: string, detectorId: string, kind: ListKind, id: string): Promise<{ meta: ResponseMeta }> {
    return this.threatLists.deleteList(region, detectorId, kind, id);
  }

  readListObject(region: string, location: string): Promise<ListObject | undefined> {
    return this.listObjects.readListObject(region, location);
  }

  writeListObject(region: string, location: string, text: string, expected: string | undefined): Promise<ListWrite> {
    return this.listObjects.writeListObject(region, location, text, expected);
  }

  /** Closes the HTTP sockets. */
  close(): void {
    this.clients.destroy();
  }

  /**
   * One logical call: the SDK's attempts, the throttled ones among them, the outcome, reported once.
   * Throttle retries are exact for attempts the SDK retried (a middleware counts throttling errors
   * under the retry loop); a final throttling error is not a retry and is not counted.
   */
  private async call<T extends { $metadata: { httpStatusCode?: number; attempts?: number } }>(
    service: ServiceName, operation: string, region: string, send: () => Promise<T>,
  ): Promise<T> {
    const gate = this.options.gate;
    gate?.check(service, operation);
    const started = this.clock.now();
    // Given up when a stopping daemon cuts the calls in flight (the gate's middleware stops the SDK's retries).
    const outcome = await withCallStats(gate ? () => gate.race(service, operation, send()) : send);
    if ('error' in outcome && isAbandoned(outcome.error)) throw outcome.error;
    const durationMs = this.clock.now() - started;
    if ('result' in outcome) {
      const meta = outcome.result.$metadata;
      this.observer.onCall({
        service, operation, ok: true, status: meta.httpStatusCode, attempts: meta.attempts ?? 1,
        throttleRetries: outcome.stats.throttles, durationMs,
      });
      return outcome.result;
    }
    const err = outcome.error;
    const finalThrottle = isThrottlingError(err) ? 1 : 0;
    this.observer.onCall({
      service, operation, ok: false, status: awsErrorStatus(err), code: awsErrorCode(err), attempts: awsErrorAttempts(err) ?? 1,
      throttleRetries: Math.max(0, outcome.stats.throttles - finalThrottle), durationMs,
    });
    throw classifyAwsError(err, { service, operation, region });
  }

  /** The token to ask for next, or undefined to stop: absent, empty, or already seen (a loop). */
  private nextToken(token: string | undefined, seen: Set<string>, where: Record<string, string>): string | undefined {
    if (!token) return undefined;
    if (seen.has(token)) {
      this.options.logger?.warn('AWS repeated a nextToken; stopping this listing to avoid a loop', { ...where, pages: seen.size + 1 });
      return undefined;
    }
    seen.add(token);
    return token;
  }
}

export function createGuardDutySource(options: GuardDutySourceOptions): GuardDutyFindingsSource {
  return new GuardDutyFindingsSource(options);
}

function batches(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += ID_BATCH) out.push(ids.slice(i, i + ID_BATCH));
  return out;
}
