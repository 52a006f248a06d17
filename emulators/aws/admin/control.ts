import type { AccountSpec, RoleSpec } from '../accounts/accounts.js';
import type { CallsSnapshot } from '../faults/call-log.js';
import type { ActiveFault, FaultRule } from '../faults/faults.js';
import {
  AdminError, type AccountSummary, type FindingFilter, type FindingUpdate, type GenerateFindingsRequest, type StateSummary,
  type ThreatListFilter, type ThreatListSeed,
} from './control-types.js';
import {
  bucketSummaries, createBucket, getObjectText, listObjects, putObjectText, type BucketSpec, type BucketSummary, type ObjectSummary, type ObjectText,
} from './s3-admin.js';
import { SAMPLE_FINDING_TYPES, generateSampleFindings } from '../guardduty/samples/sample-findings.js';
import { bindBatch } from '../guardduty/samples/sample-sequences.js';
import { generateSequence, growSequence, type GrowRequest, type SequenceRequest, type SequenceResult } from './sequence-control.js';
import { AwsServiceError } from '../protocol/service-error.js';
import type { EmulatorState } from '../state/state.js';
import { applySuppressionRules } from '../guardduty/suppression.js';
import type { CoverageResource } from '../state/coverage-store.js';
import type { ObjectScan, ScanPlan } from '../state/malware-scan-store.js';
import {
  addCoverage, clearCoverage, finishMalwareScans, objectScans, planMalwareScan, protectBucket, scanSummaries, setMemberRelationship,
  startGuardDutyScan, updateDetector, type CoverageSpec, type ScanSummary,
} from './respond-admin.js';
import { addThreatList } from '../guardduty/threat-list-handlers.js';
import { parseCreateInput } from '../guardduty/threat-list-input.js';
import type { ThreatList } from '../state/threat-list-store.js';
import { findingArn, type JsonObject, type WireFinding } from '../protocol/wire.js';

/**
 * The emulator's control surface, used in-process by tests and the benchmark (through the handle) and
 * over HTTP by the admin API: findings, calls, faults, accounts.
 */

export class EmulatorControl {
  constructor(private readonly state: EmulatorState) {}

  summary(): StateSummary {
    const s = this.state;
    const accounts = s.accounts.list().map((a): AccountSummary => ({
      accountId: a.id,
      administrator: a.administrator,
      members: s.accounts.membersOf(a.id).map((m) => m.id),
      optedInRegions: [...a.optedInRegions],
      roles: [...a.roles.keys()],
      accessKeys: [...a.keys.keys()],
      acceptAnyAccessKey: a.acceptAnyAccessKey,
      detectors: s.store.allDetectors().filter((d) => d.accountId === a.id).map((d) => ({
        region: d.region,
        detectorId: d.id,
        findings: d.findings.size,
        archived: [...d.findings.values()].filter((f) => f.service.archived).length,
      })),
    }));
    return { accounts, findings: s.store.count(), sessions: s.accounts.sessionCount(), faults: s.faults.list() };
  }

  defaultAccountId(): string {
    const first = this.state.accounts.list()[0];
    if (!first) throw new AdminError(400, 'the emulator has no account');
    return first.id;
  }

