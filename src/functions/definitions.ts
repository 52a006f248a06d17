import { createHash } from 'node:crypto';

/**
 * The SOAR function definitions of the app: the message destination, IBM's twelve functions, the
 * fifteen beyond them, and their `__function` input fields. Data only, no I/O. `setup` creates these over REST, `check`
 * compares them with the org, the listener routes on the names, the handlers read their inputs by
 * the name constants, and the App Host package writes `export.res` from the same objects
 * (soar-functions-contract.md §5.1, §7.2). Names are IBM's, so an org moving from IBM's app keeps
 * its playbooks and rules.
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

export interface MessageDestinationDefinition {
  programmaticName: string;
  name: string;
  /** 0: a queue. */
  destinationType: 0;
  expectAck: true;
  uuid: string;
}

export const MESSAGE_DESTINATION: MessageDestinationDefinition = {
  programmaticName: 'fn_aws_gd',
  name: 'fn_aws_gd',
  destinationType: 0,
  expectAck: true,
  uuid: uuidFromString(`${APP_PACKAGE}/message_destinations/fn_aws_gd`),
};

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

/** Function API names, for the listener and the handlers. */
export const FUNCTION = {
  refreshFinding: 'func_aws_guardduty_refresh_finding',
  archiveFinding: 'func_aws_guardduty_archive_finding',
  createIpSet: 'aws_guardduty_create_ipset',
  createThreatIntelSet: 'aws_guardduty_create_threatintelset',
  deleteIpSet: 'aws_guardduty_delete_ipset',
  deleteThreatIntelSet: 'aws_guardduty_delete_threatintelset',
  getIpSet: 'aws_guardduty_get_ipset',
  getThreatIntelSet: 'aws_guardduty_get_threatintelset',
  listIpSet: 'aws_guardduty_list_ipset',
  listThreatIntelSet: 'aws_guardduty_list_threatintelset',
  updateIpSet: 'aws_guardduty_update_ipset',
  updateThreatIntelSet: 'aws_guardduty_update_threatintelset',
  addToThreatIntelSet: 'aws_guardduty_add_to_threatintelset',
  removeFromThreatIntelSet: 'aws_guardduty_remove_from_threatintelset',
  addToIpSet: 'aws_guardduty_add_to_ipset',
  removeFromIpSet: 'aws_guardduty_remove_from_ipset',
  unarchiveFindings: 'aws_guardduty_unarchive_findings',
  updateFindingsFeedback: 'aws_guardduty_update_findings_feedback',
  getFindings: 'aws_guardduty_get_findings',
  listFindings: 'aws_guardduty_list_findings',
  createSampleFindings: 'aws_guardduty_create_sample_findings',
  getDetector: 'aws_guardduty_get_detector',
  listDetectors: 'aws_guardduty_list_detectors',
  listTags: 'aws_guardduty_list_tags_for_resource',
  tagResource: 'aws_guardduty_tag_resource',
  untagResource: 'aws_guardduty_untag_resource',
  updateDetector: 'aws_guardduty_update_detector',
} as const;
export type FunctionName = (typeof FUNCTION)[keyof typeof FUNCTION];

export interface FunctionDefinition {
  name: FunctionName;
  displayName: string;
  description: string;
  destination: string;
  /** Input API names in the order SOAR shows them (the function's `view_items`). */
  inputs: readonly InputName[];
  uuid: string;
}

function fn(name: FunctionName, displayName: string, description: string, inputs: readonly InputName[]): FunctionDefinition {
  return { name, displayName, description, destination: MESSAGE_DESTINATION.programmaticName, inputs, uuid: uuidFromString(`${APP_PACKAGE}/functions/${name}`) };
}

