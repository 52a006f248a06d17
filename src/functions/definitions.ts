import { createHash } from 'node:crypto';

/**
 * The SOAR function definitions of the app: the message destination, IBM's twelve functions, the
 * fifteen beyond them, the twelve of issue 21 (scans, filters, coverage), and their `__function` input fields. Data only, no I/O. `setup` creates these over REST, `check`
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
  scanId: 'aws_gd_scan_id',
  scanStatus: 'aws_gd_scan_status',
  scanFindingId: 'aws_gd_scan_finding_id',
  bucket: 'aws_gd_bucket',
  objectKey: 'aws_gd_object_key',
  versionId: 'aws_gd_version_id',
  filterName: 'aws_gd_filter_name',
  filterAction: 'aws_gd_filter_action',
  filterDescription: 'aws_gd_filter_description',
  filterRank: 'aws_gd_filter_rank',
  suppressBy: 'aws_gd_suppress_by',
  dryRun: 'aws_gd_dry_run',
  coverageStatus: 'aws_gd_coverage_status',
} as const;
export type InputName = (typeof INPUT)[keyof typeof INPUT];

/** GuardDuty's list formats (IPSet and ThreatIntelSet `Format`), the values of `aws_gd_format`. */
export const LIST_FORMATS = ['TXT', 'STIX', 'OTX_CSV', 'ALIEN_VAULT', 'PROOF_POINT', 'FIRE_EYE'] as const;

/** GuardDuty's `FindingPublishingFrequency` values. */
export const PUBLISHING_FREQUENCIES = ['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS'] as const;

/** GuardDuty's `MalwareProtectionScanStatus` values, the values of `aws_gd_scan_status`. */
export const SCAN_STATUSES = ['RUNNING', 'COMPLETED', 'COMPLETED_WITH_ISSUES', 'FAILED', 'SKIPPED'] as const;

/** GuardDuty's `FilterAction` values, the values of `aws_gd_filter_action`. */
export const FILTER_ACTIONS = ['ARCHIVE', 'NOOP'] as const;

/** What makes a finding a false positive, the values of `aws_gd_suppress_by` (suppress like this). */
export const SUPPRESS_BY = ['resource', 'remote_ip', 'type'] as const;

