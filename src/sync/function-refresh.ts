import type { DeletedIncidentPolicy } from '../config/app-config.js';
import type { TableRow } from '../datatables/map-rows.js';
import { IncidentGoneError } from '../core/errors.js';
import type { TemplateContext } from '../incidents/template-context.js';
import type { Finding } from '../findings/finding.js';
import { findingKeyString, type FindingKey } from '../findings/finding-key.js';
import type { FindingsSource } from '../regions/findings-source.js';
import type { ArtifactInput } from '../soar/case-system.js';
import type { Link } from '../store/links-repo.js';
import { healDeletedIncident } from './deleted-incident.js';
import { findingContext } from './finding-context.js';
import { plannedContent } from './incident-content.js';
import { refreshIncident } from './manual-refresh.js';
import type { SyncDeps } from './sync-deps.js';

/** A refresh a SOAR function asks for: the incident the responder named, and the finding it should show. */
export interface FunctionRefreshRequest {
  key: FindingKey;
  incidentId: number;
  /** The source holding the credentials of the account that owns the detector. */
  source: FindingsSource;
  /** The change note's durable key: the same on every redelivery of one invocation, so a repeat adds no second note. */
  noteKey: string;
  /** Told once the request is checked, before anything is written (the function's interim status). */
  starting(): Promise<void>;
}

/** What became of it; nothing is written unless the answer is `refreshed` or `incident-gone`. */
export type FunctionRefreshResult =
  /** GuardDuty does not hold the finding, and guardduty-soar never escalated it. */
  | { kind: 'unknown-finding' }
  /** guardduty-soar has no incident for the finding. */
  | { kind: 'not-escalated' }
  /** The finding's incident is another one. */
  | { kind: 'other-incident'; linkedIncidentId: number }
  /** Refreshed from the finding; `added`: the artifacts new to the incident. */
  | { kind: 'refreshed'; finding: Finding; template: TemplateContext; rows: readonly TableRow[]; added: ArtifactInput[] }
  /** GuardDuty no longer returns the finding: the incident was refreshed to say so. */
  | { kind: 'finding-gone' }
  /**
   * The incident no longer exists in SOAR. The finding was healed first if it still named it, as a
   * cycle heals it: `replacement` is the incident it has now, if any.
   */
  | { kind: 'incident-gone'; replacement: number | undefined; findingGone: boolean; onDeletedIncident: DeletedIncidentPolicy };

/**
 * The sync's one entry point for a function-driven refresh (`func_aws_guardduty_refresh_finding`):
 * the daemon's own refresh of the incident (changed fields, new rows and artifacts, a change note),
 * under the finding's lock so it never interleaves with a cycle.
 */
export function refreshFindingForFunction(deps: SyncDeps, request: FunctionRefreshRequest): Promise<FunctionRefreshResult> {
  const { key, incidentId, source } = request;
  return deps.locks.run(findingKeyString(key), async () => {
    const [finding] = await source.getFindings(key.region, key.detectorId, [key.findingId]);
    const known = deps.store.links.get(key);
    // Known to be gone already (found missing by a check, or healed since).
    if (known && known.deletedIncidentId === incidentId && known.incidentId !== incidentId) return incidentGone(deps, key, finding, known, incidentId);
    if (!known && !finding) return { kind: 'unknown-finding' };
    if (!known || known.incidentId === null || known.state === 'orphaned') return { kind: 'not-escalated' };
    if (known.incidentId !== incidentId) return { kind: 'other-incident', linkedIncidentId: known.incidentId };
    await request.starting();
    try {
      if (!finding) {
        await refreshIncident(deps, known, undefined, { noteKey: request.noteKey, extraChanges: [] });
        return { kind: 'finding-gone' };
      }
      const ctx = findingContext(deps, finding, key);
      const added = plannedContent(deps, incidentId, ctx.rows, ctx.template.artifactInputs).artifacts;
      await refreshIncident(deps, known, finding, { noteKey: request.noteKey, extraChanges: [], context: ctx });
      return { kind: 'refreshed', finding, template: ctx.template, rows: ctx.rows, added };
    } catch (err) {
      if (!(err instanceof IncidentGoneError) || err.incidentId !== incidentId) throw err;
      return incidentGone(deps, key, finding, known, incidentId);
    }
  });
}

/** Heals the finding if it still names the lost incident (or waits to be recreated), as a cycle would. */
async function incidentGone(deps: SyncDeps, key: FindingKey, finding: Finding | undefined, link: Link, lost: number): Promise<FunctionRefreshResult> {
  if (finding && (link.incidentId === lost || link.state === 'orphaned')) await healDeletedIncident(deps, findingContext(deps, finding, key), link, lost);
  const now = deps.store.links.get(key);
  return {
    kind: 'incident-gone',
    replacement: now?.incidentId != null && now.state !== 'orphaned' ? now.incidentId : undefined,
    findingGone: !finding,
    onDeletedIncident: deps.config.sync.onDeletedIncident,
  };
}
