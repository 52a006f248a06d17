import { remoteIpDetails, tags, type SampleContext } from './sample-finding-parts.js';
import type { SampleParts, SampleTemplate } from './sample-actions.js';
import type { JsonObject } from '../../protocol/wire.js';

/**
 * Findings that show the multi-valued sides of the newer families: an RDS brute force against two
 * users, and a Malware Protection for Backup scan of an EBS snapshot, whose threats are reported in
 * `service.malwareScanDetails` (not in `ebsVolumeScanDetails`, like the EC2 volume scans).
 */
export function familyTemplates(): SampleTemplate[] {
  return [
    { type: 'CredentialAccess:RDS/AnomalousBehavior.SuccessfulBruteForce', severity: 8, build: rdsBruteForce },
    { type: 'Execution:EC2/MaliciousFile!Snapshot', severity: 8, build: maliciousSnapshot },
  ];
}

function rdsBruteForce(ctx: SampleContext): SampleParts {
  const db = `customers-db-${ctx.prng.int(1, 9)}`;
  const attempt = (user: string, failed: number, succeeded: number): JsonObject => ({
    user, application: 'psql', failedLoginAttempts: failed, successfulLoginAttempts: succeeded,
  });
  return {
    title: `A user successfully logged in to database ${db} after a brute force attack.`,
    description: 'A successful login was observed after many failed login attempts from the same remote IP address.',
    resource: {
      resourceType: 'RDSDBInstance',
      rdsDbInstanceDetails: {
        dbInstanceIdentifier: db, engine: 'mysql', engineVersion: '8.0.35', dbInstanceArn: `arn:aws:rds:${ctx.region}:${ctx.accountId}:db:${db}`,
        dbiResourceId: `db-${ctx.prng.upper(26)}`, tags: tags({ tier: 'data' }),
      },
      rdsDbUserDetails: { user: 'admin', application: 'mysql', database: 'customers', ssl: 'false', authMethod: 'PASSWORD' },
    },
    action: {
      actionType: 'RDS_LOGIN_ATTEMPT',
      // The model gives LoginAttributes no jsonName, so it is PascalCase on the wire.
      rdsLoginAttemptAction: {
        remoteIpDetails: remoteIpDetails(ctx),
        LoginAttributes: [attempt('admin', ctx.prng.int(100, 400), 1), attempt('root', ctx.prng.int(50, 200), 0)],
      },
    },
  };
}

function maliciousSnapshot(ctx: SampleContext): SampleParts {
  const snapshotArn = `arn:aws:ec2:${ctx.region}::snapshot/snap-${ctx.prng.hex(17)}`;
  const item = (path: string, device: string): JsonObject => ({
    resourceArn: snapshotArn, itemPath: path, hash: ctx.prng.hex(64), additionalInfo: { deviceName: device },
  });
  return {
    title: 'Malicious files found in an EBS snapshot.',
    description: 'A GuardDuty Malware Protection for Backup scan detected malicious files in an EBS snapshot.',
    resource: { resourceType: 'EBSSnapshot', ebsSnapshotDetails: { snapshotArn } },
    service: {
      featureName: 'MalwareProtectionForBackup',
      malwareScanDetails: {
        scanId: ctx.prng.hex(32), scanType: 'BACKUP_INITIATED', scanCategory: 'FULL_SCAN', uniqueThreatCount: 2,
        threats: [
          { name: 'Trojan.Linux.Miner', source: 'Bitdefender', count: 2, itemDetails: [item('/usr/local/bin/kworkerd', '/dev/xvda'), item('/opt/app/.cache/kworkerd', '/dev/xvdb')] },
          { name: 'EICAR-Test-File (not a virus)', source: 'Amazon', count: 1, itemDetails: [item('/home/ec2-user/eicar.com', '/dev/xvda')] },
        ],
      },
    },
  };
}
