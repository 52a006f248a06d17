import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CreateIPSetCommand, CreateThreatIntelSetCommand, DeleteIPSetCommand, DeleteThreatIntelSetCommand, GetIPSetCommand, GetThreatIntelSetCommand,
  ListIPSetsCommand, ListThreatIntelSetsCommand, UpdateIPSetCommand, UpdateThreatIntelSetCommand, type GuardDutyClient, type IpSetFormat,
} from '@aws-sdk/client-guardduty';
import type { ListCreate, ListKind, ListUpdate, ListView, ResponseMeta, ThreatListsApi } from './threat-lists.js';

/** One GuardDuty call as the source makes every AWS call: counted, observed, failures as `ExternalServiceError`. */
export type GuardDutyCall = <T extends { $metadata: { httpStatusCode?: number; attempts?: number } }>(
  operation: string, region: string, send: () => Promise<T>,
) => Promise<T>;

/**
 * `ThreatListsApi` (IPSets and ThreatIntelSets) over the AWS SDK's GuardDuty client; the source
 * gives it its clients and its call wrapper. SDK types stay in here.
 */
export class GuardDutyThreatLists implements ThreatListsApi {
  /** Clients that carry the response-header middleware (added once, on first use). */
  private readonly capturing = new WeakSet<GuardDutyClient>();

  constructor(private readonly guardDuty: (region: string) => GuardDutyClient, private readonly send: GuardDutyCall) {}

  async createList(region: string, detectorId: string, kind: ListKind, spec: ListCreate): Promise<{ id: string; meta: ResponseMeta }> {
    const input = {
      DetectorId: detectorId, Name: spec.name, Format: spec.format as IpSetFormat, Location: spec.location, Activate: spec.activate,
      ClientToken: spec.clientToken, Tags: spec.tags, ExpectedBucketOwner: spec.expectedBucketOwner,
    };
    if (kind === 'ipset') {
      const { out, meta } = await this.call('CreateIPSet', region, (c) => c.send(new CreateIPSetCommand(input)));
      return { id: out.IpSetId ?? '', meta };
    }
    const { out, meta } = await this.call('CreateThreatIntelSet', region, (c) => c.send(new CreateThreatIntelSetCommand(input)));
    return { id: out.ThreatIntelSetId ?? '', meta };
  }

  async getList(region: string, detectorId: string, kind: ListKind, id: string): Promise<{ list: ListView; meta: ResponseMeta }> {
    const { out, meta } = kind === 'ipset'
      ? await this.call('GetIPSet', region, (c) => c.send(new GetIPSetCommand({ DetectorId: detectorId, IpSetId: id })))
      : await this.call('GetThreatIntelSet', region, (c) => c.send(new GetThreatIntelSetCommand({ DetectorId: detectorId, ThreatIntelSetId: id })));
    const list: ListView = { name: out.Name ?? '', format: out.Format ?? '', location: out.Location ?? '', status: out.Status ?? '', tags: { ...out.Tags } };
    if (out.ExpectedBucketOwner) list.expectedBucketOwner = out.ExpectedBucketOwner;
    return { list, meta };
  }

  async listLists(
    region: string, detectorId: string, kind: ListKind, page: { maxResults?: number; nextToken?: string },
  ): Promise<{ ids: string[]; nextToken: string | undefined; meta: ResponseMeta }> {
    const input = { DetectorId: detectorId, MaxResults: page.maxResults, NextToken: page.nextToken };
    if (kind === 'ipset') {
      const { out, meta } = await this.call('ListIPSets', region, (c) => c.send(new ListIPSetsCommand(input)));
      return { ids: out.IpSetIds ?? [], nextToken: out.NextToken || undefined, meta };
    }
    const { out, meta } = await this.call('ListThreatIntelSets', region, (c) => c.send(new ListThreatIntelSetsCommand(input)));
    return { ids: out.ThreatIntelSetIds ?? [], nextToken: out.NextToken || undefined, meta };
  }

  async updateList(region: string, detectorId: string, kind: ListKind, id: string, changes: ListUpdate): Promise<{ meta: ResponseMeta }> {
    const input = { DetectorId: detectorId, Name: changes.name, Location: changes.location, Activate: changes.activate, ExpectedBucketOwner: changes.expectedBucketOwner };
    const { meta } = kind === 'ipset'
      ? await this.call('UpdateIPSet', region, (c) => c.send(new UpdateIPSetCommand({ ...input, IpSetId: id })))
      : await this.call('UpdateThreatIntelSet', region, (c) => c.send(new UpdateThreatIntelSetCommand({ ...input, ThreatIntelSetId: id })));
    return { meta };
  }

  async deleteList(region: string, detectorId: string, kind: ListKind, id: string): Promise<{ meta: ResponseMeta }> {
    const { meta } = kind === 'ipset'
      ? await this.call('DeleteIPSet', region, (c) => c.send(new DeleteIPSetCommand({ DetectorId: detectorId, IpSetId: id })))
      : await this.call('DeleteThreatIntelSet', region, (c) => c.send(new DeleteThreatIntelSetCommand({ DetectorId: detectorId, ThreatIntelSetId: id })));
    return { meta };
  }

  /**
   * A threat-list call whose response metadata goes back to SOAR (IBM's results echo boto3's
   * `ResponseMetadata`): request id, status and attempts from `$metadata`; the final attempt's
   * headers from a middleware on the region's client, read through an async-local sink.
   */
  private async call<T extends { $metadata: { httpStatusCode?: number; attempts?: number; requestId?: string } }>(
    operation: string, region: string, send: (client: GuardDutyClient) => Promise<T>,
  ): Promise<{ out: T; meta: ResponseMeta }> {
    const client = this.guardDuty(region);
    if (!this.capturing.has(client)) {
      client.middlewareStack.add(captureHeaders, { step: 'deserialize', name: 'guarddutySoarResponseHeaders' });
      this.capturing.add(client);
    }
    const sink: HeaderSink = { headers: {} };
    const out = await headerSinks.run(sink, () => this.send(operation, region, () => send(client)));
    const meta = out.$metadata;
    return { out, meta: { requestId: meta.requestId, httpStatusCode: meta.httpStatusCode, attempts: meta.attempts ?? 1, headers: sink.headers } };
  }
}

interface HeaderSink {
  headers: Record<string, string>;
}
const headerSinks = new AsyncLocalStorage<HeaderSink>();

/** Copies each attempt's HTTP response headers (lower-cased names) into the caller's sink; the last attempt's win. */
function captureHeaders<A, R extends { response: unknown }>(next: (args: A) => Promise<R>): (args: A) => Promise<R> {
  return async (args) => {
    const result = await next(args);
    const sink = headerSinks.getStore();
    const headers = (result.response as { headers?: Record<string, unknown> } | undefined)?.headers;
    if (sink && headers) sink.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    return result;
  };
}
