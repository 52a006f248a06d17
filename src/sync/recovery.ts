import type { IncidentView } from '../soar/case-system.js';
import { findingKeyString } from '../findings/finding-key.js';
import { ARCHIVE_OP } from './archive-op.js';
import { appliedFromIncident, findIncidentForFinding } from './find-incident.js';
import { FIELD, queryField } from '../incidents/incident-fields.js';
import { finishInterruptedWork } from './interrupted-work.js';
import { replacedIncident } from './recurrence-op.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * Start-up recovery, before any cycle:
 * - an empty database next to a SOAR that already holds GuardDuty incidents is rebuilt from SOAR
 *   (one paged query by the finding-id property), so nothing already escalated is created again;
 * - links left `creating` by a crash are resolved by looking their incident up by finding id;
 * - other work a crash cut short is finished (see `finishInterruptedWork`).
 */
export async function recoverOnStart(deps: SyncDeps, accounts: readonly string[]): Promise<{ adopted: number; resolved: number }> {
  // Each link (and each page of the adoption) is a safe point: a daemon asked to stop during the
  // recovery takes no new one, and the next start (or the sync of the finding) finishes the rest.
  const stopping = (): boolean => deps.stopping?.aborted === true;
  // Marked before and cleared after, so an adoption a crash (or a stop) cut short is finished by the
  // next start (adopting is idempotent) instead of leaving the rest of SOAR's incidents to be created twice.
  let adopted = 0;
  if (deps.store.links.isEmpty() || deps.store.getMeta(ADOPTION_META) === 'started') {
    deps.store.setMeta(ADOPTION_META, 'started');
    adopted = await adoptFromSoar(deps, accounts);
    if (!stopping()) deps.store.setMeta(ADOPTION_META, 'done');
  }
  let resolved = 0;
  const creating = stopping() ? [] : deps.store.links.inState('creating');
  for (const link of creating) {
    if (stopping()) break;
    const incident = await findIncidentForFinding(deps, link, replacedIncident(deps, link));
    if (!incident) continue;
    // Open even if a responder closed it meanwhile: the closed-incident query then sees the close and archives.
    deps.store.links.attachIncident(link, incident.id, 'partial', appliedFromIncident(incident));
    resolved += 1;
  }
  // Before the first cycle, so a reopen cut short is followed (and its finding checked) at once.
  await finishInterruptedWork(deps);
  if (stopping()) {
    deps.logger.info('Start-up recovery stopped at a safe point; the next start finishes it', {
      adopted, resolved, creatingLeft: deps.store.links.inState('creating').length,
    });
  } else if (adopted > 0 || resolved > 0) {
    deps.logger.info('Recovered state from SOAR', { adopted, resolved });
  }
  return { adopted, resolved };
}

const ADOPTION_META = 'adoption';

async function adoptFromSoar(deps: SyncDeps, accounts: readonly string[]): Promise<number> {
  let adopted = 0;
  const pages = deps.soar.queryIncidents({
    conditions: [{ field: queryField(FIELD.findingId), method: 'has_a_value' }],
    // Newest first: with aws_gd_on_recurrence = new a finding has several incidents, and the newest
    // is the one to follow (the first adopted wins).
    sort: { field: 'create_date', direction: 'desc' },
    pageSize: 500,
  });
  for await (const page of pages) {
    for (const incident of page) if (adoptOne(deps, incident, accounts)) adopted += 1;
    if (deps.stopping?.aborted) break;
  }
  return adopted;
}

function adoptOne(deps: SyncDeps, incident: IncidentView, accounts: readonly string[]): boolean {
  const p = incident.properties;
  const text = (name: string): string | undefined => (typeof p[name] === 'string' && p[name] !== '' ? (p[name]) : undefined);
  const findingId = text(FIELD.findingId);
  const region = text(FIELD.region);
  const detectorId = text(FIELD.detectorId);
  if (!findingId || !region || !detectorId) {
    deps.logger.warn('Incident has a GuardDuty finding id but no region or detector; not adopted', { incidentId: incident.id });
    return false;
  }
  const findingAccount = text(FIELD.accountId);
  // The polling account: the finding's own account in role-per-account mode, else the only (administrator) one.
  const account = (findingAccount && accounts.includes(findingAccount) ? findingAccount : accounts[0]) ?? findingAccount ?? '';
  const count = Number(text(FIELD.count) ?? '0');
  const severity = Number(text(FIELD.severity));
  const key = { account, region, detectorId, findingId };
  const closed = incident.planStatus === 'C';
  const archived = text(FIELD.archived) === 'True';
  const snapshot = {
    findingAccount: findingAccount ?? account,
    updatedAt: text(FIELD.updatedAt) ?? '',
    count: Number.isFinite(count) ? count : 0,
    severity: Number.isFinite(severity) ? severity : null,
    archived,
  };
  // One transaction: a closed link without its queued archive would never be archived.
  return deps.store.transaction(() => {
    const closedAt = closed ? (incident.closedAt ?? incident.lastModified) : null;
    if (!deps.store.links.insertAdopted(key, snapshot, incident.id, closed ? 'closed' : 'open', appliedFromIncident(incident), closedAt)) return false;
    // Closed while the database was lost: the closed-incident query starts afresh and would never
    // see it, so its archive is queued here (archiving an archived finding is harmless).
    if (closed && !archived && deps.config.sync.archiveOnClose) {
      deps.store.ops.enqueue(ARCHIVE_OP, findingKeyString(key), { incidentId: incident.id, resolution: incident.resolutionId ?? null });
    }
    return true;
  });
}
