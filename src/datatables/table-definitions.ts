import type { Finding } from '../regions/finding.js';
import type { DataTableSpec, FieldSpec } from '../soar/case-system.js';
import { actionRows } from './action-rows.js';
import { accessKeyRows, bucketRows, instanceRows, overviewRows, resourceRows } from './resource-rows.js';

/** The column every row carries; the writer fills it in, so fingerprints ignore it. */
export const QUERY_EXECUTION_DATE = 'query_execution_date';

/** A row's values by column name before they are turned into SOAR text. */
export type RawCells = Partial<Record<string, unknown>>;

export interface ColumnDefinition {
  name: string;
  label: string;
}

/**
 * One data table: its schema (what `setup` creates) and where its rows come from. `rows` returns
 * one entry per thing the table describes (a network interface, a bucket, a probe) and none when
 * the finding has no such thing. A new table (Kubernetes, ECS, RDS, Lambda, malware, runtime) is
 * one more entry here plus its row function.
 */
export interface TableDefinition {
  name: string;
  label: string;
  /** IBM shows this column first; it is not listed in `columns`. */
  queryDateLabel: string;
  columns: readonly ColumnDefinition[];
  rows: (finding: Finding) => RawCells[];
}

export const TABLE_DEFINITIONS: readonly TableDefinition[] = [
  {
    name: 'gd_finding_overview', label: 'GuardDuty Finding Overview', queryDateLabel: 'Query Execution date',
    columns: columns(['severity', 'Severity'], ['region', 'Region'], ['count', 'Count'], ['account_id', 'Account ID'],
      ['resource_id', 'Resource ID'], ['created_at', 'Created at'], ['updated_at', 'Updated at']),
    rows: overviewRows,
  },
  {
    name: 'gd_resource_affected', label: 'GuardDuty Resource Affected', queryDateLabel: 'Query execution date',
    columns: columns(['resource_type', 'Resource type'], ['resource_role', 'Resource role'],
      ['instance_id', 'Instance ID'], ['instance_type', 'Instance type']),
    rows: resourceRows,
  },
  {
    name: 'gd_instance_details', label: 'GuardDuty Resource - Instance Details', queryDateLabel: 'Query execution date',
    columns: columns(['instance_id', 'ID'], ['type', 'Type'], ['instance_state', 'State'],
      ['private_ip', 'Private ip address'], ['private_dns_name', 'Private dns name'],
      ['public_ip', 'Public ip address'], ['public_dns_name', 'Public dns name']),
    rows: instanceRows,
  },
  {
    name: 'gd_access_key_details', label: 'GuardDuty Resource - Access Key Details', queryDateLabel: 'Query Execution date',
    columns: columns(['access_key_id', 'Access key ID'], ['principal_id', 'Principal ID'], ['user_type', 'User type'],
      ['user_name', 'User name']),
    rows: accessKeyRows,
  },
  {
    name: 'gd_s3_bucket_details', label: 'GuardDuty Resource - S3 Bucket Details', queryDateLabel: 'Query execution date',
    columns: columns(['bucket_name', 'Bucket name'], ['bucket_type', 'Bucket Type'], ['bucket_arn', 'Bucket Arn'],
      ['bucket_owner', 'Bucket owner'], ['kms_master_key_arn', 'Kms master key ARN'], ['encryption_type', 'Encryption type'],
      ['effective_permissions', 'Effective Permission']),
    rows: bucketRows,
  },
  {
    name: 'gd_action_details', label: 'GuardDuty Action/Actor Details', queryDateLabel: 'Query Execution date',
    columns: columns(['action_type', 'Action type'], ['action_api', 'Action api'], ['connection_direction', 'Connection direction'],
      ['service_name', 'Service name'], ['event_first_seen', 'Event first Seen'], ['event_last_seen', 'Event Last Seen'],
      ['actor_caller_type', 'Actor caller type'], ['remote_ip', 'Remote IP address'], ['local_ip', 'Local IP address'],
      ['local_port', 'Local port'], ['remote_port', 'Remote port'], ['protocol', 'Protocol'],
      ['dns_domain_name', 'DNS domain name'], ['dns_blocked', 'DNS request blocked'], ['asn_org', 'Finding asn org'],
      ['city_name', 'City name'], ['country_name', 'Country'], ['asn', 'Asn'], ['isp', 'Finding isp'], ['org', 'Finding org']),
    rows: actionRows,
  },
];

function columns(...pairs: [string, string][]): ColumnDefinition[] {
  return pairs.map(([name, label]) => ({ name, label }));
}

/** The data tables as `setup` creates them: every column text, `query_execution_date` first. */
export const DATA_TABLE_SPECS: readonly DataTableSpec[] = TABLE_DEFINITIONS.map((table) => ({
  name: table.name,
  label: table.label,
  columns: [
    { name: QUERY_EXECUTION_DATE, label: table.queryDateLabel, inputType: 'text' },
    ...table.columns.map((c): FieldSpec => ({ name: c.name, label: c.label, inputType: 'text' })),
  ],
}));

/** The display name of a table, for notes; the API name when the table is not ours. */
export function tableLabel(name: string): string {
  return TABLE_DEFINITIONS.find((t) => t.name === name)?.label ?? name;
}
