import type { TableRow } from '../../../datatables/map-rows.js';
import { toArtifactPayload, type TemplateContext } from '../../../incidents/template-context.js';
import type { FindingKey } from '../../../findings/finding-key.js';
import type { FunctionRefreshResult } from '../../../sync/function-refresh.js';
import { QUERY_EXECUTION_DATE } from '../../../sync/incident-content.js';
import { FUNCTION, defineFunction } from '../../function-definition.js';
import { INPUT } from '../../function-inputs.js';
import type { FunctionModule } from '../../function-module.js';
import { FunctionInputError, type FunctionOutcome } from '../../function-types.js';
import { detectorInput, ibmRequiredText, incidentIdInput } from '../../inputs.js';
import { JsonFloat, asFloat } from '../../json-float.js';

/**
 * `func_aws_guardduty_refresh_finding`: the daemon's own refresh of the incident (changed fields,
 * new rows and artifacts, a change note), under the finding's lock so it never interleaves with a
 * cycle. The note is keyed by the invocation's message-id: a repeat after a crash adds none. The
 * result is IBM's (issue 22): its v1 payload (`version` "1.0") with `ParseFinding.to_json()`'s
 * content, `{}` when GuardDuty does not have the finding. An incident that no longer exists in SOAR
 * is an error reply naming it, as IBM's app fails then, and its finding is healed as a cycle would
 * heal it (`aws_gd_deleted_incident`). Stricter than IBM's app, on purpose: an incident that is not
 * the finding's (or a finding guardduty-soar never escalated) is refused with an error reply
 * instead of being overwritten with another finding's data.
 */
export const refreshFinding: FunctionModule = {
  definition: defineFunction(
    FUNCTION.refreshFinding, 'AWS GuardDuty: Refresh Finding',
    'Refreshes the AWS GuardDuty finding details of an incident: fields, data tables, artifacts and a note.',
    [INPUT.region, INPUT.detectorId, INPUT.findingId, INPUT.incidentId],
  ),
  handler: (prepared) => async (call) => {
    const deps = await prepared();
    const findingId = ibmRequiredText(call.inputs, INPUT.findingId).trim();
    const incidentId = incidentIdInput(call.inputs);
    const target = await detectorInput(deps, call.inputs);
    const key: FindingKey = { account: target.account, region: target.region, detectorId: target.detectorId, findingId };
    const result = await deps.refreshFinding({
      key, incidentId, source: target.source, noteKey: `function-refresh:${call.messageId}`,
      starting: () => call.status(`Refreshing incident ${incidentId} from GuardDuty finding ${findingId}`),
    });
    switch (result.kind) {
      case 'unknown-finding':
        // GuardDuty holds no such finding (GetFindings answers []): IBM's app answers {} and writes nothing.
        return { success: true, reason: null, content: {}, payloadVersion: 1 };
      case 'not-escalated':
        throw new FunctionInputError(INPUT.incidentId, `an incident guardduty-soar escalated finding ${findingId} to (it has none)`, incidentId);
      case 'other-incident':
        throw new FunctionInputError(INPUT.incidentId, `incident ${result.linkedIncidentId}, the one linked to finding ${findingId}`, incidentId);
      case 'finding-gone':
        return { success: true, reason: null, content: {}, payloadVersion: 1 };
      case 'incident-gone':
        // IBM's app answers {} when GuardDuty has no finding (it never reads the incident then), and
        // fails (an error reply) when it cannot read the incident of a finding it has.
        if (result.findingGone) return { success: true, reason: null, content: {}, payloadVersion: 1 };
        throw new Error(incidentGone(key, incidentId, result));
      case 'refreshed':
        return refreshed(new Date(deps.clock.now()), key.region, result);
    }
  },
};

/** The incident asked for no longer exists in SOAR: what became of its finding. */
function incidentGone(key: FindingKey, lost: number, gone: Extract<FunctionRefreshResult, { kind: 'incident-gone' }>): string {
  const what = `Incident ${lost} no longer exists in SOAR (it was deleted, or the org was restored from an older backup).`;
  const then = gone.replacement !== undefined
    ? `GuardDuty finding ${key.findingId} now has incident ${gone.replacement}, whose note names incident ${lost}; refresh that one.`
    : gone.findingGone
      ? `GuardDuty no longer returns finding ${key.findingId} either: there is nothing to escalate.`
      : `guardduty-soar no longer escalates GuardDuty finding ${key.findingId} (aws_gd_deleted_incident = ${gone.onDeletedIncident}` +
        `${gone.onDeletedIncident === 'recreate' ? ', but the finding is archived or filtered out' : ''}).`;
  return `${what} ${then}`;
}