/** GuardDuty's `CoverageStatus` values, the values of `aws_gd_coverage_status`. */
export const COVERAGE_STATUSES = ['HEALTHY', 'UNHEALTHY'] as const;

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
  input(INPUT.resourceArn, 'aws_gd_resource_arn', 'text', false, 'An ARN (optional). Tags: a GuardDuty detector, IPSet, ThreatIntelSet or filter; empty: the detector. Malware scan: an EC2 instance or EBS volume; empty: the incident\'s instance.'),
  input(INPUT.tagKeys, 'aws_gd_tag_keys', 'text', false, 'Tag keys separated by commas.', 'Owner, Env'),
  input(INPUT.enable, 'aws_gd_enable', 'boolean', false, 'Enable (true) or suspend (false) the detector (optional).'),
  input(INPUT.publishingFrequency, 'aws_gd_finding_publishing_frequency', 'select', false, 'How often GuardDuty publishes updated findings (optional).', '', PUBLISHING_FREQUENCIES),
  input(INPUT.features, 'aws_gd_features', 'text', false, 'Features to turn on or off, as "NAME: ENABLED, NAME2: DISABLED" (optional).', 'S3_DATA_EVENTS: ENABLED'),
  input(INPUT.ipAddresses, 'aws_gd_ip_addresses', 'textarea', true, 'IPv4 or IPv6 addresses or CIDR ranges, separated by commas or new lines.', '203.0.113.7, 198.51.100.0/24'),
  // Issue 21: malware scans, suppression rules (filters) and coverage.
  input(INPUT.scanId, 'aws_gd_scan_id', 'text', true, 'The ID of a GuardDuty malware scan.'),
  input(INPUT.scanStatus, 'aws_gd_scan_status', 'select', false, 'Only scans with this status (optional).', '', SCAN_STATUSES),
  input(INPUT.scanFindingId, 'aws_gd_scan_finding_id', 'text', false, 'Only the scans GuardDuty started for this finding (optional).'),
  input(INPUT.bucket, 'aws_gd_bucket', 'text', true, 'The S3 bucket of the object (it needs a GuardDuty Malware Protection plan).'),
  input(INPUT.objectKey, 'aws_gd_object_key', 'text', true, 'The key of the S3 object.', 'uploads/report.pdf'),
  input(INPUT.versionId, 'aws_gd_version_id', 'text', false, 'The version of the S3 object; empty: the latest (optional).'),
  input(INPUT.filterName, 'aws_gd_filter_name', 'text', true, 'The name of a GuardDuty filter or suppression rule: 3-64 letters, digits, . _ -.'),
  input(INPUT.filterAction, 'aws_gd_filter_action', 'select', false, 'ARCHIVE: a suppression rule (matching findings are archived as they arrive); NOOP: a saved filter (optional).', '', FILTER_ACTIONS),
  input(INPUT.filterDescription, 'aws_gd_filter_description', 'text', false, 'A description of the filter (optional).'),
  input(INPUT.filterRank, 'aws_gd_filter_rank', 'number', false, 'The position of the filter among the detector\'s filters, 1-100 (optional).'),
  input(INPUT.suppressBy, 'aws_gd_suppress_by', 'select', false, 'What made the finding a false positive: its resource, its remote IP, or its type alone in this account (optional; default resource).', '', SUPPRESS_BY),
  input(INPUT.dryRun, 'aws_gd_dry_run', 'boolean', false, 'true or empty: only show the rule (a note and the result); false: create it.'),
  input(INPUT.coverageStatus, 'aws_gd_coverage_status', 'select', false, 'Only resources with this coverage status (optional).', '', COVERAGE_STATUSES),
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
  startMalwareScan: 'aws_guardduty_start_malware_scan',
  getMalwareScan: 'aws_guardduty_get_malware_scan',
  listMalwareScans: 'aws_guardduty_list_malware_scans',
  scanS3Object: 'aws_guardduty_scan_s3_object',
  createFilter: 'aws_guardduty_create_filter',
  updateFilter: 'aws_guardduty_update_filter',
  deleteFilter: 'aws_guardduty_delete_filter',
  listFilters: 'aws_guardduty_list_filters',
  getFilter: 'aws_guardduty_get_filter',
  suppressLikeThis: 'aws_guardduty_suppress_like_this',
  listCoverage: 'aws_guardduty_list_coverage',
  getCoverageStatistics: 'aws_guardduty_get_coverage_statistics',
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
  // Issue 21: respond further from the case (docs/responding.md).
  fn(FUNCTION.startMalwareScan, 'AWS GuardDuty: Start malware scan', 'Scans the EC2 instance or EBS volume of an incident for malware; the daemon writes the verdict into the incident when it arrives.', [I.incidentId, ...AT, I.resourceArn]),
  fn(FUNCTION.getMalwareScan, 'AWS GuardDuty: Get malware scan', 'Reads a GuardDuty malware scan: status, result, and the threats found with their hashes and file paths.', [I.scanId, ...AT]),
  fn(FUNCTION.listMalwareScans, 'AWS GuardDuty: List malware scans', 'Lists GuardDuty malware scans, newest first, by finding, resource or status, one page at a time.', [...AT, I.scanFindingId, I.resourceArn, I.scanStatus, I.maxResults, I.nextToken]),
  fn(FUNCTION.scanS3Object, 'AWS GuardDuty: Scan S3 object', 'Has GuardDuty Malware Protection for S3 scan an object of a protected bucket.', [...AT, I.bucket, I.objectKey, I.versionId]),
  fn(FUNCTION.createFilter, 'AWS GuardDuty: Create filter', 'Creates a GuardDuty filter; with action ARCHIVE, a suppression rule that archives matching findings as they arrive.', [...AT, I.filterName, I.findingCriteria, I.filterAction, I.filterDescription, I.filterRank, I.tags]),
  fn(FUNCTION.updateFilter, 'AWS GuardDuty: Update filter', 'Changes the criteria, action, description or rank of a GuardDuty filter or suppression rule.', [...AT, I.filterName, I.findingCriteria, I.filterAction, I.filterDescription, I.filterRank]),
  fn(FUNCTION.deleteFilter, 'AWS GuardDuty: Delete filter', 'Deletes a GuardDuty filter or suppression rule.', [...AT, I.filterName]),
  fn(FUNCTION.listFilters, 'AWS GuardDuty: List filters', 'Lists the names of the filters and suppression rules of a GuardDuty detector.', [...AT, I.maxResults, I.nextToken]),
  fn(FUNCTION.getFilter, 'AWS GuardDuty: Get filter', 'Reads a GuardDuty filter or suppression rule: action, rank, criteria and tags.', [...AT, I.filterName]),
  fn(FUNCTION.suppressLikeThis, 'AWS GuardDuty: Suppress findings like this', 'Builds a suppression rule from the finding of an incident (its type, account, and its resource or remote IP), shows it, and creates it when not a dry run.', [I.incidentId, ...AT, I.suppressBy, I.dryRun]),
  fn(FUNCTION.listCoverage, 'AWS GuardDuty: List coverage', 'Lists the resources GuardDuty Runtime Monitoring covers, healthy or not, with why not.', [...AT, I.coverageStatus, I.maxResults, I.nextToken]),
  fn(FUNCTION.getCoverageStatistics, 'AWS GuardDuty: Get coverage statistics', 'Counts the resources GuardDuty Runtime Monitoring covers, by coverage status and by resource type.', [...AT]),
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
