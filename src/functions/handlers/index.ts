import type { CycleDeps } from '../../poller/run-cycle.js';
import type { FunctionHandler } from '../function-types.js';

/** What the SOAR functions need from the composition root. */
export interface FunctionDeps {
  /**
   * The cycle's dependencies, prepared once and shared with the scheduler (the same store, SOAR
   * client, AWS sources and per-finding locks), so a function never races a cycle on one finding.
   */
  cycleDeps(): Promise<CycleDeps>;
}

/** Every function this app serves on `fn_aws_gd`, by API name. */
export function createFunctionHandlers(deps: FunctionDeps): ReadonlyMap<string, FunctionHandler> {
  void deps;
  return new Map();
}
