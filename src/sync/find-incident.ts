import type { FindingKey } from '../findings/finding-key.js';
import type { IncidentLookup, IncidentView } from '../soar/case-system.js';
import { FIELD, queryField } from '../incidents/incident-fields.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * Looks up the incident SOAR holds for a finding, open or closed (the finding id is unique; region
 * and detector are checked when the incident carries them). The newest wins when a finding has several
 * (e.g. `aws_gd_on_recurrence = new`). One query. Pass `newerThan` (an incident id) when the incident
 * sought replaces that one, so an interrupted create of a recurrence does not adopt the old incident.
 */
export async function findIncidentForFinding(deps: SyncDeps, key: FindingKey, newerThan?: number): Promise<IncidentView | undefined> {
  const lookup = incidentLookup(key, newerThan);
  const pages = deps.soar.queryIncidents({ conditions: lookup.conditions, sort: { field: 'create_date', direction: 'desc' }, pageSize: 20 });
  for await (const page of pages) return page.find(lookup.matches);
  return undefined;
}

/** The incident of a finding, as the SOAR client looks for it after a create whose answer was lost. */
export function incidentLookup(key: FindingKey, newerThan?: number): IncidentLookup {
  return {
    conditions: [{ field: queryField(FIELD.findingId), method: 'equals', value: key.findingId }],
    matches: (incident) => belongsTo(incident, key) && (newerThan === undefined || incident.id > newerThan),
  };
}

function belongsTo(incident: IncidentView, key: FindingKey): boolean {
  const props = incident.properties;
  const region = props[FIELD.region];
  const detector = props[FIELD.detectorId];
  return (
    props[FIELD.findingId] === key.findingId &&
    (typeof region !== 'string' || region === '' || region === key.region) &&
    (typeof detector !== 'string' || detector === '' || detector === key.detectorId)
  );
}

/**
 * What the daemon can take as "last written" for an incident it found rather than created: the
 * GuardDuty fields as SOAR holds them. An interrupted create may have been made from an older version
 * of the finding, so the next diff must start from the incident, not from the finding now. Built-in
 * fields are unknown here; a PATCH with a stale old value is re-planned by the SOAR client.
 */
export function appliedFromIncident(incident: IncidentView): Record<string, unknown> {
  return { properties: Object.fromEntries(Object.entries(incident.properties).filter(([k]) => k.startsWith('aws_guardduty_'))) };
}
