import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import {
  ArchiveFindingsCommand, GetAdministratorAccountCommand, GetFindingsCommand, ListDetectorsCommand, ListFindingsCommand,
  UpdateFindingsFeedbackCommand, type Condition as SdkCondition, type Finding as SdkFinding,
} from '@aws-sdk/client-guardduty';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { systemClock, type Clock } from '../clock.js';
import type { ServiceName } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { nullObserver, type ApiObserver } from '../util/api-observer.js';
import { AwsClients, withCallStats, type AwsClientsOptions } from './aws-clients.js';
import { awsErrorAttempts, awsErrorCode, awsErrorStatus, classifyAwsError, isThrottlingError } from './aws-errors.js';
import type { Finding } from './finding.js';
import type {
  CallerIdentity, Criteria, Feedback, FindingsSource, ListFindingsRequest, RegionInfo,
} from './findings-source.js';

/**
 * `FindingsSource` over the AWS SDK v3: GuardDuty, EC2 DescribeRegions and STS. SDK types stay in
 * here; every failure leaves as `ExternalServiceError`; every logical call is reported to the
 * observer. Retries are the SDK's alone (standard mode, `maxAttempts`): we never add our own.
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

  constructor(private readonly options: GuardDutySourceOptions) {
    this.clients = new AwsClients(options);
    this.observer = options.observer ?? nullObserver;
    this.clock = options.clock ?? systemClock;
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
    const started = this.clock.now();
    const outcome = await withCallStats(send);
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

/** Our Criteria → the SDK's Criterion, current operators only, absent members left out. */
export function toSdkCriterion(criteria: Criteria): Record<string, SdkCondition> {
  const out: Record<string, SdkCondition> = {};
  for (const [field, c] of Object.entries(criteria)) {
    const condition: SdkCondition = {};
    if (c.Equals !== undefined) condition.Equals = [...c.Equals];
    if (c.NotEquals !== undefined) condition.NotEquals = [...c.NotEquals];
    if (c.GreaterThan !== undefined) condition.GreaterThan = c.GreaterThan;
    if (c.GreaterThanOrEqual !== undefined) condition.GreaterThanOrEqual = c.GreaterThanOrEqual;
    if (c.LessThan !== undefined) condition.LessThan = c.LessThan;
    if (c.LessThanOrEqual !== undefined) condition.LessThanOrEqual = c.LessThanOrEqual;
    out[field] = condition;
  }
  return out;
}

/** The SDK's finding as plain JSON: Date members (timestamp-typed) become ISO strings, the rest is kept. */
export function toFinding(finding: SdkFinding): Finding {
  return toPlain(finding) as Finding;
}

function toPlain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = toPlain(v);
    return out;
  }
  return value;
}

function batches(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += ID_BATCH) out.push(ids.slice(i, i + ID_BATCH));
  return out;
}
