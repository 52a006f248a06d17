import { ExternalServiceError } from '../../src/core/errors.js';
import type { Criteria } from '../../src/findings/criteria.js';
import type { Feedback, Finding } from '../../src/findings/finding.js';
import type { FindingsSource, ListFindingsRequest } from '../../src/regions/findings-source.js';

/**
 * GuardDuty as the poller and the sync paths see it (the FindingsSource interface), in memory, for
 * unit tests: findings per detector, a listing that honours the criteria the daemon sends (archived,
 * updatedAt, severity), GetFindings, ArchiveFindings and feedback, the calls made, and faults on the
 * next calls. Everything else of the interface is not used by a cycle and refuses.
 */

export interface DetectorRef {
  region: string;
  detectorId: string;
}

export class FakeGuardDuty implements Partial<FindingsSource> {
  /** Every call, in order: `ListFindings us-east-1`, `GetFindings us-east-1 (3)`, `ArchiveFindings ...`. */
  readonly calls: string[] = [];
  readonly feedback: { ids: string[]; feedback: Feedback }[] = [];
  private readonly findings = new Map<string, Map<string, Finding>>();
  private readonly faults: { op: string; retryable: boolean; region: string | undefined }[] = [];

  /** Adds (or replaces) findings of one detector; with none, the detector exists with no finding. */
  put(at: DetectorRef, ...findings: Finding[]): void {
    const held = this.findings.get(detectorKey(at)) ?? new Map<string, Finding>();
    for (const f of findings) held.set(f.Id, structuredClone(f));
    this.findings.set(detectorKey(at), held);
  }

  /** GuardDuty no longer returns the finding (retention ended). */
  drop(at: DetectorRef, findingId: string): void {
    this.findings.get(detectorKey(at))?.delete(findingId);
  }

  get(at: DetectorRef, findingId: string): Finding | undefined {
    return this.findings.get(detectorKey(at))?.get(findingId);
  }

  /** The next call of `op` (`ListFindings`, `GetFindings`, `ArchiveFindings`), in `region` or any, fails. */
  failNext(op: string, options: { retryable?: boolean; region?: string } = {}): void {
    this.faults.push({ op, retryable: options.retryable ?? true, region: options.region });
  }

  count(op: string): number {
    return this.calls.filter((c) => c.startsWith(`${op} `)).length;
  }

  async *listFindingIds(region: string, detectorId: string, request: ListFindingsRequest): AsyncIterable<string[]> {
    this.call('ListFindings', region);
    const held = [...(this.findings.get(detectorKey({ region, detectorId }))?.values() ?? [])];
    const ids = held
      .filter((f) => matches(f, request.criteria))
      .sort((a, b) => Date.parse(a.UpdatedAt) - Date.parse(b.UpdatedAt))
      .map((f) => f.Id);
    await Promise.resolve();
    for (let i = 0; i < ids.length; i += request.pageSize) yield ids.slice(i, i + request.pageSize);
  }

  async getFindings(region: string, detectorId: string, ids: string[]): Promise<Finding[]> {
    this.call('GetFindings', region, ids.length);
    await Promise.resolve();
    const held = this.findings.get(detectorKey({ region, detectorId }));
    return ids.flatMap((id) => (held?.has(id) ? [structuredClone(held.get(id) as Finding)] : []));
  }

  async archiveFindings(region: string, detectorId: string, ids: string[]): Promise<void> {
    this.call('ArchiveFindings', region, ids.length);
    await Promise.resolve();
    for (const id of ids) {
      const finding = this.findings.get(detectorKey({ region, detectorId }))?.get(id);
      if (finding?.Service) finding.Service.Archived = true;
    }
  }

  async sendFeedback(region: string, _detectorId: string, ids: string[], feedback: Feedback): Promise<void> {
    this.call('UpdateFindingsFeedback', region, ids.length);
    await Promise.resolve();
    this.feedback.push({ ids: [...ids], feedback });
  }

  /** EC2 DescribeRegions: the regions of the detectors put. */
  listRegions(): Promise<{ name: string; optInStatus: string }[]> {
    const regions = new Set([...this.findings.keys()].map((k) => k.split('/')[0]));
    return Promise.resolve([...regions].map((name) => ({ name, optInStatus: 'opt-in-not-required' })));
  }

  listDetectors(region: string): Promise<string[]> {
    this.call('ListDetectors', region);
    return Promise.resolve([...this.findings.keys()].filter((k) => k.startsWith(`${region}/`)).map((k) => k.split('/')[1]));
  }

  /** As the FindingsSource the code under test is given (a call it does not answer is a TypeError). */
  asSource(): FindingsSource {
    return this as unknown as FindingsSource;
  }

  private call(op: string, region: string, n?: number): void {
    this.calls.push(n === undefined ? `${op} ${region}` : `${op} ${region} (${n})`);
    const at = this.faults.findIndex((f) => f.op === op && (f.region === undefined || f.region === region));
    if (at < 0) return;
    const [fault] = this.faults.splice(at, 1);
    throw new ExternalServiceError({
      service: 'guardduty', operation: op, status: fault?.retryable ? 503 : 400, retryable: fault?.retryable ?? true,
      message: `${op} failed (fake GuardDuty)`,
    });
  }
}

function detectorKey(at: DetectorRef): string {
  return `${at.region}/${at.detectorId}`;
}

function matches(f: Finding, criteria: Criteria): boolean {
  for (const [field, c] of Object.entries(criteria)) {
    const value = field === 'service.archived' ? String(f.Service?.Archived === true)
      : field === 'updatedAt' ? Date.parse(f.UpdatedAt)
      : field === 'severity' ? f.Severity
      : field === 'accountId' ? f.AccountId
      : undefined;
    if (value === undefined) throw new Error(`the fake GuardDuty does not filter on ${field}`);
    if (c.Equals && !c.Equals.includes(String(value))) return false;
    if (c.NotEquals && c.NotEquals.includes(String(value))) return false;
    if (c.GreaterThanOrEqual !== undefined && !(Number(value) >= c.GreaterThanOrEqual)) return false;
  }
  return true;
}
