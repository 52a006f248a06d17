import type { FunctionDeps } from '../functions/function-deps.js';
import type { CycleDeps } from '../poller/run-cycle.js';
import { archiveFindingForFunction } from '../sync/function-archive.js';
import { refreshFindingForFunction } from '../sync/function-refresh.js';
import {
  addNoteOnceForFunction, createSuppressionForFunction, ensureFilter, forgetSuppressionForFunction, keepScanForFunction,
} from '../sync/function-respond.js';

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
    linkByIncident: (incidentId) => cycle.store.links.byIncident(incidentId),
    keepScan: (target, scan) => keepScanForFunction(cycle, target, scan),
    ensureFilter: (target, spec) => ensureFilter(target, spec),
    createSuppression: (request) => createSuppressionForFunction(cycle, request),
    forgetSuppression: (account, region, name) => forgetSuppressionForFunction(cycle, account, region, name),
    addNoteOnce: (incidentId, key, note) => addNoteOnceForFunction(cycle, incidentId, key, note),
  };
}
