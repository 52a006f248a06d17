import { describe, expect, it } from 'vitest';
import { extractArtifacts } from '../../../src/artifacts/extract-artifacts.js';
import { artifactKey } from '../../../src/store/fingerprints-repo.js';
import type { Finding } from '../../../src/findings/finding.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

const pairs = (finding: Finding): [string, string][] => extractArtifacts(finding).map((a) => [a.type, a.value]);
const source = (finding: Finding, type: string, value: string): string | undefined =>
  extractArtifacts(finding).find((a) => a.type === type && a.value === value)?.description;

describe('extractArtifacts', () => {
  it('port probe with two details: both remote IPs and both probed ports, then the instance', () => {
    const finding = loadFinding('port-probe-two-details');
    expect(pairs(finding)).toEqual([
      ['IP Address', '198.51.100.7'],
      ['IP Address', '10.0.1.5'],
      ['Port', '22'],
      ['IP Address', '192.0.2.44'],
      ['Port', '3389'],
      ['IP Address', '203.0.113.10'],
      ['DNS Name', 'ec2-203-0-113-10.compute-1.amazonaws.com'],
      ['DNS Name', 'ip-10-0-1-5.ec2.internal'],
    ]);
    expect(source(finding, 'IP Address', '192.0.2.44')).toBe(
      'GuardDuty finding field Service.Action.PortProbeAction.PortProbeDetails[1].RemoteIpDetails.IpAddressV4',
    );
    expect(source(finding, 'Port', '3389')).toBe('GuardDuty finding field Service.Action.PortProbeAction.PortProbeDetails[1].LocalPortDetails.Port');
  });

  it('S3 finding with two buckets: both buckets, the access key, the user and the caller IP', () => {
    const finding = loadFinding('s3-two-buckets');
    expect(pairs(finding)).toEqual([
      ['IP Address', '198.51.100.23'],
      ['aws_iam_access_key_id', 'ASIAEXAMPLEKEY000001'],
      ['aws_iam_user_name', 'data-reader'],
      ['aws_s3_bucket_name', 'customer-exports'],
      ['aws_s3_bucket_name', 'customer-logs'],
    ]);
    expect(source(finding, 'aws_s3_bucket_name', 'customer-logs')).toBe('GuardDuty finding field Resource.S3BucketDetails[1].Name');
  });

  it('instance with two network interfaces: every IP (v4, v6, secondary) and DNS name of every interface', () => {
    const finding = loadFinding('instance-two-nics');
    expect(pairs(finding)).toEqual([
      ['IP Address', '198.51.100.99'],
      ['Port', '443'],
      ['IP Address', '10.0.0.10'],
      ['Port', '49152'],
      ['IP Address', '203.0.113.20'],
      ['IP Address', '10.0.0.11'],
      ['IP Address', '2001:db8::10'],
      ['DNS Name', 'ec2-203-0-113-20.us-west-2.compute.amazonaws.com'],
      ['DNS Name', 'ip-10-0-0-10.us-west-2.compute.internal'],
      ['DNS Name', 'ip-10-0-0-11.us-west-2.compute.internal'],
      ['IP Address', '10.0.5.20'],
      ['DNS Name', 'ip-10-0-5-20.us-west-2.compute.internal'],
    ]);
    expect(source(finding, 'IP Address', '10.0.0.11')).toBe(
      'GuardDuty finding field Resource.InstanceDetails.NetworkInterfaces[0].PrivateIpAddresses[1].PrivateIpAddress',
    );
    expect(source(finding, 'IP Address', '2001:db8::10')).toBe('GuardDuty finding field Resource.InstanceDetails.NetworkInterfaces[0].Ipv6Addresses[0]');
  });

  it('access key finding: key id, user name and the API call domain', () => {
    expect(pairs(loadFinding('access-key-api-call'))).toEqual([
      ['DNS Name', 'ec2.amazonaws.com'],
      ['aws_iam_access_key_id', 'AKIAEXAMPLEROOT00001'],
      ['aws_iam_user_name', 'Root'],
    ]);
  });

  it('DNS request finding: the queried domain is a DNS Name artifact', () => {
    const finding = loadFinding('dns-request');
    expect(pairs(finding)).toEqual([['DNS Name', 'pool.miner.example']]);
    expect(source(finding, 'DNS Name', 'pool.miner.example')).toBe('GuardDuty finding field Service.Action.DnsRequestAction.Domain');
  });

  it('Kubernetes and RDS actions: remote IPs, Kubernetes source IPs and request URI, the users', () => {
    expect(pairs(loadFinding('kubernetes-api-call'))).toEqual([
      ['IP Address', '198.51.100.150'],
      ['IP Address', '192.0.2.150'],
      ['URI Path', '/api/v1/namespaces/kube-system/secrets'],
      ['User Account', 'system:anonymous'],
    ]);
    expect(pairs(loadFinding('rds-login-attempt'))).toEqual([['IP Address', '198.51.100.200'], ['User Account', 'admin']]);
  });

  it('dedupes by (type, value) keeping the first source, keeps equal values of other types, drops blanks', () => {
    const finding = loadFinding('same-values-different-types');
    expect(pairs(finding)).toEqual([
      ['IP Address', '198.51.100.7'],
      ['Port', '443'],
      ['IP Address', '10.0.0.5'],
      ['aws_iam_access_key_id', 'AKIAEXAMPLEDEDUPE001'],
      ['aws_iam_user_name', '443'],
    ]);
    expect(source(finding, 'IP Address', '198.51.100.7')).toBe(
      'GuardDuty finding field Service.Action.NetworkConnectionAction.RemoteIpDetails.IpAddressV4',
    );
  });

  it('every description names a field path, as plain text', () => {
    for (const scenario of ['port-probe-two-details', 's3-two-buckets', 'instance-two-nics', 'hostile-strings']) {
      for (const artifact of extractArtifacts(loadFinding(scenario))) {
        expect(artifact.description).toMatch(/^GuardDuty finding field (Service|Resource)\.[A-Za-z0-9.[\]]+$/);
      }
    }
  });

  it('keeps hostile values exactly as GuardDuty sent them (escaping is the renderer’s job)', () => {
    expect(pairs(loadFinding('hostile-strings'))).toEqual([
      ['IP Address', '198.51.100.66'],
      ['aws_iam_access_key_id', 'AKIA<script>alert(1)</script>'],
      ['aws_iam_user_name', 'ünïcødé-üser-🔥'],
      ['aws_s3_bucket_name', 'bucket"><img src=x onerror=alert(2)>'],
    ]);
  });

  it('survives findings without resource or service, and members of the wrong type', () => {
    expect(extractArtifacts(loadFinding('no-title-no-severity'))).toEqual([]);
    const odd = {
      ...loadFinding('no-title-no-severity'),
      Resource: { S3BucketDetails: 'nope', InstanceDetails: { NetworkInterfaces: [null, 7, { PublicIp: 42 }] } },
      Service: { Action: { ActionType: 'PORT_PROBE', PortProbeAction: { PortProbeDetails: { not: 'a list' } } } },
    } as unknown as Finding;
    expect(extractArtifacts(odd)).toEqual([]);
  });

  it('keeps one DNS Name per domain whatever its case or trailing dot (the first spelling found)', () => {
    const finding = {
      ...loadFinding('no-title-no-severity'),
      Service: { Action: { ActionType: 'DNS_REQUEST', DnsRequestAction: { Domain: 'Evil.Example.COM.' } } },
      Resource: { InstanceDetails: { NetworkInterfaces: [{ PublicDnsName: 'evil.example.com', PrivateDnsName: 'EVIL.example.com' }] } },
    } as unknown as Finding;
    expect(pairs(finding)).toEqual([['DNS Name', 'Evil.Example.COM.']]);
  });

  it('compares DNS names case-insensitively without the trailing dot, other types exactly', () => {
    expect(artifactKey('DNS Name', 'Evil.Example.COM.')).toBe(artifactKey('DNS Name', 'evil.example.com'));
    expect(artifactKey('DNS Name', 'evil.example.com')).not.toBe(artifactKey('DNS Name', 'evil.example.org'));
    expect(artifactKey('aws_s3_bucket_name', 'Bucket')).not.toBe(artifactKey('aws_s3_bucket_name', 'bucket'));
  });
});
