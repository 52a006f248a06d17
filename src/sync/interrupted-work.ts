import { errorMessage, isAbandoned, isRetryable } from '../core/errors.js';
import { parseFindingKey } from '../findings/finding-key.js';
import type { PendingOp } from '../store/pending-ops-repo.js';
import { finishRecreate, RECREATE_OP } from './deleted-incident.js';
import { CONTENT_OP, clearContentMark, readBack } from './incident-content.js';
import { finishRecurrence } from './recurrence.js';
import { RECUR_NEW_OP, REOPEN_OP } from './recurrence-op.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * The sweep (at start-up and in every cycle's SOAR phase) of work a crash or a failure left half-done
 * that the region passes would not come back to on their own, because the finding may never be
 * listed or checked again:
 * - a new incident for a recurrence that exists but lacks its note;
 * - a new incident replacing one SOAR no longer holds, that lacks the note naming it;
 * - a reopen that may have reached SOAR while the link still says closed;
 * - rows or artifacts being added to an incident when the writes stopped (read back from SOAR).
 * Each operation stands alone: one that fails is retried next time; one that cannot succeed (the
 * incident was deleted) is dropped. Notes left pending are posted by the SOAR phase right after.
 */
export async function finishInterruptedWork(deps: SyncDeps): Promise<void> {
  const { store } = deps;
  // Each operation is a safe point: a stopping daemon takes no new one (the next start does).
  const stopping = (): boolean => deps.stopping?.aborted === true;
  for (const op of store.ops.due(RECUR_NEW_OP)) {
    if (stopping()) return;
    await guarded(deps, op, async () => {
      const key = parseFindingKey(op.key);
      if (key) await finishRecurrence(deps, key);
    });
  }
  for (const op of store.ops.due(RECREATE_OP)) {
    if (stopping()) return;
    await guarded(deps, op, async () => {
      const key = parseFindingKey(op.key);
      if (key) await finishRecreate(deps, key);
    });
  }
  for (const op of store.ops.due(REOPEN_OP)) {
    if (stopping()) return;
    await guarded(deps, op, () => settleReopen(deps, op.key));
  }
  for (const op of store.ops.due(CONTENT_OP)) {
    if (stopping()) return;
    await guarded(deps, op, async () => {
      const incidentId = Number(op.key);
      const tables = Array.isArray(op.payload.tables) ? op.payload.tables.filter((t): t is string => typeof t === 'string') : [];
      await readBack(deps, incidentId, tables);
      clearContentMark(deps, incidentId);
    });
  }
}

/**
 * One GET decides: open in SOAR means the reopen happened, and the link follows (the next check
 * finishes the update); still closed means it did not, and the next listing of the finding recurs again.
 */
async function settleReopen(deps: SyncDeps, opKey: string): Promise<void> {
  const key = parseFindingKey(opKey);
  const link = key ? deps.store.links.get(key) : undefined;
  if (link && link.incidentState === 'closed' && link.incidentId !== null) {
    const incident = await deps.soar.getIncident(link.incidentId);
    if (incident?.planStatus === 'A') deps.store.links.setIncidentState(link, 'open');
  }
  deps.store.ops.complete(REOPEN_OP, opKey);
}

async function guarded(deps: SyncDeps, op: PendingOp, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    // Given up because the daemon is stopping: kept, as a crash would have kept it.
    if (isAbandoned(err)) return;
    const retryable = isRetryable(err);
    if (!retryable) deps.store.ops.complete(op.kind, op.key);
    deps.logger.warn(retryable ? 'Unfinished sync work failed again; retrying next cycle' : 'Unfinished sync work cannot be finished; dropped', {
      kind: op.kind, key: op.key, error: errorMessage(err),
    });
  }
}
