import type { Finding } from '../findings/finding.js';
import type { FieldSpec } from '../soar/case-system.js';
import { nonBlank } from '../findings/finding-values.js';
import { FIELD } from './incident-fields.js';

/**
 * The custom incident fields (`properties`) the integration owns. Names are IBM's, so an IBM
 * customer's incidents, rules and playbooks keep working; labels and tooltips are IBM's with its
 * typos fixed (and the "Resource Updated At" label, which was about the finding, corrected).
 */
export const CUSTOM_FIELDS: readonly FieldSpec[] = [
  text(FIELD.findingId, 'AWS GuardDuty Finding ID',
    'A unique Finding ID for this GuardDuty finding type and set of parameters. New occurrences of activity matching this pattern will be aggregated to the same ID.'),
  text(FIELD.findingArn, 'AWS GuardDuty Finding ARN', 'ARN of the GuardDuty finding.'),
  text(FIELD.findingType, 'AWS GuardDuty Finding Type', 'The type of activity that triggered the GuardDuty finding.'),
  text(FIELD.updatedAt, 'AWS GuardDuty Finding Updated At',
    'The last time this finding was updated with new activity matching the pattern that prompted GuardDuty to generate this finding.'),
  text(FIELD.region, 'AWS GuardDuty Region', 'The AWS Region in which the GuardDuty finding was generated.'),
  text(FIELD.accountId, 'AWS GuardDuty Account ID', 'The ID of the AWS account in which the activity that prompted the GuardDuty finding took place.'),
  text(FIELD.severity, 'AWS GuardDuty Severity',
    'The GuardDuty severity of the finding: 1.0–3.9 Low, 4.0–6.9 Medium, 7.0–8.9 High, 9.0–10.0 Critical.'),
  text(FIELD.resourceType, 'AWS GuardDuty Resource Type',
    'The type of the resource affected by the GuardDuty finding, e.g. Instance, AccessKey, S3Bucket, EKSCluster, ECSCluster, Container, RDSDBInstance or Lambda.'),
  text(FIELD.detectorId, 'AWS GuardDuty Detector ID', 'The detector ID where the GuardDuty finding was detected.'),
  text(FIELD.count, 'AWS GuardDuty Count',
    'The number of times GuardDuty has aggregated an activity matching this pattern to this finding ID.'),
  text(FIELD.archived, 'AWS GuardDuty Archived', 'True or False: whether this GuardDuty finding has been archived.'),
  {
    name: FIELD.triggerRefresh,
    label: 'AWS GuardDuty Trigger Refresh',
    inputType: 'boolean',
    tooltip: 'Set to Yes to make the integration refresh this incident from GuardDuty now; it resets the field afterwards.',
  },
  // Written by the integration on the incident of a finding an attack sequence is made of (issue 20).
  text('aws_guardduty_sequence_incident', 'AWS GuardDuty Attack Sequence Incident',
    'The incident of the GuardDuty attack sequence this finding is part of (several, comma-separated, when it is part of several): the case that tells the whole story.'),
];

function text(name: string, label: string, tooltip: string): FieldSpec {
  return { name, label, inputType: 'text', tooltip };
}

/** The custom field values of an incident, as written into `properties`. */
export interface IncidentProperties {
  [FIELD.findingId]: string;
  [FIELD.findingArn]: string;
  [FIELD.findingType]: string;
  /** GuardDuty's ISO string, compared as text to notice updates. */
  [FIELD.updatedAt]: string;
  [FIELD.region]: string;
  [FIELD.accountId]: string;
  /** `String(n)`; undefined (null in SOAR) when GuardDuty sent no usable number. */
  [FIELD.severity]: string | undefined;
  [FIELD.resourceType]: string | undefined;
  [FIELD.detectorId]: string;
  [FIELD.count]: string | undefined;
  [FIELD.archived]: 'True' | 'False';
  [FIELD.triggerRefresh]: boolean;
}

/** Where the finding was polled: these win over what the finding says about itself. */
export interface PollOrigin {
  region: string;
  detectorId: string;
}

export function mapProperties(finding: Finding, origin: PollOrigin): IncidentProperties {
  const service = finding.Service;
  const severity = finding.Severity;
  const count = service?.Count;
  return {
    [FIELD.findingId]: finding.Id,
    [FIELD.findingArn]: finding.Arn,
    [FIELD.findingType]: finding.Type,
    [FIELD.updatedAt]: finding.UpdatedAt,
    // The incident is looked up by (finding id, detector, region) of the poll, as IBM's app does,
    // so the polled values are the ones that must be stored.
    [FIELD.region]: origin.region || finding.Region,
    [FIELD.accountId]: finding.AccountId,
    [FIELD.severity]: typeof severity === 'number' && Number.isFinite(severity) ? String(severity) : undefined,
    [FIELD.resourceType]: nonBlank(finding.Resource?.ResourceType),
    [FIELD.detectorId]: origin.detectorId || (service?.DetectorId ?? ''),
    [FIELD.count]: typeof count === 'number' && Number.isFinite(count) ? String(count) : undefined,
    [FIELD.archived]: service?.Archived === true ? 'True' : 'False',
    [FIELD.triggerRefresh]: false,
  };
}

/** The label of a field as responders see it, for change notes; built-in fields included. */
export function fieldLabel(name: string): string {
  const bare = name.startsWith('properties.') ? name.slice('properties.'.length) : name;
  const custom = CUSTOM_FIELDS.find((f) => f.name === bare);
  if (custom) return custom.label;
  return BUILT_IN_LABELS[bare] ?? bare;
}

const BUILT_IN_LABELS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  severity_code: 'Severity',
  plan_status: 'Status',
  resolution_id: 'Resolution',
  resolution_summary: 'Resolution summary',
  discovered_date: 'Date discovered',
};
