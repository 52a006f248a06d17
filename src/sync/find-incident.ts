import type { FindingKey } from '../regions/finding.js';
import type { IncidentView } from '../soar/case-system.js';
import { FIELD, queryField } from './incident-fields.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * Looks up the incident SOAR holds for a finding, open or closed (the finding id is unique; region
 * and detector are checked when the incident carries them). The newest wins when a finding has several
 * (e.g. `aws_gd_on_recurrence = new`). One query.
 */
export async function findIncidentForFinding(deps: SyncDeps, key: FindingKey): Promise<IncidentView | undefined> {
  const pages = deps.soar.queryIncidents({
    conditions: [{ field: queryField(FIELD.findingId), method: 'equals', value: key.findingId }],
    sort: { field: 'create_date', direction: 'desc' },
    pageSize: 20,
  });
  for await (const page of pages) {
    const match = page.find((incident) => belongsTo(incident, key));
    return match;
  }
  return undefined;
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
