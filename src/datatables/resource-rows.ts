import { asRecord, asRecords, firstText } from '../findings/finding-values.js';
import type { Finding } from '../findings/finding.js';
import type { RawCells } from './row-cells.js';

/**
 * Row sources for the overview and resource tables. Every value is read from an explicit path:
 * IBM's first-match recursive search let a bucket overwrite the instance columns and could pick up
 * any nested key with the same name.
 */

export function overviewRows(finding: Finding): RawCells[] {
  return [{
    severity: finding.Severity,
    region: finding.Region,
    count: asRecord(finding.Service)?.Count,
    account_id: finding.AccountId,
    resource_id: resourceId(finding),
    created_at: finding.CreatedAt,
    updated_at: finding.UpdatedAt,
  }];
}

/** The one identifier that best names the affected resource, most specific first. */
export function resourceId(finding: Finding): string | undefined {
  const r = asRecord(finding.Resource);
  if (!r) return undefined;
  return firstText(
    asRecord(r.InstanceDetails)?.InstanceId,
    asRecords(r.S3BucketDetails).map((b) => b.Name).find((name) => firstText(name) !== undefined),
    asRecord(r.AccessKeyDetails)?.AccessKeyId,
    asRecord(r.EksClusterDetails)?.Name,
    asRecord(r.EcsClusterDetails)?.Name,
    asRecord(r.LambdaDetails)?.FunctionName,
    asRecord(r.RdsDbInstanceDetails)?.DbInstanceIdentifier,
    asRecord(r.RdsLimitlessDbDetails)?.DbShardGroupIdentifier,
    asRecord(r.ContainerDetails)?.Name,
    asRecord(r.EbsSnapshotDetails)?.SnapshotArn,
  );
}

export function resourceRows(finding: Finding): RawCells[] {
  const resource = asRecord(finding.Resource);
  if (!resource) return [];
  const instance = asRecord(resource.InstanceDetails);
  return [{
    resource_type: resource.ResourceType,
    resource_role: asRecord(finding.Service)?.ResourceRole,
    instance_id: instance?.InstanceId,
    instance_type: instance?.InstanceType,
  }];
}

/** One row per network interface (IBM kept only the first); an instance without any still gets one. */
export function instanceRows(finding: Finding): RawCells[] {
  const instance = asRecord(asRecord(finding.Resource)?.InstanceDetails);
  if (!instance) return [];
  const base = { instance_id: instance.InstanceId, type: instance.InstanceType, instance_state: instance.InstanceState };
  const nics = asRecords(instance.NetworkInterfaces);
  if (nics.length === 0) return [base];
  return nics.map((nic) => ({
    ...base,
    private_ip: nic.PrivateIpAddress,
    private_dns_name: nic.PrivateDnsName,
    public_ip: nic.PublicIp,
    public_dns_name: nic.PublicDnsName,
  }));
}

export function accessKeyRows(finding: Finding): RawCells[] {
  const key = asRecord(asRecord(finding.Resource)?.AccessKeyDetails);
  if (!key) return [];
  return [{ access_key_id: key.AccessKeyId, principal_id: key.PrincipalId, user_type: key.UserType, user_name: key.UserName }];
}

export function bucketRows(finding: Finding): RawCells[] {
  return asRecords(asRecord(finding.Resource)?.S3BucketDetails).map((bucket) => {
    const encryption = asRecord(bucket.DefaultServerSideEncryption);
    return {
      bucket_name: bucket.Name,
      bucket_type: bucket.Type,
      bucket_arn: bucket.Arn,
      bucket_owner: asRecord(bucket.Owner)?.Id,
      kms_master_key_arn: encryption?.KmsMasterKeyArn,
      encryption_type: encryption?.EncryptionType,
      effective_permissions: asRecord(bucket.PublicAccess)?.EffectivePermission,
    };
  });
}
