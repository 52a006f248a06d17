import { Writable } from 'node:stream';
import { afterEach } from 'vitest';
import type { PollingConfig, SyncConfig } from '../../src/config/app-config.js';
import { Metrics } from '../../src/health/metrics.js';
import { bundledTemplatePaths } from '../../src/incidents/bundled-templates.js';
import { DEFAULT_SEVERITY_MAP } from '../../src/findings/severity.js';
import { loadTemplates } from '../../src/incidents/templates.js';
import { createLogger } from '../../src/logging/logger.js';
import type { CycleDeps } from '../../src/poller/run-cycle.js';
import type { Finding } from '../../src/findings/finding.js';
import type { FindingKey } from '../../src/findings/finding-key.js';
import { RegionDiscovery, type DetectorTarget } from '../../src/regions/region-discovery.js';
import { Store } from '../../src/store/store.js';
import { KeyedLock } from '../../src/util/keyed-lock.js';
import { loadFinding } from '../fixtures/findings/load-finding.js';
import { FakeGuardDuty, type DetectorRef } from './fake-guardduty.js';
import { FakeSoar } from './fake-soar.js';
import { ManualClock } from './manual-clock.js';

/**
 * The sync paths and the poller with everything around them in memory: the real SQLite store
 * (`:memory:`), the bundled templates, SOAR and GuardDuty as fakes of their interfaces, a manual
 * clock, and the JSON log lines. What a test asserts is what a user would notice: the incidents,
 * notes and rows in SOAR, the rows of the store, the calls made.
 */

export const ACCOUNT = '210987654321';
export const EAST: DetectorRef = { region: 'us-east-1', detectorId: '3c4d5e6f708192a3b4c5d6e7f8091a2b' };
export const WEST: DetectorRef = { region: 'us-west-2', detectorId: '9f8e7d6c5b4a39281706f5e4d3c2b1a0' };
const MIN = 60_000;

export interface WorldOptions {
  sync?: Partial<SyncConfig>;
  polling?: Partial<PollingConfig>;
  /** Detectors GuardDuty has (default: us-east-1 only). */
  detectors?: DetectorRef[];
}

export interface SyncWorld {
  deps: CycleDeps;
  soar: FakeSoar;
  gd: FakeGuardDuty;
  store: Store;
  clock: ManualClock;
  /** The JSON log lines so far. */
  log: Record<string, unknown>[];
  /** A finding (an API call with root credentials, count 2), version `updatedAt`, as GuardDuty would return it. */
  finding(id: string, version?: { updatedAt?: number; count?: number; archived?: boolean; at?: DetectorRef }): Finding;
  key(findingId: string, at?: DetectorRef): FindingKey;
  target(at?: DetectorRef): DetectorTarget;
  close(): void;
}

export function pollingConfig(overrides: Partial<PollingConfig> = {}): PollingConfig {
  return {
    regionsIntervalMinutes: 60, pollingIntervalMinutes: 10, severityThreshold: undefined, lookbackMinutes: undefined,
    cursorOverlapMinutes: 5, accountsInclude: [], accountsExclude: [], includeSampleFindings: false,
    findingTypesInclude: undefined, findingTypesExclude: undefined, extraCriteria: {}, ...overrides,
  };
}

export function syncWorld(options: WorldOptions = {}): SyncWorld {
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 12));
  const store = Store.open(':memory:', () => clock.now());
  const soar = new FakeSoar(() => clock.now());
  const gd = new FakeGuardDuty();
  for (const at of options.detectors ?? [EAST]) gd.put(at);
  const log: Record<string, unknown>[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _enc, done) => { log.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
  const logger = createLogger({ format: 'json', stream, level: 'debug' });
  const polling = pollingConfig(options.polling);
  const sync: SyncConfig = { archiveOnClose: true, closeOnArchive: true, onRecurrence: 'reopen', onDeletedIncident: 'recreate', feedbackMap: {},
    suppressOnResolution: [], suppressMode: 'propose', suppressBy: 'resource', sequenceMembers: 'link', closeSequenceMembers: false, ...options.sync };
  const source = gd.asSource();
  const deps: CycleDeps = {
    soar, store, clock, logger, metrics: new Metrics(), templates: loadTemplates(bundledTemplatePaths()),
    config: { severityMap: { ...DEFAULT_SEVERITY_MAP }, sync, polling },
    requiredOnClose: () => Promise.resolve(soar.requiredOnClose),
    locks: new KeyedLock(),
    discoveries: [new RegionDiscovery({ source, account: ACCOUNT, regions: /^us-/, masterRegion: 'us-east-1', intervalMs: 60 * MIN, store, clock, logger })],
    sources: new Map([[ACCOUNT, source]]),
    regionConcurrency: 4,
    findingsInFlight: 8,
  };
  const key = (findingId: string, at = EAST): FindingKey => ({ account: ACCOUNT, region: at.region, detectorId: at.detectorId, findingId });
  return {
    deps, soar, gd, store, clock, log, key,
    finding: (id, version = {}) => {
      const at = version.at ?? EAST;
      const f = loadFinding('access-key-api-call');
      f.Id = id;
      f.Region = at.region;
      f.Arn = `arn:aws:guardduty:${at.region}:${ACCOUNT}:detector/${at.detectorId}/finding/${id}`;
      f.UpdatedAt = new Date(version.updatedAt ?? clock.now() - MIN).toISOString();
      if (f.Service) {
        f.Service.DetectorId = at.detectorId;
        f.Service.Count = version.count ?? 2;
        f.Service.Archived = version.archived ?? false;
      }
      return f;
    },
    target: (at = EAST) => ({ account: ACCOUNT, region: at.region, detectorId: at.detectorId, source }),
    close: () => store.close(),
  };
}

/** For a test file: `const world = worlds();` makes fresh worlds, each closed after its test. */
export function worlds(): (options?: WorldOptions) => SyncWorld {
  const open: SyncWorld[] = [];
  afterEach(() => {
    for (const world of open.splice(0)) world.close();
  });
  return (options) => {
    const world = syncWorld(options);
    open.push(world);
    return world;
  };
}
