import {
  accessKeyId,
  accountList,
  awsRegion,
  defaultSessionName,
  externalId,
  roleArn,
  roleArnList,
  sessionName,
} from './aws-parsers.js';
import { findingCriteria } from './finding-criteria.js';
import { key, type KeyTable } from './key-spec.js';
import { bool, numberIn, pythonRegex, text } from './parsers.js';

const minutes = (min: number, integer = false) => numberIn({ min, integer, unit: 'minutes' });

/** `[fn_aws_guardduty]`, first half: AWS access, regions, polling and which findings to escalate. */
export const GUARDDUTY_KEYS = {
  aws_gd_access_key_id: key({
    group:
      'AWS credentials. Without static keys, the AWS default chain is used (environment, shared files, ' +
      'container or instance role, web identity).',
    doc: 'Static access key id.',
    example: 'AKIAIOSFODNN7EXAMPLE',
    parse: accessKeyId,
  }),
  aws_gd_secret_access_key: key({
    doc: 'Its secret access key.',
    example: '$AWS_GD_SECRET_ACCESS_KEY',
    secret: true,
    parse: text,
  }),
  aws_gd_role_arn: key({
    doc: 'Assume this role (STS AssumeRole) for every GuardDuty and EC2 call.',
    example: 'arn:aws:iam::123456789012:role/GuardDutySoar',
    parse: roleArn,
  }),
  aws_gd_role_arns: key({
    doc: 'Role-per-account mode: comma-separated role ARNs, one per account (instead of aws_gd_role_arn).',
    example: 'arn:aws:iam::111111111111:role/GuardDutySoar, arn:aws:iam::222222222222:role/GuardDutySoar',
    parse: roleArnList,
  }),
  aws_gd_role_session_name: key({
    doc: 'STS session name (2-64 characters), shown in CloudTrail.',
    example: 'guardduty-soar',
    defaultDoc: 'guardduty-soar-<host name>',
    computedDefault: (ctx) => defaultSessionName(ctx.hostname),
    parse: sessionName,
  }),
  aws_gd_session_duration: key({
    doc: 'Seconds an assumed-role session lasts (900-43200).',
    example: '3600',
    default: '3600',
    parse: numberIn({ integer: true, min: 900, max: 43200, unit: 'seconds' }),
  }),
  aws_gd_external_id: key({ doc: "External id the role's trust policy requires.", example: 'soar-7f3a', parse: externalId }),
  aws_gd_master_region: key({
    group: 'Regions and polling',
    doc: 'Region for DescribeRegions and STS.',
    example: 'us-west-1',
    sample: 'us-east-1',
    required: true,
    parse: awsRegion,
  }),
  aws_gd_regions: key({
    doc: "Regex selecting the regions to poll (quotes stripped, unanchored, case-insensitive, as IBM's app).",
    example: '"^(us|eu)-"',
    sample: '"^us-"',
    required: true,
    parse: pythonRegex,
  }),
  aws_gd_regions_interval: key({
    doc: 'Minutes between region and detector rediscovery.',
    example: '60',
    default: '60',
    parse: minutes(1, true),
  }),
  aws_gd_polling_interval: key({
    doc: 'Minutes between cycles (decimals allowed); 0 turns polling off.',
    example: '15',
    default: '10',
    parse: minutes(0),
  }),
  aws_gd_severity_threshold: key({
    doc: 'Minimum GuardDuty severity (0-10, decimals allowed); 0 or empty: no minimum.',
    example: '7',
    defaultDoc: 'none',
    unsetEscalates: 'findings of every severity',
    parse: numberIn({ min: 0, max: 10 }),
  }),
  aws_gd_lookback_interval: key({
    doc: 'Minutes to look back when a region has no cursor yet; 0 or empty: every finding GuardDuty retains.',
    example: '60',
    defaultDoc: 'none',
    unsetEscalates: 'at the first poll of each region, every finding GuardDuty retains (up to 90 days)',
    parse: minutes(0, true),
  }),
  aws_gd_cursor_overlap: key({
    doc: "Minutes re-read behind each region's cursor (GuardDuty's one-second updatedAt, late writes).",
    example: '5',
    default: '5',
    parse: minutes(0),
  }),
  aws_gd_accounts_include: key({
    group: 'Which findings',
    doc: 'Only findings of these accounts (comma-separated 12-digit ids).',
    example: '111111111111, 222222222222',
    unsetEscalates: 'findings of every account',
    parse: accountList,
  }),
  aws_gd_accounts_exclude: key({
    doc: 'Never findings of these accounts.',
    example: '333333333333',
    unsetEscalates: 'the findings of the accounts it names',
    parse: accountList,
  }),
  aws_gd_include_sample_findings: key({ doc: 'Escalate GuardDuty sample findings too.', example: 'true', default: 'false', parse: bool }),
  aws_gd_finding_types_include: key({
    doc: 'Regex on the finding type: only matching types (unanchored, case-insensitive).',
    example: '^(Backdoor|CryptoCurrency|Trojan):',
    unsetEscalates: 'findings of every type',
    parse: pythonRegex,
  }),
  aws_gd_finding_types_exclude: key({
    doc: 'Regex on the finding type: never matching types.',
    example: '^Recon:EC2/Port',
    unsetEscalates: 'the finding types it matches',
    parse: pythonRegex,
  }),
  aws_gd_finding_criteria: key({
    doc:
      'Extra ListFindings criteria as JSON: field -> {operator: value}; operators equals, notEquals, ' +
      'greaterThan, greaterThanOrEqual, lessThan, lessThanOrEqual.',
    example: '{"resource.resourceType": {"equals": ["Instance", "S3Bucket"]}}',
    unsetEscalates: 'the findings its criteria leave out',
    parse: findingCriteria,
  }),
  aws_gd_functions: key({
    group: 'SOAR functions',
    doc:
      'Serve the SOAR functions (refresh, archive, IPSets, ThreatIntelSets) on the message destination fn_aws_gd ' +
      'over STOMP; false: the daemon only polls.',
    example: 'true',
    default: 'true',
    parse: bool,
  }),
} satisfies KeyTable;
