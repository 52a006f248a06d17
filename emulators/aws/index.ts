import type { AddressInfo } from 'node:net';
import type { AccountSpec } from './accounts/accounts.js';
import { EmulatorControl } from './admin/control.js';
import { DEFAULT_DETECTOR_REGIONS } from './accounts/regions-catalog.js';
import { createEmulatorServer } from './http/server.js';
import { EmulatorState, type EmulatorClock } from './state/state.js';

/**
 * A local AWS (GuardDuty restJson1, EC2 and STS query protocols, S3 restXml) that the unmodified AWS SDK v3
 * clients talk to. Loopback only. See the README-style comments of each module for the [I] choices.
 */

export interface AwsEmulatorOptions {
  /** Default 0 (any free port). The host is always 127.0.0.1. */
  port?: number;
  /** Regions where the default account has a detector. */
  regions?: string[];
  /** Generated findings spread over the default account's detector regions (default 0). */
  sampleFindings?: number;
  /** Added to every AWS response (not to the admin API). */
  latencyMs?: number;
  /** Seed of every random choice (ids, keys, generated findings, faults). Default 1. */
  seed?: number;
  /** Accounts; default one account `123456789012` that accepts any `AKIA…` access key. */
  accounts?: AccountSpec[];
  /** The emulator's "now" (sample finding times, session expiry). Default the system clock. */
  clock?: EmulatorClock;
}

export interface AwsEmulator extends EmulatorControl {
  /** e.g. `http://127.0.0.1:41234`: the endpoint of all three services. */
  readonly url: string;
  readonly port: number;
  /** region → detector id of the default (first) account. */
  readonly detectors: Readonly<Record<string, string>>;
  /** Changes the latency added to every AWS response. */
  setLatency(ms: number): void;
  close(): Promise<void>;
}

export const DEFAULT_ACCOUNT_ID = '123456789012';

export async function startAwsEmulator(options: AwsEmulatorOptions = {}): Promise<AwsEmulator> {
  const regions = options.regions ?? DEFAULT_DETECTOR_REGIONS;
  const state = new EmulatorState(options.clock ?? { now: () => Date.now() }, options.seed ?? 1, options.latencyMs ?? 0, regions);
  const accounts = options.accounts ?? [{ accountId: DEFAULT_ACCOUNT_ID, acceptAnyAccessKey: true, regions, roles: ['GuardDutySoar'] }];
  for (const spec of accounts) state.addAccount(spec);
  const control = new EmulatorControl(state);
  if (options.sampleFindings) control.generateFindings({ count: options.sampleFindings });
  const server = createEmulatorServer(state, control);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return Object.assign(control, {
    url: `http://127.0.0.1:${port}`,
    port,
    detectors: control.detectorsOf(),
    setLatency: (ms: number) => {
      state.latencyMs = ms;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  });
}

export { generateSampleFindings, buildFinding, SAMPLE_FINDING_TYPES, type SampleFindingOptions, type SampleOverrides } from './guardduty/samples/sample-findings.js';
export type { AccountSpec, AccessKeySpec, RoleSpec } from './accounts/accounts.js';
export type { FaultRule, ActiveFault } from './faults/faults.js';
export type { CallRecord, CallsSnapshot } from './faults/call-log.js';
export type {
  GenerateFindingsRequest, FindingUpdate, FindingFilter, StateSummary, AccountSummary, ThreatListFilter, ThreatListSeed,
} from './admin/control-types.js';
export type { ThreatList, ThreatListKind, ThreatListStatus, ThreatListLoad } from './state/threat-list-store.js';
export type { BucketSpec, BucketSummary, ObjectSummary, ObjectText } from './admin/s3-admin.js';
export type { CoverageSpec, ScanSummary } from './admin/respond-admin.js';
export type { ScanPlan, ScanThreat, ScanOutcome, ObjectScan } from './state/malware-scan-store.js';
export type { CoverageResource } from './state/coverage-store.js';
export type { WireFinding, JsonObject, JsonValue } from './protocol/wire.js';
export { EmulatorControl } from './admin/control.js';
export type { SequenceRequest, GrowRequest, SequenceResult } from './admin/sequence-control.js';
export { SEQUENCE_RECIPES } from './guardduty/samples/sample-sequence-recipes.js';
