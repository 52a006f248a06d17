import { describe, expect, it } from 'vitest';
import { mapRows, rowsByTable, type TableRow } from '../../../src/datatables/map-rows.js';
import type { Finding } from '../../../src/findings/finding.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

const table = (rows: TableRow[], name: string): Record<string, string>[] => rows.filter((r) => r.table === name).map((r) => r.cells);
const tablesOf = (rows: TableRow[]): string[] => [...rowsByTable(rows).keys()];

describe('mapRows', () => {
  it('port probe with two details: one action row per probe, with its IPs, port and geo data', () => {
    const rows = mapRows(loadFinding('port-probe-two-details'));
    const common = {
      action_type: 'PORT_PROBE',
      event_first_seen: '2025-01-02T02:59:00.000Z',
      event_last_seen: '2025-01-02T05:00:00.000Z',
      local_ip: '10.0.1.5',
    };
    expect(table(rows, 'gd_action_details')).toEqual([
      { ...common, remote_ip: '198.51.100.7', local_port: '22', asn_org: 'EXAMPLE-AS', city_name: 'Springfield',
        country_name: 'Exampleland', asn: '64500', isp: 'Example ISP', org: 'Example Org' },
      { ...common, remote_ip: '192.0.2.44', local_port: '3389', asn_org: 'OTHER-AS', city_name: 'Shelbyville',
        country_name: 'Otherland', asn: '64501', isp: 'Other ISP', org: 'Other Org' },
    ]);
    expect(table(rows, 'gd_finding_overview')).toEqual([{
      severity: '2', region: 'us-east-1', count: '3', account_id: '123456789012', resource_id: 'i-0abc1234def567890',
      created_at: '2025-01-02T03:04:05.678Z', updated_at: '2025-01-02T05:06:07.890Z',
    }]);
    expect(table(rows, 'gd_instance_details')).toEqual([{
      instance_id: 'i-0abc1234def567890', type: 't3.micro', instance_state: 'running', private_ip: '10.0.1.5',
      private_dns_name: 'ip-10-0-1-5.ec2.internal', public_ip: '203.0.113.10', public_dns_name: 'ec2-203-0-113-10.compute-1.amazonaws.com',
    }]);
    expect(tablesOf(rows)).toEqual(['gd_finding_overview', 'gd_resource_affected', 'gd_instance_details', 'gd_action_details']);
  });

  it('S3 finding with two buckets: a row per bucket, resource id = first bucket, no bucket values in the instance columns', () => {
    const rows = mapRows(loadFinding('s3-two-buckets'));
    expect(table(rows, 'gd_s3_bucket_details')).toEqual([
      {
        bucket_name: 'customer-exports', bucket_type: 'Destination', bucket_arn: 'arn:aws:s3:::customer-exports',
        bucket_owner: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
        kms_master_key_arn: 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555',
        encryption_type: 'aws:kms', effective_permissions: 'NOT_PUBLIC',
      },
      {
        bucket_name: 'customer-logs', bucket_type: 'Source', bucket_arn: 'arn:aws:s3:::customer-logs',
        bucket_owner: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
        encryption_type: 'AES256', effective_permissions: 'PUBLIC',
      },
    ]);
    expect(table(rows, 'gd_finding_overview')[0]?.resource_id).toBe('customer-exports');
    expect(table(rows, 'gd_resource_affected')).toEqual([{ resource_type: 'S3Bucket', resource_role: 'TARGET' }]);
    expect(table(rows, 'gd_access_key_details')).toEqual([{
      access_key_id: 'ASIAEXAMPLEKEY000001', principal_id: 'AROAEXAMPLEPRINCIPAL:session', user_type: 'AssumedRole', user_name: 'data-reader',
    }]);
    expect(table(rows, 'gd_action_details')).toEqual([{
      action_type: 'AWS_API_CALL', action_api: 'ListObjects', service_name: 's3.amazonaws.com',
      event_first_seen: '2025-02-10T07:58:00.000Z', event_last_seen: '2025-02-10T07:59:30.000Z', actor_caller_type: 'Remote IP',
      remote_ip: '198.51.100.23', asn_org: 'EXAMPLE-AS', city_name: 'Springfield', country_name: 'Exampleland', asn: '64500',
      isp: 'Example ISP', org: 'Example Org',
    }]);
    expect(table(rows, 'gd_instance_details')).toEqual([]);
  });

  it('instance with two network interfaces: one instance row per interface', () => {
    const rows = mapRows(loadFinding('instance-two-nics'));
    const instance = { instance_id: 'i-0fedcba9876543210', type: 'm5.large', instance_state: 'running' };
    expect(table(rows, 'gd_instance_details')).toEqual([
      { ...instance, private_ip: '10.0.0.10', private_dns_name: 'ip-10-0-0-10.us-west-2.compute.internal', public_ip: '203.0.113.20',
        public_dns_name: 'ec2-203-0-113-20.us-west-2.compute.amazonaws.com' },
      { ...instance, private_ip: '10.0.5.20', private_dns_name: 'ip-10-0-5-20.us-west-2.compute.internal' },
    ]);
    expect(table(rows, 'gd_resource_affected')).toEqual([
      { resource_type: 'Instance', resource_role: 'ACTOR', instance_id: 'i-0fedcba9876543210', instance_type: 'm5.large' },
    ]);
    expect(table(rows, 'gd_action_details')).toEqual([{
      action_type: 'NETWORK_CONNECTION', connection_direction: 'OUTBOUND', event_first_seen: '2025-02-28T23:00:00.000Z',
      event_last_seen: '2025-03-01T00:00:00.000Z', remote_ip: '198.51.100.99', local_ip: '10.0.0.10', local_port: '49152',
      remote_port: '443', protocol: 'TCP', asn_org: 'C2-AS', country_name: 'Exampleland', asn: '64502', isp: 'C2 ISP', org: 'C2 Org',
    }]);
  });

  it('an instance without network interfaces still gets its instance row', () => {
    expect(table(mapRows(loadFinding('dns-request')), 'gd_instance_details')).toEqual([
      { instance_id: 'i-0abc1234def567890', type: 't3.micro', instance_state: 'running' },
    ]);
  });

  it('access key finding: the access key row, resource id = key id, the API call with its domain', () => {
    const rows = mapRows(loadFinding('access-key-api-call'));
    expect(table(rows, 'gd_access_key_details')).toEqual([
      { access_key_id: 'AKIAEXAMPLEROOT00001', principal_id: '210987654321', user_type: 'Root', user_name: 'Root' },
    ]);
    expect(table(rows, 'gd_finding_overview')[0]?.resource_id).toBe('AKIAEXAMPLEROOT00001');
    expect(table(rows, 'gd_action_details')[0]).toMatchObject({ action_api: 'DescribeInstances', actor_caller_type: 'Domain', dns_domain_name: 'ec2.amazonaws.com' });
  });

  it('DNS request finding: domain, protocol and blocked flag', () => {
    expect(table(mapRows(loadFinding('dns-request')), 'gd_action_details')).toEqual([{
      action_type: 'DNS_REQUEST', event_first_seen: '2025-05-05T05:00:00.000Z', event_last_seen: '2025-05-05T05:05:00.000Z',
      protocol: 'UDP', dns_domain_name: 'pool.miner.example', dns_blocked: 'True',
    }]);
  });

  it('Kubernetes API call and RDS login: remote IP details, resource id from the cluster / DB instance', () => {
    const k8s = mapRows(loadFinding('kubernetes-api-call'));
    expect(table(k8s, 'gd_action_details')).toEqual([{
      action_type: 'KUBERNETES_API_CALL', action_api: 'list /api/v1/namespaces/kube-system/secrets',
      event_first_seen: '2025-10-10T10:00:00.000Z', event_last_seen: '2025-10-10T10:10:00.000Z', remote_ip: '198.51.100.150',
      asn_org: 'K8S-AS', city_name: 'Springfield', country_name: 'Exampleland', asn: '64510', isp: 'K8s ISP', org: 'K8s Org',
    }]);
    expect(table(k8s, 'gd_finding_overview')[0]?.resource_id).toBe('prod');
    const rds = mapRows(loadFinding('rds-login-attempt'));
    expect(table(rds, 'gd_action_details')).toEqual([{
      action_type: 'RDS_LOGIN_ATTEMPT', remote_ip: '198.51.100.200', asn_org: 'DB-AS', country_name: 'Exampleland', asn: '64520',
      isp: 'DB ISP', org: 'DB Org',
    }]);
    expect(table(rds, 'gd_finding_overview')[0]?.resource_id).toBe('orders-db');
  });

  it('Critical finding without an action: overview, resource, access key and the first/last-seen action row', () => {
    const finding = loadFinding('critical-attack-sequence');
    const rows = mapRows(finding);
    expect(tablesOf(rows)).toEqual(['gd_finding_overview', 'gd_resource_affected', 'gd_access_key_details', 'gd_action_details', 'gd_sequence_signals']);
    expect(table(rows, 'gd_finding_overview')[0]?.severity).toBe('9.5');
    expect(table(rows, 'gd_action_details')).toEqual([{ event_first_seen: finding.Service?.EventFirstSeen, event_last_seen: finding.Service?.EventLastSeen }]);
  });

  it('malware finding (no action): an action-details row with first and last seen, as IBM wrote it', () => {
    const finding = loadFinding('ebs-malware-two-threats');
    expect(finding.Service?.Action).toBeUndefined();
    expect(table(mapRows(finding), 'gd_action_details')).toEqual([{ event_first_seen: '2025-09-09T09:00:00.000Z', event_last_seen: finding.Service?.EventLastSeen }]);
  });

  it('a finding with no resource and no service gets only its overview row', () => {
    expect(mapRows(loadFinding('no-title-no-severity'))).toEqual([{
      table: 'gd_finding_overview',
      cells: { region: 'us-east-1', account_id: '123456789012', created_at: '2025-07-07T07:07:07.007Z', updated_at: '2025-07-07T07:08:00.000Z' },
    }]);
  });

  it('an action row with only its type is still a row; blank and odd cells are omitted', () => {
    const finding = {
      ...loadFinding('no-title-no-severity'),
      Service: { Action: { ActionType: 'NETWORK_CONNECTION', NetworkConnectionAction: { Protocol: '  ', Blocked: null, RemotePortDetails: { Port: { nested: 1 } } } } },
      Resource: { ResourceType: '', InstanceDetails: {} },
    } as unknown as Finding;
    const rows = mapRows(finding);
    expect(table(rows, 'gd_action_details')).toEqual([{ action_type: 'NETWORK_CONNECTION' }]);
    expect(tablesOf(rows)).toEqual(['gd_finding_overview', 'gd_action_details']);
  });

  it('hostile strings are kept exactly (the writer sends them as JSON)', () => {
    const rows = mapRows(loadFinding('hostile-strings'));
    expect(table(rows, 'gd_s3_bucket_details')[0]?.bucket_name).toBe('bucket"><img src=x onerror=alert(2)>');
    expect(table(rows, 'gd_action_details')[0]?.action_api).toBe('GetObject", "injected": "yes');
  });
});
