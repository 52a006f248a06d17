import type { TableRow } from '../../datatables/map-rows.js';
import { IncidentGoneError } from '../../core/errors.js';
import { toArtifactPayload } from '../../incidents/template-context.js';
import type { CycleDeps } from '../../poller/run-cycle.js';
import type { Finding } from '../../findings/finding.js';
import { findingKeyString, type FindingKey } from '../../findings/finding-key.js';
import type { ArtifactInput } from '../../soar/case-system.js';
import type { Link } from '../../store/links-repo.js';
import { healDeletedIncident } from '../../sync/deleted-incident.js';
import { findingContext, type FindingContext } from '../../sync/finding-context.js';
import { plannedContent, QUERY_EXECUTION_DATE } from '../../sync/incident-content.js';
import { refreshIncident } from '../../sync/manual-refresh.js';
import { INPUT } from '../definitions.js';
import { FunctionInputError, type FunctionCall, type FunctionHandler, type FunctionOutcome } from '../function-types.js';
import { detectorInput, findingIdInput, incidentIdInput } from '../inputs.js';
import type { FunctionDeps } from './index.js';

/**
 * `func_aws_guardduty_refresh_finding`: the daemon's own refresh of the incident (changed fields,
 * new rows and artifacts, a change note), under the finding's lock so it never interleaves with a
 * cycle. The note is keyed by the invocation's message-id: a repeat after a crash adds none. The
 * result is IBM's content (`ParseFinding.to_json()`), `{}` when GuardDuty no longer has the finding.
 * An incident that no longer exists in SOAR is answered as gone (`success` false, the reason names
 * it), and its finding is healed as a cycle would heal it (`aws_gd_deleted_incident`).
 */
export function refreshFindingHandler(deps: FunctionDeps): FunctionHandler {
  return async (call) => {
    const cycle = await deps.cycleDeps();
    const findingId = findingIdInput(call.inputs);
    const incidentId = incidentIdInput(call.inputs);
    const target = await detectorInput(cycle, call.inputs);
    const key: FindingKey = { account: target.account, region: target.region, detectorId: target.detectorId, findingId };
    return cycle.locks.run(findingKeyString(key), async () => {
      const [finding] = await target.source.getFindings(target.region, target.detectorId, [findingId]);
      const known = cycle.store.links.get(key);
      // Known to be gone already (found missing by a check, or healed since).
      if (known && known.deletedIncidentId === incidentId && known.incidentId !== incidentId) return incidentGone(cycle, key, finding, known, incidentId);
      const link = linkedIncident(cycle, key, finding, incidentId);
      await call.status(`Refreshing incident ${incidentId} from GuardDuty finding ${findingId}`);
      try {
        if (!finding) {
          await refreshIncident(cycle, link, undefined, { noteKey: noteKey(call), extraChanges: [] });
          return { success: true, reason: null, content: {} };
        }
        const ctx = findingContext(cycle, finding, key);
        const added = plannedContent(cycle, incidentId, ctx.rows, ctx.template.artifactInputs).artifacts;
        await refreshIncident(cycle, link, finding, { noteKey: noteKey(call), extraChanges: [], context: ctx });
        return refreshed(cycle, finding, key.region, ctx, added);
      } catch (err) {
        if (!(err instanceof IncidentGoneError) || err.incidentId !== incidentId) throw err;
        return incidentGone(cycle, key, finding, link, incidentId);
      }
    });
  };
}

/** The link of the finding to the incident named; checked before anything is written. */
function linkedIncident(deps: CycleDeps, key: FindingKey, finding: Finding | undefined, incidentId: number): Link {
  const link = deps.store.links.get(key);
  if (!link && !finding) {
    throw new FunctionInputError(INPUT.findingId, `a finding GuardDuty holds in detector ${key.detectorId} (${key.region})`, key.findingId);
  }
  if (!link || link.incidentId === null || link.state === 'orphaned') {
    throw new FunctionInputError(INPUT.incidentId, `an incident guardduty-soar escalated finding ${key.findingId} to (it has none)`, incidentId);
  }
  if (link.incidentId !== incidentId) {
    throw new FunctionInputError(INPUT.incidentId, `incident ${link.incidentId}, the one linked to finding ${key.findingId}`, incidentId);
  }
  return link;
}

/**
 * The incident asked for no longer exists in SOAR. The finding is healed first if it still names it
 * (or waits to be recreated), as a cycle would; the answer says what became of it.
 */
async function incidentGone(deps: CycleDeps, key: FindingKey, finding: Finding | undefined, link: Link, lost: number): Promise<FunctionOutcome> {
  if (finding && (link.incidentId === lost || link.state === 'orphaned')) await healDeletedIncident(deps, findingContext(deps, finding, key), link, lost);
  const now = deps.store.links.get(key);
  const gone = `Incident ${lost} no longer exists in SOAR (it was deleted, or the org was restored from an older backup).`;
  const then = now?.incidentId != null && now.state !== 'orphaned'
    ? `GuardDuty finding ${key.findingId} now has incident ${now.incidentId}, whose note names incident ${lost}; refresh that one.`
    : !finding
      ? `GuardDuty no longer returns finding ${key.findingId} either: there is nothing to escalate.`
      : `guardduty-soar no longer escalates GuardDuty finding ${key.findingId} (aws_gd_deleted_incident = ${deps.config.sync.onDeletedIncident}` +
        `${deps.config.sync.onDeletedIncident === 'recreate' ? ', but the finding is archived or filtered out' : ''}).`;
  return { success: false, reason: `${gone} ${then}`, content: {} };
}

function noteKey(call: FunctionCall): string {
  return `function-refresh:${call.messageId}`;
}

/**
 * IBM's result: `{timestamp, region, payload{name, description, discovered_date, severity_code,
 * properties, artifacts (those new to the incident), comments}, data_tables{table: rows}, finding}`.
 * Values are the daemon's mapping of the finding (the same the incident now shows).
 */
function refreshed(deps: CycleDeps, finding: Finding, region: string, ctx: FindingContext, added: ArtifactInput[]): FunctionOutcome {
  const timestamp = new Date(deps.clock.now()).toISOString().slice(0, 19).replace('T', ' ');
  const { template } = ctx;
  return {
    success: true,
    reason: null,
    content: {
      timestamp,
      region,
      payload: {
        name: template.incident_name,
        description: { format: 'text', content: template.incident_description },
        discovered_date: template.discovered_date,
        severity_code: template.severity.name,
        properties: template.properties,
        artifacts: added.map(toArtifactPayload),
        comments: [],
      },
      data_tables: dataTables(ctx.rows, timestamp),
      finding,
    },
  };
}

/** Rows in the shape SOAR's row_data takes, `query_execution_date` first, grouped by table. */
function dataTables(rows: readonly TableRow[], timestamp: string): Record<string, { cells: Record<string, { value: string }> }[]> {
  const tables: Record<string, { cells: Record<string, { value: string }> }[]> = {};
  for (const row of rows) {
    const cells: Record<string, { value: string }> = { [QUERY_EXECUTION_DATE]: { value: timestamp } };
    for (const [column, value] of Object.entries(row.cells)) cells[column] = { value };
    (tables[row.table] ??= []).push({ cells });
  }
  return tables;
}
