import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/findings/finding.js';
import { SuppressionUnavailable, matchesRule, suppressionRule } from '../../../src/sync/suppression-rule.js';

const base = { AccountId: '111111111111', Arn: 'arn', Region: 'us-east-1', CreatedAt: '2026-01-01T00:00:00Z', UpdatedAt: '2026-01-01T00:00:00Z' };
const sshBruteForce: Finding = {
  ...base, Id: 'f-ssh', Type: 'UnauthorizedAccess:EC2/SSHBruteForce',
  Resource: { ResourceType: 'Instance', InstanceDetails: { InstanceId: 'i-0abc1234' } },
  Service: { Action: { NetworkConnectionAction: { RemoteIpDetails: { IpAddressV4: '198.51.100.7' } } } },
};
const rootUsage: Finding = {
  ...base, Id: 'f-root', Type: 'Policy:IAMUser/RootCredentialUsage',
  Resource: { ResourceType: 'AccessKey', AccessKeyDetails: { AccessKeyId: 'ASIAEXAMPLE', UserName: 'root' } },
  Service: { Action: { AwsApiCallAction: { Api: 'ListBuckets', RemoteIpDetails: { IpAddressV4: '203.0.113.9' } } } },
};

describe('a suppression rule built from an incident\'s finding', () => {
  it('names the type, the account and the instance, after the incident', () => {
    const rule = suppressionRule(sshBruteForce, 42, 'resource');
    expect(rule.name).toBe('guardduty-soar-incident-42');
    expect(rule.criteria).toEqual({
      type: { Equals: ['UnauthorizedAccess:EC2/SSHBruteForce'] }, accountId: { Equals: ['111111111111'] },
      'resource.instanceDetails.instanceId': { Equals: ['i-0abc1234'] },
    });
    expect(rule.summary).toBe('type UnauthorizedAccess:EC2/SSHBruteForce, account 111111111111, EC2 instance i-0abc1234');
    expect(rule.description).toMatch(/^guardduty-soar: suppresses findings like f-ssh \(IBM SOAR incident 42\)/);
  });

  it('by remote IP takes the network connection\'s or the API caller\'s; by type names nothing more', () => {
    expect(suppressionRule(sshBruteForce, 7, 'remote_ip').equals).toMatchObject({ 'service.action.networkConnectionAction.remoteIpDetails.ipAddressV4': ['198.51.100.7'] });
    expect(suppressionRule(rootUsage, 7, 'remote_ip').equals).toMatchObject({ 'service.action.awsApiCallAction.remoteIpDetails.ipAddressV4': ['203.0.113.9'] });
    expect(suppressionRule(rootUsage, 7, 'resource').equals).toMatchObject({ 'resource.accessKeyDetails.accessKeyId': ['ASIAEXAMPLE'] });
    const byType = suppressionRule(rootUsage, 7, 'type');
    expect(Object.keys(byType.criteria)).toEqual(['type', 'accountId']);
    expect(byType.name).toBe('guardduty-soar-incident-7-type');
  });

  it('refuses what the finding does not name', () => {
    const bucketOnly: Finding = { ...base, Id: 'f-s3', Type: 'Policy:S3/BucketBlockPublicAccessDisabled', Resource: { ResourceType: 'S3Bucket' } };
    expect(() => suppressionRule(bucketOnly, 1, 'resource')).toThrow(SuppressionUnavailable);
    expect(() => suppressionRule(bucketOnly, 1, 'remote_ip')).toThrow(/names no remote IP/);
  });

  it('matches the findings it archives, and only those', () => {
    const rule = suppressionRule(sshBruteForce, 42, 'resource');
    expect(matchesRule(sshBruteForce, rule.equals)).toBe(true);
    const elsewhere = { ...sshBruteForce, Resource: { InstanceDetails: { InstanceId: 'i-0other' } } };
    expect(matchesRule(elsewhere, rule.equals)).toBe(false);
    expect(matchesRule({ ...sshBruteForce, AccountId: '222222222222' }, rule.equals)).toBe(false);
    expect(matchesRule(sshBruteForce, { 'some.unknown.field': ['x'] })).toBe(false);
  });
});