  detectorsOf(accountId: string = this.defaultAccountId()): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.state.store.allDetectors()) if (d.accountId === accountId) out[d.region] = d.id;
    return out;
  }

  generateFindings(req: GenerateFindingsRequest = {}): WireFinding[] {
    const account = req.account ?? this.defaultAccountId();
    const detectors = this.detectorsOf(account);
    const regions = req.regions ?? (req.region ? [req.region] : Object.keys(detectors));
    const missing = regions.filter((r) => !detectors[r]);
    if (regions.length === 0 || missing.length > 0) {
      throw new AdminError(400, `account ${account} has no detector in ${missing.join(', ') || 'any region'}`);
    }
    const types = req.types ?? (req.type ? [req.type] : undefined);
    const unknown = (types ?? []).filter((t) => !SAMPLE_FINDING_TYPES.includes(t));
    if (unknown.length > 0) throw new AdminError(400, `unknown finding types: ${unknown.join(', ')}`);
    const findings = generateSampleFindings({
      count: req.count ?? 1,
      types,
      regions,
      accounts: [account],
      prng: this.state.prng,
      now: this.state.now(),
      spreadMs: req.spreadMs,
      detectorIdFor: (_account, region) => detectors[region],
      overrides: {
        severity: req.severity, updatedAt: req.updatedAt, createdAt: req.createdAt,
        archived: req.archived, title: req.title, count: req.serviceCount,
      },
    });
    for (const f of findings) {
      const detector = this.detectorFor(f.accountId, f.region);
      this.state.store.put(detector, f);
      applySuppressionRules(this.state, detector, f);
    }
    // An attack sequence names findings the emulator holds in its account and region.
    bindBatch(findings, [...this.state.store.all()]);
    return findings;
  }

  /** An attack sequence and its member findings (one per FINDING signal), all stored. */
  generateSequence(req: SequenceRequest = {}): SequenceResult {
    return generateSequence(this.state, req.account ?? this.defaultAccountId(), req);
  }

  /** GuardDuty adds a signal to a sequence: a new member finding and its FINDING signal; updatedAt moves. */
  growSequence(id: string, req: GrowRequest = {}): { sequence: WireFinding; member: WireFinding } {
    return growSequence(this.state, id, req);
  }

  /** Adds (or replaces, same id) complete wire findings; ids, ARNs and detector ids are filled in when absent. */
  addFindings(input: JsonObject[]): WireFinding[] {
    return input.map((raw) => {
      const finding = structuredClone(raw) as Partial<WireFinding> & JsonObject;
      const accountId = finding.accountId ?? this.defaultAccountId();
      const region = finding.region ?? 'us-east-1';
      const detector = this.detectorFor(accountId, region);
      const id = finding.id ?? this.state.prng.hex(32);
      const now = new Date(this.state.now()).toISOString();
      const complete = {
        ...finding, accountId, region, id,
        arn: finding.arn ?? findingArn(region, accountId, detector.id, id),
        partition: finding.partition ?? 'aws',
        schemaVersion: finding.schemaVersion ?? '2.0',
        type: finding.type ?? 'Recon:EC2/PortProbeUnprotectedPort',
        severity: finding.severity ?? 5,
        createdAt: finding.createdAt ?? now,
        updatedAt: finding.updatedAt ?? finding.createdAt ?? now,
        resource: finding.resource ?? { resourceType: 'Instance' },
        service: { archived: false, count: 1, serviceName: 'guardduty', ...finding.service, detectorId: detector.id },
      } as WireFinding;
      this.state.store.put(detector, complete);
      applySuppressionRules(this.state, detector, complete);
      return complete;
    });
  }

  updateFinding(id: string, update: FindingUpdate): WireFinding {
    const finding = this.getFinding(id);
    if (!finding) throw new AdminError(404, `no finding ${id}`);
    const changesContent = update.recur !== undefined || update.serviceCount !== undefined || update.severity !== undefined
      || update.title !== undefined || update.description !== undefined || update.updatedAt !== undefined;
    if (update.recur !== undefined) finding.service.count += update.recur;
    if (update.serviceCount !== undefined) finding.service.count = update.serviceCount;
    if (update.severity !== undefined) finding.severity = update.severity;
    if (update.title !== undefined) finding.title = update.title;
    if (update.description !== undefined) finding.description = update.description;
    if (update.archived !== undefined) finding.service.archived = update.archived;
    if (changesContent) {
      const at = update.updatedAt === undefined ? this.state.now() : typeof update.updatedAt === 'number' ? update.updatedAt : Date.parse(update.updatedAt);
      finding.updatedAt = new Date(at).toISOString();
      finding.service.eventLastSeen = finding.updatedAt;
      const owner = this.state.store.get(id)?.detector;
      if (owner && update.archived === undefined) applySuppressionRules(this.state, owner, finding);
    }
    return finding;
  }

  setArchived(ids: string[], archived: boolean): number {
    let changed = 0;
    for (const id of ids) {
      const finding = this.getFinding(id);
      if (finding) {
        finding.service.archived = archived;
        changed++;
      }
    }
    return changed;
  }

  archiveFindings(ids: string[]): number {
    return this.setArchived(ids, true);
  }

  unarchiveFindings(ids: string[]): number {
    return this.setArchived(ids, false);
  }

  deleteFindings(ids: string[]): number {
    return ids.filter((id) => this.state.store.delete(id)).length;
  }

  getFinding(id: string): WireFinding | undefined {
    return this.state.store.get(id)?.finding;
  }

  listFindings(filter: FindingFilter = {}): WireFinding[] {
    return [...this.state.store.all()].filter((f) =>
      (filter.account === undefined || f.accountId === filter.account)
      && (filter.region === undefined || f.region === filter.region)
      && (filter.archived === undefined || f.service.archived === filter.archived));
  }

  /** The IPSets and ThreatIntelSets, with their status and what GuardDuty last loaded from S3. */
  threatLists(filter: ThreatListFilter = {}): ThreatList[] {
    return this.state.threatLists.all().filter(threatListMatcher(filter)).map((l) => structuredClone(l));
  }

  /** Creates a list as CreateIPSet/CreateThreatIntelSet would (same checks and quota), for tests. */
  seedThreatList(seed: ThreatListSeed): ThreatList {
    const detector = this.detectorFor(seed.account ?? this.defaultAccountId(), seed.region ?? 'us-east-1');
    try {
      const input = parseCreateInput({ format: 'TXT', activate: true, ...seed.set });
      return structuredClone(addThreatList(this.state, detector, seed.kind, input));
    } catch (err) {
      if (err instanceof AwsServiceError) throw new AdminError(400, err.message);
      throw err;
    }
  }

  /** Deletes the lists matching the filter (all without one); answers how many. */
  resetThreatLists(filter: ThreatListFilter = {}): number {
    return this.state.threatLists.reset(threatListMatcher(filter));
  }

  /** Creates an S3 bucket owned by an account (default the first), in a region (default us-east-1). */
  createBucket(spec: BucketSpec): BucketSummary {
    return createBucket(this.state, spec, this.defaultAccountId());
  }

  buckets(): BucketSummary[] {
    return bucketSummaries(this.state);
  }

  /** Writes an object as PutObject would (new ETag), bypassing access checks. */
  putObjectText(bucket: string, key: string, text: string, contentType?: string): ObjectSummary {
    return putObjectText(this.state, bucket, key, text, contentType);
  }

  getObjectText(bucket: string, key: string): ObjectText | undefined {
    return getObjectText(this.state, bucket, key);
  }

  listObjects(bucket: string, prefix?: string): ObjectSummary[] {
    return listObjects(this.state, bucket, prefix);
  }

  /** The malware scans and where each one stands (listing them here is not a read). */
  malwareScans(): ScanSummary[] {
    return scanSummaries(this.state);
  }

  /** How the scans of a resource end (also a scan of it that is still running). */
  planMalwareScan(resourceArn: string, plan: ScanPlan): void {
    planMalwareScan(this.state, resourceArn, plan);
  }

  /** Ends running scans now (all, or those of one resource); answers how many. */
  finishMalwareScans(resourceArn?: string): number {
    return finishMalwareScans(this.state, resourceArn);
  }

  /** A scan GuardDuty starts by itself for a finding (of the finding's instance unless a resource is given). */
  startGuardDutyScan(findingId: string, resourceArn?: string): ScanSummary {
    return startGuardDutyScan(this.state, findingId, resourceArn);
  }

  /** SendObjectMalwareScan requests received. */
  objectScans(): ObjectScan[] {
    return objectScans(this.state);
  }

  /** Gives a bucket a Malware Protection plan (SendObjectMalwareScan is refused on other buckets). */
  protectBucket(bucket: string): void {
    protectBucket(this.state, bucket);
  }

  /** Adds (or replaces) a Runtime Monitoring coverage resource of an account's detector. */
  addCoverage(spec: CoverageSpec): CoverageResource {
    return addCoverage(this.state, spec, this.defaultAccountId());
  }

  clearCoverage(): void {
    clearCoverage(this.state);
  }

  /** A member's relationship as its administrator sees it (`Enabled`, `Disabled`, `Removed`, …). */
  setMemberRelationship(accountId: string, status: string): void {
    setMemberRelationship(this.state, accountId, status);
  }

  /** Changes a detector as UpdateDetector's wire body would (`{enable: false}`, `{features: [{name, status}]}`). */
  updateDetector(accountId: string, region: string, body: JsonObject): void {
    updateDetector(this.state, accountId, region, body);
  }

  calls(): CallsSnapshot {
    return this.state.calls.snapshot();
  }

  resetCalls(): void {
    this.state.calls.reset();
  }

  setFault(rule: FaultRule): string {
    return this.state.faults.add(rule);
  }

  /** Removes one fault, or all of them without an id. */
  clearFaults(id?: string): void {
    if (id === undefined) this.state.faults.clear();
    else this.state.faults.remove(id);
  }

  faults(): ActiveFault[] {
    return this.state.faults.list();
  }

  addAccount(spec: AccountSpec): { accountId: string; detectors: Record<string, string> } {
    try {
      const account = this.state.addAccount(spec);
      return { accountId: account.id, detectors: this.detectorsOf(account.id) };
    } catch (err) {
      throw new AdminError(400, err instanceof Error ? err.message : String(err));
    }
  }

  addRole(accountId: string, role: RoleSpec): void {
    const account = this.state.accounts.get(accountId);
    if (!account) throw new AdminError(404, `no account ${accountId}`);
    this.state.accounts.addRole(account, role);
  }

  private detectorFor(accountId: string, region: string): NonNullable<ReturnType<EmulatorState['store']['detectorFor']>> {
    const detector = this.state.store.detectorFor(accountId, region);
    if (!detector) throw new AdminError(400, `account ${accountId} has no detector in ${region}`);
    return detector;
  }
}

function threatListMatcher(filter: ThreatListFilter): (list: ThreatList) => boolean {
  return (l) => (filter.account === undefined || l.accountId === filter.account)
    && (filter.region === undefined || l.region === filter.region)
    && (filter.kind === undefined || l.kind === filter.kind);
}
