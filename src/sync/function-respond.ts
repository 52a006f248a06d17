import type { Finding } from '../findings/finding.js';
import type { RichText } from '../soar/case-system.js';
import type { MalwareScanSummary, MalwareScanView } from '../regions/respond-api.js';
import { addNoteOnce } from './durable-note.js';
import { keepScan, type ScanTarget } from './malware-scans.js';
import { createSuppression, type RuleTarget } from './suppress.js';
import type { SuppressionRule } from './suppression-rule.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * The sync's entry points for the functions of issue 21 (malware scans and suppression rules kept in
 * their incident), and the pure parts of a suppression rule those functions show. Handlers reach the
 * sync only through here (and `function-refresh.ts`, `function-archive.ts`), by way of FunctionDeps.
 */

export { ensureFilter, proposedNote, type RuleTarget } from './suppress.js';
export { SuppressionUnavailable, suppressionRule, type SuppressBy, type SuppressionRule } from './suppression-rule.js';
export type { ScanTarget } from './malware-scans.js';

/** A suppression rule a function creates from an incident's finding. */
export interface FunctionSuppressionRequest {
  target: RuleTarget;
  incidentId: number;
  finding: Finding;
  rule: SuppressionRule;
  /** GuardDuty's idempotency token, the same on every redelivery. */
  clientToken?: string;
  /** Why, for the note ("from this incident (…)"). */
  why: string;
}

/** Records a scan a function started on its incident and writes its row (the cycle follows it to its verdict). */
export function keepScanForFunction(deps: SyncDeps, target: ScanTarget, scan: MalwareScanView | MalwareScanSummary): Promise<void> {
  return keepScan(deps, target, scan);
}

/** Creates the rule (CreateFilter, ARCHIVE), records it and notes it on the incident; safe to repeat. */
export function createSuppressionForFunction(deps: SyncDeps, request: FunctionSuppressionRequest): Promise<{ existed: boolean }> {
  const { target, incidentId, finding, rule, clientToken, why } = request;
  return createSuppression(deps, target, incidentId, finding, rule, { ...(clientToken ? { clientToken } : {}), why });
}

/** Forgets a suppression rule the daemon recorded, once its filter is deleted. */
export function forgetSuppressionForFunction(deps: SyncDeps, account: string, region: string, name: string): void {
  deps.store.suppressions.forget(account, region, name);
}

/** A note on an incident exactly once per key (a redelivered invocation adds no second one). */
export function addNoteOnceForFunction(deps: SyncDeps, incidentId: number, key: string, note: RichText): Promise<void> {
  return addNoteOnce(deps, incidentId, key, note);
}