const I = INPUT;
const AT = [I.detectorId, I.region] as const;
// [I] Display names of the ten list functions follow the two IBM's guide shows ("AWS GuardDuty: Create IPSet", §7.2).
export const FUNCTIONS: readonly FunctionDefinition[] = [
  fn(FUNCTION.refreshFinding, 'AWS GuardDuty: Refresh Finding', 'Refreshes the AWS GuardDuty finding details of an incident: fields, data tables, artifacts and a note.', [I.region, I.detectorId, I.findingId, I.incidentId]),
  fn(FUNCTION.archiveFinding, 'AWS GuardDuty: Archive finding', 'Archives the AWS GuardDuty finding of an incident, e.g. when the incident is closed.', [I.region, I.detectorId, I.findingId]),
  fn(FUNCTION.createIpSet, 'AWS GuardDuty: Create IPSet', 'Creates a GuardDuty IPSet (trusted IP list) from a file in S3.', [I.format, I.name, ...AT, I.activate, I.location, I.clientToken, I.tags, I.bucketOwner]),
  fn(FUNCTION.createThreatIntelSet, 'AWS GuardDuty: Create ThreatIntelSet', 'Creates a GuardDuty ThreatIntelSet (threat list) from a file in S3.', [I.format, I.name, ...AT, I.activate, I.location, I.clientToken, I.tags]),
  fn(FUNCTION.deleteIpSet, 'AWS GuardDuty: Delete IPSet', 'Deletes a GuardDuty IPSet.', [I.ipSetId, ...AT]),
  fn(FUNCTION.deleteThreatIntelSet, 'AWS GuardDuty: Delete ThreatIntelSet', 'Deletes a GuardDuty ThreatIntelSet.', [I.threatIntelSetId, ...AT]),
  fn(FUNCTION.getIpSet, 'AWS GuardDuty: Get IPSet', 'Reads a GuardDuty IPSet: name, format, location, status and tags.', [I.ipSetId, ...AT]),
  fn(FUNCTION.getThreatIntelSet, 'AWS GuardDuty: Get ThreatIntelSet', 'Reads a GuardDuty ThreatIntelSet: name, format, location, status and tags.', [I.threatIntelSetId, ...AT]),
  fn(FUNCTION.listIpSet, 'AWS GuardDuty: List IPSets', 'Lists the IPSet IDs of a GuardDuty detector.', [...AT, I.maxResults, I.nextToken]),
  fn(FUNCTION.listThreatIntelSet, 'AWS GuardDuty: List ThreatIntelSets', 'Lists the ThreatIntelSet IDs of a GuardDuty detector.', [...AT, I.maxResults, I.nextToken]),
  fn(FUNCTION.updateIpSet, 'AWS GuardDuty: Update IPSet', 'Changes the name, location or activation of a GuardDuty IPSet.', [...AT, I.ipSetId, I.newName, I.newLocation, I.newActivate, I.bucketOwner]),
  fn(FUNCTION.updateThreatIntelSet, 'AWS GuardDuty: Update ThreatIntelSet', 'Changes the name, location or activation of a GuardDuty ThreatIntelSet.', [...AT, I.threatIntelSetId, I.newName, I.newLocation, I.newActivate]),
  // Beyond IBM's app (issue 13): the list maintenance a responder does from an IP Address artifact.
  fn(FUNCTION.addToThreatIntelSet, 'AWS GuardDuty: Add to threat list', 'Adds IP addresses or CIDR ranges to the TXT file of a GuardDuty ThreatIntelSet (threat list) and has GuardDuty reload it.', [I.ipAddresses, I.threatIntelSetId, ...AT]),
  fn(FUNCTION.removeFromThreatIntelSet, 'AWS GuardDuty: Remove from threat list', 'Removes IP addresses or CIDR ranges from the TXT file of a GuardDuty ThreatIntelSet (threat list) and has GuardDuty reload it.', [I.ipAddresses, I.threatIntelSetId, ...AT]),
  fn(FUNCTION.addToIpSet, 'AWS GuardDuty: Add to trusted list', 'Adds IP addresses or CIDR ranges to the TXT file of a GuardDuty IPSet (trusted IP list) and has GuardDuty reload it.', [I.ipAddresses, I.ipSetId, ...AT]),
  fn(FUNCTION.removeFromIpSet, 'AWS GuardDuty: Remove from trusted list', 'Removes IP addresses or CIDR ranges from the TXT file of a GuardDuty IPSet (trusted IP list) and has GuardDuty reload it.', [I.ipAddresses, I.ipSetId, ...AT]),
  fn(FUNCTION.updateFindingsFeedback, 'AWS GuardDuty: Update findings feedback', 'Tells GuardDuty whether findings were useful, with an optional comment.', [I.findingIds, I.feedback, I.comments, ...AT]),
  fn(FUNCTION.getFindings, 'AWS GuardDuty: Get findings', 'Reads up to 50 GuardDuty findings by ID, in full.', [I.findingIds, ...AT]),
  fn(FUNCTION.listFindings, 'AWS GuardDuty: List findings', 'Lists the IDs of GuardDuty findings matching criteria, one page at a time, newest update first.', [...AT, I.findingCriteria, I.maxResults, I.nextToken]),
  fn(FUNCTION.createSampleFindings, 'AWS GuardDuty: Create sample findings', 'Has GuardDuty generate sample findings, e.g. to try a playbook.', [...AT, I.findingTypes]),
  fn(FUNCTION.getDetector, 'AWS GuardDuty: Get detector', 'Reads a GuardDuty detector: status, publishing frequency, features and data sources.', [...AT]),
  fn(FUNCTION.listDetectors, 'AWS GuardDuty: List detectors', 'Lists the GuardDuty detectors of a region, with the account of each, in every account guardduty-soar reads.', [I.region]),
  fn(FUNCTION.listTags, 'AWS GuardDuty: List tags', 'Lists the tags of a GuardDuty detector, IPSet, ThreatIntelSet or filter.', [...AT, I.resourceArn]),
  fn(FUNCTION.tagResource, 'AWS GuardDuty: Tag resource', 'Adds or replaces tags on a GuardDuty detector, IPSet, ThreatIntelSet or filter.', [...AT, I.resourceArn, I.tags]),
  fn(FUNCTION.untagResource, 'AWS GuardDuty: Untag resource', 'Removes tags from a GuardDuty detector, IPSet, ThreatIntelSet or filter.', [...AT, I.resourceArn, I.tagKeys]),
  fn(FUNCTION.updateDetector, 'AWS GuardDuty: Update detector', 'Enables or suspends a GuardDuty detector, or changes its publishing frequency or features.', [...AT, I.enable, I.publishingFrequency, I.features]),
  fn(FUNCTION.unarchiveFindings, 'AWS GuardDuty: Unarchive findings', 'Unarchives GuardDuty findings, e.g. when an incident closed by mistake is reopened.', [I.findingIds, ...AT]),
];

