import { isoUtc } from '../core/clock.js';
import { type SeverityBand, mapSeverity, type MappedSeverity } from '../findings/severity.js';
import { extractArtifacts } from '../artifacts/extract-artifacts.js';
import type { Finding } from '../findings/finding.js';
import type { ArtifactInput, RichText } from '../soar/case-system.js';
import { mapProperties, type IncidentProperties } from './custom-fields.js';
import { accountLine, describedWithAccount, discoveredDate, incidentDescription, incidentName } from './incident-summary.js';
import { storyNote } from './story-note.js';

/** Why an incident is being closed: GuardDuty archived its finding, or another reason in words. */
export type CloseReason = 'archived' | (string & {});

export interface ContextOptions {
  /** The region and detector the finding was polled from (they win over the finding's own). */
  region: string;
  detectorId: string;
  severityMap: Readonly<Record<SeverityBand, string>>;
  /** Epoch ms, from the clock. */
  now: number;
  /** Only for the close template; defaults to `archived`, the reason the daemon closes incidents. */
  closeReason?: CloseReason;
}

/** An artifact as SOAR takes it inline in the create payload. */
export interface ArtifactPayload {
  type: { name: string };
  value: string;
  description: RichText;
}

/** What every template sees. Values derived from the finding must be rendered through `| json`. */
export interface TemplateContext {
  finding: Finding;
  incident_name: string;
  /** The finding's description (a fallback sentence without one). */
  description: string;
  /** `AWS account 111122223333, us-east-1.`: the member account and the region of the finding. */
  account_line: string;
  /** `account_line`, a blank line, then `description`: what the bundled create template writes. */
  incident_description: string;
  /** Epoch ms. */
  discovered_date: number;
  severity: MappedSeverity;
  properties: IncidentProperties;
  artifacts: ArtifactPayload[];
  /** The same artifacts in our terms, for the sync code that adds them one by one on refresh. */
  artifactInputs: ArtifactInput[];
  note: RichText;
  region: string;
  account_id: string;
  detector_id: string;
  reason: CloseReason;
  close_summary: string;
}

/** Everything the templates need for one finding, from the mappers (called once per finding). */
export function buildTemplateContext(finding: Finding, options: ContextOptions): TemplateContext {
  const origin = { region: options.region, detectorId: options.detectorId };
  const properties = mapProperties(finding, origin);
  const reason = options.closeReason ?? 'archived';
  const artifactInputs = extractArtifacts(finding);
  const description = incidentDescription(finding);
  const account = accountLine(properties.aws_guardduty_account_id, properties.aws_guardduty_region);
  return {
    finding,
    incident_name: incidentName(finding),
    description,
    account_line: account,
    incident_description: describedWithAccount(account, description),
    discovered_date: discoveredDate(finding, options.now),
    severity: mapSeverity(finding.Severity, options.severityMap),
    properties,
    artifacts: artifactInputs.map(toArtifactPayload),
    artifactInputs,
    note: storyNote(finding, origin),
    region: properties.aws_guardduty_region,
    account_id: properties.aws_guardduty_account_id,
    detector_id: properties.aws_guardduty_detector_id,
    reason,
    close_summary: closeSummary(finding, reason, options.now),
  };
}

export function toArtifactPayload(artifact: ArtifactInput): ArtifactPayload {
  return {
    type: { name: artifact.type },
    value: artifact.value,
    description: { format: 'text', content: artifact.description },
  };
}

/** The resolution summary a responder reads on a closed incident: who closed it and why. */
export function closeSummary(finding: Finding, reason: CloseReason, now: number): string {
  const what = `the GuardDuty finding ${finding.Id}`;
  if (reason === 'archived') {
    return `Closed by guardduty-soar: ${what} was archived in GuardDuty (noticed on ${isoUtc(now)}).`;
  }
  return `Closed by guardduty-soar: ${what}: ${reason}.`;
}
