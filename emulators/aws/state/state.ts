import { AccountRegistry, type Account, type AccountSpec, type Caller } from '../accounts/accounts.js';
import { CallLog } from '../faults/call-log.js';
import { FaultInjector } from '../faults/faults.js';
import { newDetectorConfig, type Detector } from './detector.js';
import { FilterStore } from './filter-store.js';
import { FindingsStore } from './findings-store.js';
import { ListingSnapshots } from '../protocol/paging.js';
import { Prng } from '../../shared/prng.js';
import { unknownDetector } from '../protocol/service-error.js';
import { S3Store } from './s3-store.js';
import { ThreatListStore } from './threat-list-store.js';
import type { WireFinding } from '../protocol/wire.js';

/** Everything the emulator knows, shared by the protocol handlers, the admin API and the handle. */
export interface EmulatorClock {
  now(): number;
}

export class EmulatorState {
  readonly accounts = new AccountRegistry();
  readonly store = new FindingsStore();
  readonly threatLists = new ThreatListStore();
  readonly s3 = new S3Store();
  readonly filters = new FilterStore();
  readonly calls = new CallLog();
  readonly prng: Prng;
  readonly faults: FaultInjector;
  readonly snapshots: ListingSnapshots;
  latencyMs: number;

  constructor(readonly clock: EmulatorClock, seed: number, latencyMs: number, readonly defaultRegions: readonly string[]) {
    this.prng = new Prng(seed);
    this.faults = new FaultInjector(new Prng(seed ^ 0x5f3759df));
    this.snapshots = new ListingSnapshots(() => this.prng.hex(16));
    this.latencyMs = latencyMs;
  }

  now(): number {
    return this.clock.now();
  }

  addAccount(spec: AccountSpec): Account {
    const account = this.accounts.add(spec);
    for (const region of spec.regions ?? this.defaultRegions) this.addDetector(account.id, region);
    return account;
  }

  addDetector(accountId: string, region: string): Detector {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`unknown account ${accountId}`);
    if (!this.accounts.isRegionEnabled(account, region)) account.optedInRegions.add(region);
    const created = this.now() - 30 * 86_400_000;
    return this.store.addDetector({ id: this.prng.hex(32), accountId, region, createdAt: new Date(created).toISOString(), config: newDetectorConfig(created) });
  }

  /** The caller's detector in the region of the call, or GuardDuty's "not owned" 400. */
  ownDetector(caller: Caller, region: string, detectorId: string): Detector {
    const detector = this.store.detector(detectorId);
    if (!detector || detector.accountId !== caller.account.id || detector.region !== region) throw unknownDetector();
    return detector;
  }

  /** The detectors whose findings this detector sees (an administrator sees its members'). */
  view(detector: Detector): Detector[] {
    const members = this.accounts.membersOf(detector.accountId).map((a) => a.id);
    return this.store.viewOf(detector, members);
  }

  visibleFindings(detector: Detector): WireFinding[] {
    return this.view(detector).flatMap((d) => [...d.findings.values()]);
  }

  findVisible(detector: Detector, findingId: string): WireFinding | undefined {
    const hit = this.store.get(findingId);
    if (!hit) return undefined;
    return this.view(detector).includes(hit.detector) ? hit.finding : undefined;
  }

  isMember(accountId: string): boolean {
    return this.accounts.get(accountId)?.administrator !== undefined;
  }
}
