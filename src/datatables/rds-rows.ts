import { asRecord, asRecords, firstText } from '../findings/finding-values.js';
import type { Finding } from '../findings/finding.js';
import type { RawCells } from './row-cells.js';

/**
 * Rows of `gd_rds_details`: the database and the user of the session GuardDuty looked at, one row
 * per login attribute of an RDS login attempt (a brute force names each user it tried, with its
 * failed and successful attempts), or one row when there is no login attempt.
 */
export function rdsRows(finding: Finding): RawCells[] {
  const resource = asRecord(finding.Resource);
  const instance = asRecord(resource?.RdsDbInstanceDetails);
  const limitless = asRecord(resource?.RdsLimitlessDbDetails);
  const user = asRecord(resource?.RdsDbUserDetails);
  const logins = asRecords(asRecord(asRecord(asRecord(finding.Service)?.Action)?.RdsLoginAttemptAction)?.LoginAttributes);
  if (!instance && !limitless && !user && logins.length === 0) return [];
  const base: RawCells = {
    db_instance_id: instance?.DbInstanceIdentifier,
    db_shard_group_id: limitless?.DbShardGroupIdentifier,
    db_cluster_id: firstText(instance?.DbClusterIdentifier, limitless?.DbClusterIdentifier),
    db_arn: firstText(instance?.DbInstanceArn, limitless?.DbShardGroupArn),
    engine: firstText(instance?.Engine, limitless?.Engine),
    engine_version: firstText(instance?.EngineVersion, limitless?.EngineVersion),
    database: user?.Database,
    db_user: user?.User,
    application: user?.Application,
    auth_method: user?.AuthMethod,
    ssl: user?.Ssl,
  };
  if (logins.length === 0) return [base];
  return logins.map((login) => ({
    ...base,
    login_user: login.User,
    login_application: login.Application,
    failed_login_attempts: login.FailedLoginAttempts,
    successful_login_attempts: login.SuccessfulLoginAttempts,
  }));
}