const INPUTS_BY_NAME = new Map<string, FunctionInputDefinition>(FUNCTION_INPUTS.map((f) => [f.name, f]));

/** The definition of one input field; throws on a name that is not one (a bug). */
export function inputDefinition(name: string): FunctionInputDefinition {
  const def = INPUTS_BY_NAME.get(name);
  if (!def) throw new Error(`No function input named ${name}`);
  return def;
}

export function functionDefinition(name: string): FunctionDefinition | undefined {
  return FUNCTIONS.find((f) => f.name === name);
}

/** The inputs a function requires, by API name (what a handler validates first). */
export function requiredInputs(fnName: FunctionName): InputName[] {
  return (functionDefinition(fnName)?.inputs ?? []).filter((n) => inputDefinition(n).required);
}

/** IBM's example playbooks and 1.0.0 rules/workflows (reference §7.3), for the package. */
export const IBM_PLAYBOOKS = [
  'example_aws_guardduty_refresh_finding_details_pb',
  'example_aws_guardduty_update_finding_details_pb',
  'example_aws_guardduty_archive_finding_pb',
  ...(['create', 'delete', 'get', 'list', 'update'] as const).flatMap((op) => [`aws_guardduty_${op}_ipset_pb`, `aws_guardduty_${op}_threatintelset_pb`]),
] as const;
export const IBM_RULES = [
  'Example: AWS GuardDuty: Archive Finding',
  'Example: AWS GuardDuty: Refresh Finding Details',
  'Example: AWS GuardDuty: Update Finding Details',
] as const;
export const IBM_WORKFLOWS = ['wf_aws_guardduty_archive_finding', 'wf_aws_guardduty_refresh_finding'] as const;
