import { createHash } from 'node:crypto';

/**
 * The `__function` input fields of the SOAR functions (one field per input, shared by every
 * function that lists it), with the uuids derived as resilient-sdk derives them. Data only; the
 * handlers read their inputs by the `INPUT` names. Assembled with the functions in `definitions.ts`.
 */

/** The package name IBM's app uses; uuids are derived from it as resilient-sdk derives them. */
export const APP_PACKAGE = 'fn_aws_guardduty';

/**
 * A uuid from a string as resilient-sdk's `generate_uuid_from_string` makes it:
 * `str(uuid.UUID(md5(s).hexdigest()))`, the md5 digest laid out as 8-4-4-4-12 hex digits.
 */
export function uuidFromString(text: string): string {
  const hex = createHash('md5').update(text, 'utf8').digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export type FunctionInputType = 'text' | 'textarea' | 'number' | 'boolean' | 'select' | 'multiselect' | 'datetimepicker' | 'datepicker';

export interface SelectValueDefinition {
  label: string;
  /** Deterministic, from the field and label (the server assigns its own numeric value ids). */
  uuid: string;
}

/** A `__function` field: one input, shared by every function that lists it (SOAR's fields are per org). */
export interface FunctionInputDefinition {
  name: InputName;
  label: string;
  inputType: FunctionInputType;
  /** Required in every function that takes it (true of all of IBM's inputs, §7.2). */
  required: boolean;
  tooltip: string;
  placeholder: string;
  values: readonly SelectValueDefinition[];
  uuid: string;
}

/** Input API names, for the handlers. */
export const INPUT = {
  findingId: 'aws_gd_finding_id',
  detectorId: 'aws_gd_detector_id',
  region: 'aws_gd_region',
  incidentId: 'incident_id',
  format: 'aws_gd_format',
  name: 'aws_gd_name',
  activate: 'aws_gd_activate',
  location: 'aws_gd_location',
  clientToken: 'aws_gd_client_token',
  tags: 'aws_gd_tags',
  bucketOwner: 'aws_gd_bucket_owner',
  ipSetId: 'aws_gd_ip_set_id',
  threatIntelSetId: 'aws_gd_threat_intel_set_id',
  maxResults: 'aws_gd_max_results',
  nextToken: 'aws_gd_next_token',
  newName: 'aws_gd_new_name',
  newLocation: 'aws_gd_new_location',
  newActivate: 'aws_gd_new_activate',
  ipAddresses: 'aws_gd_ip_addresses',
  findingIds: 'aws_gd_finding_ids',
  feedback: 'aws_gd_feedback',
  comments: 'aws_gd_comments',
  findingCriteria: 'aws_gd_finding_criteria',
  findingTypes: 'aws_gd_finding_types',
  resourceArn: 'aws_gd_resource_arn',
  tagKeys: 'aws_gd_tag_keys',
  enable: 'aws_gd_enable',
  publishingFrequency: 'aws_gd_finding_publishing_frequency',
  features: 'aws_gd_features',
} as const;
export type InputName = (typeof INPUT)[keyof typeof INPUT];

/** GuardDuty's list formats (IPSet and ThreatIntelSet `Format`), the values of `aws_gd_format`. */
export const LIST_FORMATS = ['TXT', 'STIX', 'OTX_CSV', 'ALIEN_VAULT', 'PROOF_POINT', 'FIRE_EYE'] as const;

/** GuardDuty's `FindingPublishingFrequency` values. */
export const PUBLISHING_FREQUENCIES = ['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS'] as const;

/** GuardDuty's `Feedback` values, the values of `aws_gd_feedback`. */
export const FEEDBACK_VALUES = ['USEFUL', 'NOT_USEFUL'] as const;

// [I] IBM's 2.0.0 export.res could not be read (reference §7.1): labels, tooltips and placeholders
// below are ours; names, input types and requiredness are IBM's (§7.2).
function input(name: InputName, label: string, inputType: FunctionInputType, required: boolean, tooltip: string, placeholder = '', values: readonly string[] = []): FunctionInputDefinition {
  return {
    name, label, inputType, required, tooltip, placeholder,
    values: values.map((v) => ({ label: v, uuid: uuidFromString(`${APP_PACKAGE}/__function/${name}/${v}`) })),
    uuid: uuidFromString(`${APP_PACKAGE}/__function/${name}`),
  };
}

export const FUNCTION_INPUTS: readonly FunctionInputDefinition[] = [
  input(INPUT.findingId, 'aws_gd_finding_id', 'text', true, 'The ID of the GuardDuty finding.'),
  input(INPUT.detectorId, 'aws_gd_detector_id', 'text', true, 'The ID of the GuardDuty detector (incident field aws_guardduty_detector_id).'),
  input(INPUT.region, 'aws_gd_region', 'text', true, 'The AWS region of the detector, e.g. eu-west-1.', 'us-east-1'),
  input(INPUT.incidentId, 'incident_id', 'number', true, 'The ID of the SOAR incident.'),
  input(INPUT.format, 'aws_gd_format', 'select', true, 'The format of the list file.', '', LIST_FORMATS),
  input(INPUT.name, 'aws_gd_name', 'text', true, 'A name for the list, shown in the GuardDuty console.'),
  input(INPUT.activate, 'aws_gd_activate', 'boolean', true, 'Whether GuardDuty starts using the list at once.'),
  input(INPUT.location, 'aws_gd_location', 'text', true, 'The S3 URL of the list file.', 's3://bucket/key.txt'),
  input(INPUT.clientToken, 'aws_gd_client_token', 'text', false, 'An idempotency token for the create request (optional).'),
  input(INPUT.tags, 'aws_gd_tags', 'text', false, 'Tags for the list, as "Key: Value, Key2: Value2" (optional).', 'Owner: secops, Env: prod'),
  input(INPUT.bucketOwner, 'aws_gd_bucket_owner', 'text', false, 'The AWS account ID that owns the S3 bucket of the list (optional).'),
  input(INPUT.ipSetId, 'aws_gd_ip_set_id', 'text', true, 'The ID of the GuardDuty IPSet.'),
  input(INPUT.threatIntelSetId, 'aws_gd_threat_intel_set_id', 'text', true, 'The ID of the GuardDuty ThreatIntelSet.'),
  input(INPUT.maxResults, 'aws_gd_max_results', 'number', false, 'The most IDs to return per page, 1–50 (optional).'),
  input(INPUT.nextToken, 'aws_gd_next_token', 'text', false, 'The token of the page to start from (optional).'),
  input(INPUT.newName, 'aws_gd_new_name', 'text', false, 'A new name for the list (optional).'),
  input(INPUT.newLocation, 'aws_gd_new_location', 'text', false, 'A new S3 URL of the list file (optional).', 's3://bucket/key.txt'),
  input(INPUT.newActivate, 'aws_gd_new_activate', 'boolean', false, 'Activate (true) or deactivate (false) the list (optional).'),
  input(INPUT.findingIds, 'aws_gd_finding_ids', 'text', true, 'GuardDuty finding IDs, separated by commas.'),
  input(INPUT.feedback, 'aws_gd_feedback', 'select', true, 'Whether the findings were useful to the responder.', '', FEEDBACK_VALUES),
  input(INPUT.comments, 'aws_gd_comments', 'text', false, 'A comment sent to GuardDuty with the feedback (optional).'),
  input(INPUT.findingCriteria, 'aws_gd_finding_criteria', 'text', false, 'ListFindings criteria as JSON, as the app.config key of that name takes them (optional).', '{"severity": {"greaterThanOrEqual": 7}}'),
  input(INPUT.findingTypes, 'aws_gd_finding_types', 'text', false, 'GuardDuty finding types separated by commas; empty: one sample of every type (optional).', 'Recon:EC2/PortProbeUnprotectedPort'),
  input(INPUT.resourceArn, 'aws_gd_resource_arn', 'text', false, 'The ARN of a GuardDuty detector, IPSet, ThreatIntelSet or filter; empty: the detector (optional).'),
  input(INPUT.tagKeys, 'aws_gd_tag_keys', 'text', false, 'Tag keys separated by commas.', 'Owner, Env'),
  input(INPUT.enable, 'aws_gd_enable', 'boolean', false, 'Enable (true) or suspend (false) the detector (optional).'),
  input(INPUT.publishingFrequency, 'aws_gd_finding_publishing_frequency', 'select', false, 'How often GuardDuty publishes updated findings (optional).', '', PUBLISHING_FREQUENCIES),
  input(INPUT.features, 'aws_gd_features', 'text', false, 'Features to turn on or off, as "NAME: ENABLED, NAME2: DISABLED" (optional).', 'S3_DATA_EVENTS: ENABLED'),
  input(INPUT.ipAddresses, 'aws_gd_ip_addresses', 'textarea', true, 'IPv4 or IPv6 addresses or CIDR ranges, separated by commas or new lines.', '203.0.113.7, 198.51.100.0/24'),
];

const INPUTS_BY_NAME = new Map<string, FunctionInputDefinition>(FUNCTION_INPUTS.map((f) => [f.name, f]));

/** The definition of one input field; throws on a name that is not one (a bug). */
export function inputDefinition(name: string): FunctionInputDefinition {
  const def = INPUTS_BY_NAME.get(name);
  if (!def) throw new Error(`No function input named ${name}`);
  return def;
}
