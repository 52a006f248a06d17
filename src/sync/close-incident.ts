import { ExternalServiceError } from '../core/errors.js';
import type { Link } from '../store/links-repo.js';
import { applyChanges, diffFields } from './field-diff.js';
import type { FindingContext } from './finding-context.js';
import { clearContentMark, contentInterrupted, readBack } from './incident-content.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * A finding archived in GuardDuty: record `aws_guardduty_archived = "True"` on the incident first
 * (the truth, and the loop guard IBM's archive playbook checks), then apply the close template. With
 * `aws_gd_close_on_archive = false` only the field is updated.
 */
export async function closeForArchivedFinding(deps: SyncDeps, ctx: FindingContext, link: Link): Promise<'closed' | 'updated'> {
  const { store, soar, templates, config } = deps;
  const incidentId = link.incidentId as number;
  // An update was cut short earlier: learn what it left in SOAR while the incident is still followed,
  // so a later refresh adds only what is missing.
  if (contentInterrupted(deps, incidentId)) {
    await readBack(deps, incidentId, ctx.rows.map((r) => r.table));
    clearContentMark(deps, incidentId);
  }
  const desired = templates.renderUpdate(ctx.template);
  const changes = diffFields(link.applied, desired);
  if (changes.length > 0) {
    await soar.patchIncident(incidentId, changes);
    store.links.setApplied(ctx.key, applyChanges(link.applied, desired));
  }
  if (!config.sync.closeOnArchive || link.incidentState === 'closed') {
    store.links.markSynced(ctx.key, ctx.snapshot);
    return 'updated';
  }
  const close = templates.renderClose({ ...ctx.template, reason: 'archived' });
  await assertCloseFieldsPresent(deps, close);
  // A responder may have closed it since the last check (the closed-incident query runs after the
  // findings): then their resolution and summary stand, and the daemon only records the close.
  const current = await soar.getIncident(incidentId);
  if (current?.planStatus !== 'C') await soar.patchIncident(incidentId, diffFields({ plan_status: 'A' }, close));
  // The link is marked archived only with the close: until then every cycle sees an archived finding
  // whose link is not, and tries the close again (a refused close is retried once the template is fixed).
  store.transaction(() => {
    store.links.setIncidentState(ctx.key, 'closed');
    store.links.markSynced(ctx.key, ctx.snapshot);
  });
  deps.logger.info('Closed the incident of an archived finding', { incidentId, findingId: ctx.key.findingId, region: ctx.key.region });
  return 'closed';
}

/**
 * The org may require more fields to close an incident than the close template sets; say which, and
 * where to add them, instead of letting SOAR's terse 400 through.
 */
async function assertCloseFieldsPresent(deps: SyncDeps, close: Record<string, unknown>): Promise<void> {
  const required = await deps.requiredOnClose();
  const props = (close.properties ?? {}) as Record<string, unknown>;
  const missing = required.filter((f) => isBlank(f.custom ? props[f.name] : close[f.name]));
  if (missing.length === 0) return;
  const names = missing.map((f) => `${f.label} (${f.custom ? `properties.${f.name}` : f.name})`).join(', ');
  throw new ExternalServiceError({
    service: 'soar',
    operation: 'close incident',
    retryable: false,
    message:
      `SOAR requires ${names} to close an incident, and the close template does not set ${missing.length === 1 ? 'it' : 'them'}. ` +
      `Add ${missing.length === 1 ? 'it' : 'them'} to the template named by aws_gd_close_incident_template (${deps.templates.paths.close}).`,
  });
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}
