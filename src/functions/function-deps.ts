import type { Clock } from '../core/clock.js';
import type { FindingsSource } from '../regions/findings-source.js';
import type { Store } from '../store/store.js';
import type { FunctionArchiveRequest, FunctionArchiveResult } from '../sync/function-archive.js';
import type { FunctionRefreshRequest, FunctionRefreshResult } from '../sync/function-refresh.js';

/**
 * What the SOAR functions need, built by the composition root from the daemon's own parts: the
 * same store, AWS sources and per-finding locks as the cycle, so a function never races a cycle on
 * one finding. The two functions that write to an incident do it through the sync's entry points.
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
}

/**
 * The functions' deps once the daemon is prepared (SOAR schema checked, AWS identities resolved,
 * start-up recovery done). The preparation is shared with the scheduler and made by whichever needs
 * it first; a failed one is forgotten, so the next function (or cycle) tries again.
 */
export type PreparedFunctionDeps = () => Promise<FunctionDeps>;