/**
 * IBM's result: `{timestamp, region, payload{name, description, discovered_date, severity_code,
 * properties, artifacts (those new to the incident), comments}, data_tables{table: rows}, finding}`.
 * Values are the daemon's mapping of the finding (the same the incident now shows).
 */
function refreshed(now: Date, region: string, result: Extract<FunctionRefreshResult, { kind: 'refreshed' }>): FunctionOutcome {
  const timestamp = now.toISOString().slice(0, 19).replace('T', ' ');
  const { template, finding } = result;
  // GuardDuty's Severity is a Double: botocore hands IBM's app a float, which its payload keeps
  // (8 on the wire is 8.0 in the result), and a playbook reads a number.
  const severity = typeof finding.Severity === 'number' ? new JsonFloat(finding.Severity) : null;
  return {
    success: true,
    reason: null,
    payloadVersion: 1,
    content: {
      timestamp,
      region,
      payload: {
        name: template.incident_name,
        description: { format: 'text', content: template.incident_description },
        // IBM's ParseFinding puts GuardDuty's CreatedAt as it is (the ISO text), not SOAR's epoch milliseconds.
        discovered_date: finding.CreatedAt,
        severity_code: template.severity.name,
        properties: ibmProperties(template.properties, severity),
        artifacts: result.added.map(toArtifactPayload),
        comments: [],
      },
      data_tables: dataTables(result.rows, timestamp, severity),
      finding: { ...finding, Severity: severity, ...(finding.Confidence === undefined ? {} : { Confidence: asFloat(finding.Confidence) }) },
    },
  };
}

/**
 * The ten properties of IBM's payload (`const.CUSTOM_FIELDS_MAP`, in its order), `null` for what the
 * finding lacks: only these, so a playbook that copies them onto an incident of IBM's schema never
 * meets a field that schema lacks (the daemon's own incident fields are more).
 */
function ibmProperties(p: TemplateContext['properties'], severity: JsonFloat | null): Record<string, string | JsonFloat | null> {
  return {
    aws_guardduty_finding_id: p.aws_guardduty_finding_id,
    aws_guardduty_finding_arn: p.aws_guardduty_finding_arn,
    aws_guardduty_finding_type: p.aws_guardduty_finding_type,
    aws_guardduty_finding_updated_at: p.aws_guardduty_finding_updated_at,
    aws_guardduty_region: p.aws_guardduty_region,
    aws_guardduty_severity: severity,
    aws_guardduty_resource_type: p.aws_guardduty_resource_type ?? null,
    aws_guardduty_detector_id: p.aws_guardduty_detector_id,
    aws_guardduty_count: p.aws_guardduty_count ?? null,
    aws_guardduty_archived: p.aws_guardduty_archived,
  };
}

/** IBM's six tables (`const.DATA_TABLE_IDS`, in its order): always in the result, `[]` when the finding has no row for one. */
export const IBM_DATA_TABLES = ['gd_finding_overview', 'gd_action_details', 'gd_resource_affected', 'gd_s3_bucket_details', 'gd_instance_details', 'gd_access_key_details'] as const;

type Cell = { value: string | JsonFloat | null };

/**
 * Rows in the shape SOAR's row_data takes, `query_execution_date` first, grouped by table: IBM's six
 * tables always, then the daemon's other tables that have rows. The overview's severity is the float.
 */
function dataTables(rows: readonly TableRow[], timestamp: string, severity: JsonFloat | null): Record<string, { cells: Record<string, Cell> }[]> {
  const tables: Record<string, { cells: Record<string, Cell> }[]> = Object.fromEntries(IBM_DATA_TABLES.map((t) => [t, []]));
  for (const row of rows) {
    const cells: Record<string, Cell> = { [QUERY_EXECUTION_DATE]: { value: timestamp } };
    for (const [column, value] of Object.entries(row.cells)) cells[column] = { value };
    if (row.table === 'gd_finding_overview' && 'severity' in cells) cells.severity = { value: severity };
    (tables[row.table] ??= []).push({ cells });
  }
  return tables;
}
