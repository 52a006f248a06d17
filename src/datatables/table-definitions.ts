import type { DataTableSpec, FieldSpec } from '../soar/case-system.js';
import type { ColumnDefinition, TableDefinition } from './row-cells.js';
import { actionRows } from './action-rows.js';
import { containerRows } from './container-rows.js';
import { kubernetesRows } from './kubernetes-rows.js';
import { lambdaRows } from './lambda-rows.js';
import { malwareRows, volumeRows } from './malware-rows.js';
import { rdsRows } from './rds-rows.js';
import { accessKeyRows, bucketRows, instanceRows, overviewRows, resourceRows } from './resource-rows.js';
import { processRows } from './runtime-rows.js';
import { SCAN_TABLE_SPEC } from './scan-table.js';
import { SEQUENCE_TABLE_DEFINITIONS } from './sequence-tables.js';

/** The column every row carries; the writer fills it in, so fingerprints ignore it. */
export const QUERY_EXECUTION_DATE = 'query_execution_date';

export type { ColumnDefinition, TableDefinition } from './row-cells.js';

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
  // The finding families IBM's app ignored. Documented in docs/finding-families.md.
  {
    name: 'gd_kubernetes_details', label: 'GuardDuty Resource - Kubernetes Details', queryDateLabel: 'Query execution date',
    columns: columns(['cluster_name', 'Cluster name'], ['cluster_arn', 'Cluster ARN'], ['cluster_status', 'Cluster status'],
      ['cluster_vpc_id', 'Cluster VPC ID'], ['namespace', 'Namespace'], ['workload_name', 'Workload name'], ['workload_type', 'Workload type'],
      ['service_account', 'Service account'], ['host_network', 'Host network'], ['host_pid', 'Host PID'], ['host_ipc', 'Host IPC'],
      ['kubernetes_user', 'Kubernetes user'], ['kubernetes_groups', 'Kubernetes groups'], ['session_names', 'Session names'],
      ['impersonated_user', 'Impersonated user'], ['api_verb', 'API verb'], ['api_resource', 'API resource'],
      ['api_resource_name', 'API resource name'], ['request_uri', 'Request URI'], ['status_code', 'Status code'],
      ['user_agent', 'User agent'], ['source_ips', 'Source IPs'], ['api_parameters', 'API parameters']),
    rows: kubernetesRows,
  },
  {
    name: 'gd_container_details', label: 'GuardDuty Resource - Container Details', queryDateLabel: 'Query execution date',
    columns: columns(['found_in', 'Found in'], ['cluster_name', 'Cluster name'], ['task_arn', 'Task ARN'],
      ['task_definition_arn', 'Task definition ARN'], ['launch_type', 'Launch type'], ['task_started_at', 'Task started at'],
      ['task_started_by', 'Task started by'], ['workload_name', 'Workload name'], ['container_name', 'Container name'],
      ['container_id', 'Container ID'], ['container_runtime', 'Container runtime'], ['image', 'Image'], ['image_prefix', 'Image prefix'],
      ['privileged', 'Privileged'], ['allow_privilege_escalation', 'Allows privilege escalation'], ['volume_mounts', 'Volume mounts']),
    rows: containerRows,
  },
  {
    name: 'gd_rds_details', label: 'GuardDuty Resource - RDS Database Details', queryDateLabel: 'Query execution date',
    columns: columns(['db_instance_id', 'DB instance ID'], ['db_shard_group_id', 'DB shard group ID'], ['db_cluster_id', 'DB cluster ID'],
      ['db_arn', 'DB ARN'], ['engine', 'Engine'], ['engine_version', 'Engine version'], ['database', 'Database'], ['db_user', 'Database user'],
      ['application', 'Application'], ['auth_method', 'Authentication method'], ['ssl', 'SSL'], ['login_user', 'Login attempt user'],
      ['login_application', 'Login attempt application'], ['failed_login_attempts', 'Failed login attempts'],
      ['successful_login_attempts', 'Successful login attempts']),
    rows: rdsRows,
  },
  {
    name: 'gd_lambda_details', label: 'GuardDuty Resource - Lambda Function Details', queryDateLabel: 'Query execution date',
    columns: columns(['function_name', 'Function name'], ['function_arn', 'Function ARN'], ['function_version', 'Function version'],
      ['function_description', 'Function description'], ['role', 'Execution role'], ['last_modified_at', 'Last modified at'],
      ['revision_id', 'Revision ID'], ['vpc_id', 'VPC ID'], ['subnet_ids', 'Subnet IDs'], ['security_groups', 'Security groups']),
    rows: lambdaRows,
  },
  {
    name: 'gd_malware_details', label: 'GuardDuty Malware Protection - Threats Found', queryDateLabel: 'Query execution date',
    columns: columns(['threat_name', 'Threat name'], ['threat_severity', 'Threat severity'], ['threat_source', 'Threat source'],
      ['file_path', 'File path'], ['file_name', 'File name'], ['file_hash', 'File hash'], ['resource_arn', 'Volume or resource ARN'],
      ['device_name', 'Device name'], ['scan_id', 'Scan ID'], ['scan_type', 'Scan type']),
    rows: malwareRows,
  },
  {
    name: 'gd_ebs_volume_details', label: 'GuardDuty Malware Protection - EBS Volumes', queryDateLabel: 'Query execution date',
    columns: columns(['scan_result', 'Scan result'], ['volume_arn', 'Volume ARN'], ['device_name', 'Device name'],
      ['volume_type', 'Volume type'], ['volume_size_gb', 'Volume size (GB)'], ['encryption_type', 'Encryption type'],
      ['kms_key_arn', 'KMS key ARN'], ['snapshot_arn', 'Snapshot ARN'], ['scan_id', 'Scan ID'], ['scan_started_at', 'Scan started at'],
      ['scan_completed_at', 'Scan completed at'], ['scan_sources', 'Scan sources']),
    rows: volumeRows,
  },
  {
    name: 'gd_runtime_process_details', label: 'GuardDuty Runtime Monitoring - Process Details', queryDateLabel: 'Query execution date',
    columns: columns(['process_role', 'Process'], ['depth', 'Depth (0 = the process, 1 = its parent)'], ['name', 'Name'],
      ['executable_path', 'Executable path'], ['executable_sha256', 'Executable SHA-256'], ['pid', 'PID'],
      ['namespace_pid', 'Namespace PID'], ['user', 'User'], ['user_id', 'User ID'], ['euid', 'Effective user ID'],
      ['start_time', 'Start time'], ['pwd', 'Working directory'], ['uuid', 'UUID'], ['parent_uuid', 'Parent UUID']),
    rows: processRows,
  },
  ...SEQUENCE_TABLE_DEFINITIONS,
];

function columns(...pairs: [string, string][]): ColumnDefinition[] {
  return pairs.map(([name, label]) => ({ name, label }));
}

/** The data tables as `setup` creates them: every column text, `query_execution_date` first (the scans table last). */
export const DATA_TABLE_SPECS: readonly DataTableSpec[] = [...TABLE_DEFINITIONS.map((table) => ({
  name: table.name,
  label: table.label,
  columns: [
    { name: QUERY_EXECUTION_DATE, label: table.queryDateLabel, inputType: 'text' as const },
    ...table.columns.map((c): FieldSpec => ({ name: c.name, label: c.label, inputType: 'text' })),
  ],
})), SCAN_TABLE_SPEC];

/** The display name of a table, for notes; the API name when the table is not ours. */
export function tableLabel(name: string): string {
  return TABLE_DEFINITIONS.find((t) => t.name === name)?.label ?? name;
}
