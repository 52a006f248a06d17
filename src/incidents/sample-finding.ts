import type { Finding } from '../findings/finding.js';

/**
 * A representative finding (an instance, an access key, a bucket and a network action) used to
 * try the templates once at start, so a template that cannot render JSON is reported as a
 * configuration problem before the first real finding depends on it.
 */
export const SAMPLE_FINDING: Finding = {
  AccountId: '123456789012',
  Arn: 'arn:aws:guardduty:us-east-1:123456789012:detector/0123456789abcdef0123456789abcdef/finding/fedcba9876543210fedcba9876543210',
  Id: 'fedcba9876543210fedcba9876543210',
  Region: 'us-east-1',
  Partition: 'aws',
  SchemaVersion: '2.0',
  Type: 'UnauthorizedAccess:EC2/SSHBruteForce',
  Severity: 5,
  Title: 'SSH brute force attacks against i-0abc1234def567890.',
  Description: 'An EC2 instance has been involved in SSH brute force attacks.',
  CreatedAt: '2025-01-02T03:04:05.678Z',
  UpdatedAt: '2025-01-02T05:06:07.890Z',
  Resource: {
    ResourceType: 'Instance',
    AccessKeyDetails: { AccessKeyId: 'AKIAEXAMPLE', PrincipalId: 'AIDAEXAMPLE', UserName: 'example', UserType: 'IAMUser' },
    S3BucketDetails: [{ Name: 'example-bucket', Type: 'Destination', Arn: 'arn:aws:s3:::example-bucket' }],
    InstanceDetails: {
      InstanceId: 'i-0abc1234def567890',
      InstanceType: 't3.micro',
      InstanceState: 'running',
      NetworkInterfaces: [{ PrivateIpAddress: '10.0.1.5', PrivateDnsName: 'ip-10-0-1-5.ec2.internal', PublicIp: '203.0.113.10' }],
      Tags: [{ Key: 'Name', Value: 'web-1' }],
    },
  },
  Service: {
    ServiceName: 'guardduty',
    DetectorId: '0123456789abcdef0123456789abcdef',
    Archived: false,
    Count: 3,
    ResourceRole: 'TARGET',
    EventFirstSeen: '2025-01-02T02:59:00.000Z',
    EventLastSeen: '2025-01-02T05:00:00.000Z',
    Action: {
      ActionType: 'NETWORK_CONNECTION',
      NetworkConnectionAction: {
        Blocked: false,
        ConnectionDirection: 'INBOUND',
        Protocol: 'TCP',
        LocalPortDetails: { Port: 22, PortName: 'SSH' },
        RemotePortDetails: { Port: 40000, PortName: 'Unknown' },
        RemoteIpDetails: { IpAddressV4: '198.51.100.7', Country: { CountryName: 'Example' } },
      },
    },
  },
};
