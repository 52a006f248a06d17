import type { FunctionDeps } from '../functions/function-deps.js';
import type { CycleDeps } from '../poller/run-cycle.js';
import { archiveFindingForFunction } from '../sync/function-archive.js';
import { refreshFindingForFunction } from '../sync/function-refresh.js';

/**
 * What the SOAR functions need, from the prepared cycle: the same store, AWS sources and per-finding
 * locks (inside the sync's entry points), so a function never races a cycle on one finding.
 */
export function functionDeps(cycle: CycleDeps): FunctionDeps {
  return {
    sources: cycle.sources,
    store: cycle.store,
    clock: cycle.clock,
    rediscover: async () => {
      for (const discovery of cycle.discoveries) await discovery.current();
    },
    refreshFinding: (request) => refreshFindingForFunction(cycle, request),
    archiveFinding: (request) => archiveFindingForFunction(cycle, request),
  };
}
