import type { Clock } from '../core/clock.js';
import type { MalwareScanSummary, MalwareScanView, FilterSpec } from '../regions/respond-api.js';
import type { RichText } from '../soar/case-system.js';
import type { Link } from '../store/links-repo.js';
import type { FindingsSource } from '../regions/findings-source.js';
import type { Store } from '../store/store.js';
import type { FunctionArchiveRequest, FunctionArchiveResult } from '../sync/function-archive.js';
import type { FunctionRefreshRequest, FunctionRefreshResult } from '../sync/function-refresh.js';
import type { FunctionSuppressionRequest, RuleTarget, ScanTarget } from '../sync/function-respond.js';

/**
 * What the SOAR functions need, built by the composition root from the daemon's own parts: the
 * same store, AWS sources and per-finding locks as the cycle, so a function never races a cycle on
 * one finding. The functions that write to an incident or the daemon's records do it through the
 * sync's entry points.
 */
export interface FunctionDeps {
  /** Polling account → the source (credentials) that reads its detectors and lists. */
  sources: ReadonlyMap<string, FindingsSource>;
  /** The detectors discovered so far (`store.detectors`), and nothing else of the store. */
  store: Pick<Store, 'detectors'>;
  /** Runs every account's region discovery once more: a detector not in the store yet may be new. */
  rediscover(): Promise<void>;
  clock: Clock;
  refreshFinding(request: FunctionRefreshRequest): Promise<FunctionRefreshResult>;
  archiveFinding(request: FunctionArchiveRequest): Promise<FunctionArchiveResult>;
  /** The link of the finding an incident was escalated from, if the daemon made that incident. */
  linkByIncident(incidentId: number): Link | undefined;
  /** Keeps a malware scan in its incident: recorded, its row written, its verdict followed by the cycle. */
  keepScan(target: ScanTarget, scan: MalwareScanView | MalwareScanSummary): Promise<void>;
  /** CreateFilter; a filter of that name already there with the same action and criteria counts as created (`existed`). */
  ensureFilter(target: RuleTarget, spec: FilterSpec): Promise<{ existed: boolean }>;
  /** A suppression rule from an incident's finding: created, recorded and noted on the incident. */
  createSuppression(request: FunctionSuppressionRequest): Promise<{ existed: boolean }>;
  /** Forgets the record of a suppression rule whose filter was deleted. */
  forgetSuppression(account: string, region: string, name: string): void;
  /** A note on an incident, once per key. */
  addNoteOnce(incidentId: number, key: string, note: RichText): Promise<void>;
}

/**
 * The functions' deps once the daemon is prepared (SOAR schema checked, AWS identities resolved,
 * start-up recovery done). The preparation is shared with the scheduler and made by whichever needs
 * it first; a failed one is forgotten, so the next function (or cycle) tries again.
 */
export type PreparedFunctionDeps = () => Promise<FunctionDeps>;
