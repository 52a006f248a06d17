import type { TableRow } from '../../../datatables/map-rows.js';
import { toArtifactPayload } from '../../../incidents/template-context.js';
import type { FindingKey } from '../../../findings/finding-key.js';
import type { FunctionRefreshResult } from '../../../sync/function-refresh.js';
import { QUERY_EXECUTION_DATE } from '../../../sync/incident-content.js';
import { FUNCTION, defineFunction } from '../../function-definition.js';
import { INPUT } from '../../function-inputs.js';
import type { FunctionModule } from '../../function-module.js';
import { FunctionInputError, type FunctionOutcome } from '../../function-types.js';
import { detectorInput, findingIdInput, incidentIdInput } from '../../inputs.js';

/**
 * `func_aws_guardduty_refresh_finding`: the daemon's own refresh of the incident (changed fields,
 * new rows and artifacts, a change note), under the finding's lock so it never interleaves with a
 * cycle. The note is keyed by the invocation's message-id: a repeat after a crash adds none. The
 * result is IBM's content (`ParseFinding.to_json()`), `{}` when GuardDuty no longer has the finding.
 * An incident that no longer exists in SOAR is answered as gone (`success` false, the reason names
 * it), and its finding is healed as a cycle would heal it (`aws_gd_deleted_incident`).
 */
export const refreshFinding: FunctionModule = {
  definition: defineFunction(
    FUNCTION.refreshFinding, 'AWS GuardDuty: Refresh Finding',
    'Refreshes the AWS GuardDuty finding details of an incident: fields, data tables, artifacts and a note.',
    [INPUT.region, INPUT.detectorId, INPUT.findingId, INPUT.incidentId],
  ),
  handler: (prepared) => async (call) => {
    const deps = await prepared();
    const findingId = findingIdInput(call.inputs);
    const incidentId = incidentIdInput(call.inputs);
    const target = await detectorInput(deps, call.inputs);
    const key: FindingKey = { account: target.account, region: target.region, detectorId: target.detectorId, findingId };
    const result = await deps.refreshFinding({
      key, incidentId, source: target.source, noteKey: `function-refresh:${call.messageId}`,
      starting: () => call.status(`Refreshing incident ${incidentId} from GuardDuty finding ${findingId}`),
    });
    switch (result.kind) {
      case 'unknown-finding':
        throw new FunctionInputError(INPUT.findingId, `a finding GuardDuty holds in detector ${key.detectorId} (${key.region})`, findingId);
      case 'not-escalated':
        throw new FunctionInputError(INPUT.incidentId, `an incident guardduty-soar escalated finding ${findingId} to (it has none)`, incidentId);
      case 'other-incident':
        throw new FunctionInputError(INPUT.incidentId, `incident ${result.linkedIncidentId}, the one linked to finding ${findingId}`, incidentId);
      case 'finding-gone':
        return { success: true, reason: null, content: {} };
      case 'incident-gone':
        return incidentGone(key, incidentId, result);
      case 'refreshed':
        return refreshed(new Date(deps.clock.now()), key.region, result);
    }
  },
};

/** The incident asked for no longer exists in SOAR: what became of its finding. */
function incidentGone(key: FindingKey, lost: number, gone: Extract<FunctionRefreshResult, { kind: 'incident-gone' }>): FunctionOutcome {
  const what = `Incident ${lost} no longer exists in SOAR (it was deleted, or the org was restored from an older backup).`;
  const then = gone.replacement !== undefined
    ? `GuardDuty finding ${key.findingId} now has incident ${gone.replacement}, whose note names incident ${lost}; refresh that one.`
    : gone.findingGone
      ? `GuardDuty no longer returns finding ${key.findingId} either: there is nothing to escalate.`
      : `guardduty-soar no longer escalates GuardDuty finding ${key.findingId} (aws_gd_deleted_incident = ${gone.onDeletedIncident}` +
        `${gone.onDeletedIncident === 'recreate' ? ', but the finding is archived or filtered out' : ''}).`;
  return { success: false, reason: `${what} ${then}`, content: {} };
}

/**
 * IBM's result: `{timestamp, region, payload{name, description, discovered_date, severity_code,
 * properties, artifacts (those new to the incident), comments}, data_tables{table: rows}, finding}`.
 * Values are the daemon's mapping of the finding (the same the incident now shows).
 */
function refreshed(now: Date, region: string, result: Extract<FunctionRefreshResult, { kind: 'refreshed' }>): FunctionOutcome {
  const timestamp = now.toISOString().slice(0, 19).replace('T', ' ');
  const { template } = result;
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
        artifacts: result.added.map(toArtifactPayload),
        comments: [],
      },
      data_tables: dataTables(result.rows, timestamp),
      finding: result.finding,
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
