import { describe, expect, it } from 'vitest';
import { DATA_TABLE_SPECS, tableLabel } from '../../../src/datatables/table-definitions.js';

describe('data table definitions', () => {
  it('declares IBM’s six tables with their display names, then one per finding family IBM ignored, then the attack-sequence and anomaly tables, then the malware scans', () => {
    expect(DATA_TABLE_SPECS.map((t) => [t.name, t.label])).toEqual([
      ['gd_finding_overview', 'GuardDuty Finding Overview'],
      ['gd_resource_affected', 'GuardDuty Resource Affected'],
      ['gd_instance_details', 'GuardDuty Resource - Instance Details'],
      ['gd_access_key_details', 'GuardDuty Resource - Access Key Details'],
      ['gd_s3_bucket_details', 'GuardDuty Resource - S3 Bucket Details'],
      ['gd_action_details', 'GuardDuty Action/Actor Details'],
      ['gd_kubernetes_details', 'GuardDuty Resource - Kubernetes Details'],
      ['gd_container_details', 'GuardDuty Resource - Container Details'],
      ['gd_rds_details', 'GuardDuty Resource - RDS Database Details'],
      ['gd_lambda_details', 'GuardDuty Resource - Lambda Function Details'],
      ['gd_malware_details', 'GuardDuty Malware Protection - Threats Found'],
      ['gd_ebs_volume_details', 'GuardDuty Malware Protection - EBS Volumes'],
      ['gd_runtime_process_details', 'GuardDuty Runtime Monitoring - Process Details'],
      ['gd_sequence_signals', 'GuardDuty Attack Sequence - Signals (timeline)'],
      ['gd_sequence_actors', 'GuardDuty Attack Sequence - Actors'],
      ['gd_sequence_endpoints', 'GuardDuty Attack Sequence - Network Endpoints'],
      ['gd_sequence_resources', 'GuardDuty Attack Sequence - Resources'],
      ['gd_sequence_indicators', 'GuardDuty Attack Sequence - Indicators (MITRE ATT&CK)'],
      ['gd_anomaly_details', 'GuardDuty Anomaly - What Was Unusual'],
      ['gd_malware_scans', 'GuardDuty Malware Scans'],
    ]);
    expect(tableLabel('gd_action_details')).toBe('GuardDuty Action/Actor Details');
    expect(tableLabel('someone_elses_table')).toBe('someone_elses_table');
  });

  it('every column is text and every table starts with query_execution_date', () => {
    for (const table of DATA_TABLE_SPECS) {
      expect(table.columns[0]?.name).toBe('query_execution_date');
      for (const column of table.columns) expect(column.inputType).toBe('text');
    }
  });

  it('API names are SOAR-safe and unique: gd_ tables, lower-case columns, every column labelled', () => {
    expect(new Set(DATA_TABLE_SPECS.map((t) => t.name)).size).toBe(DATA_TABLE_SPECS.length);
    for (const table of DATA_TABLE_SPECS) {
      expect(table.name).toMatch(/^gd_[a-z0-9_]+$/);
      const names = table.columns.map((c) => c.name);
      expect(new Set(names).size, table.name).toBe(names.length);
      for (const column of table.columns) {
        expect(column.name).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(column.label.trim()).not.toBe('');
      }
    }
  });

  it('uses IBM’s column names and labels', () => {
    const columns = (name: string): [string, string][] =>
      (DATA_TABLE_SPECS.find((t) => t.name === name)?.columns ?? []).map((c) => [c.name, c.label]);
    expect(columns('gd_instance_details')).toEqual([
      ['query_execution_date', 'Query execution date'], ['instance_id', 'ID'], ['type', 'Type'], ['instance_state', 'State'],
      ['private_ip', 'Private ip address'], ['private_dns_name', 'Private dns name'], ['public_ip', 'Public ip address'],
      ['public_dns_name', 'Public dns name'],
    ]);
    expect(columns('gd_action_details').map(([name]) => name)).toEqual([
      'query_execution_date', 'action_type', 'action_api', 'connection_direction', 'service_name', 'event_first_seen',
      'event_last_seen', 'actor_caller_type', 'remote_ip', 'local_ip', 'local_port', 'remote_port', 'protocol', 'dns_domain_name',
      'dns_blocked', 'asn_org', 'city_name', 'country_name', 'asn', 'isp', 'org',
    ]);
    expect(columns('gd_s3_bucket_details')).toContainEqual(['effective_permissions', 'Effective Permission']);
  });
});
