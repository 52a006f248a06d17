import type { AwsConfig, PollingConfig } from './app-config.js';
import { accountOfRoleArn } from './aws-parsers.js';
import type { FN_KEYS } from './keys.js';
import type { INTEGRATIONS_KEYS } from './keys-resilient.js';
import type { ReadContext, SectionReading } from './read-section.js';

/**
 * `[fn_aws_guardduty]` (+ `[integrations]`) → AwsConfig and PollingConfig: the checks that combine
 * keys. As in build-soar.ts, the result is only used when no problem was found anywhere.
 */

type Fn = SectionReading<typeof FN_KEYS>;
type Integrations = SectionReading<typeof INTEGRATIONS_KEYS>;
type FnKey = keyof typeof FN_KEYS;

const id = (key: string): string => `fn_aws_guardduty.${key}`;

export function buildAwsConfig(fn: Fn, integrations: Integrations, rc: ReadContext): AwsConfig {
  const v = fn.values;
  bothOrNeither(fn, rc, 'aws_gd_access_key_id', 'aws_gd_secret_access_key');
  checkRoles(fn, rc);
  return {
    accessKeyId: v.aws_gd_access_key_id,
    secretAccessKey: v.aws_gd_secret_access_key,
    roleArn: v.aws_gd_role_arn,
    roleArns: v.aws_gd_role_arns ?? [],
    roleSessionName: v.aws_gd_role_session_name ?? 'guardduty-soar',
    sessionDurationSeconds: v.aws_gd_session_duration ?? 3600,
    externalId: v.aws_gd_external_id,
    masterRegion: v.aws_gd_master_region ?? '',
    regions: v.aws_gd_regions ?? /$^/,
    // As resilient-lib: the app's own section wins over [integrations].
    httpProxy: v.http_proxy ?? integrations.values.http_proxy,
    httpsProxy: v.https_proxy ?? integrations.values.https_proxy,
    timeoutMs: (v.timeout ?? integrations.values.timeout ?? 30) * 1000,
  };
}

function written(fn: Fn, key: FnKey): boolean {
  return fn.present.has(key) || fn.failed.has(key);
}

function bothOrNeither(fn: Fn, rc: ReadContext, a: FnKey, b: FnKey): void {
  if (written(fn, a) === written(fn, b)) return;
  const [set, missing] = written(fn, a) ? [a, b] : [b, a];
  rc.problems.push({
    key: id(missing),
    expected: `a value, because ${set} is set`,
    hint: `set both ${a} and ${b}, or neither to use the AWS default credential chain`,
  });
}

function checkRoles(fn: Fn, rc: ReadContext): void {
  const v = fn.values;
  if (v.aws_gd_role_arn !== undefined && v.aws_gd_role_arns !== undefined) {
    rc.problems.push({
      key: id('aws_gd_role_arns'),
      value: fn.redacted.aws_gd_role_arns ?? '',
      expected: 'either aws_gd_role_arn (one role) or aws_gd_role_arns (a role per account), not both',
      hint: 'remove one of the two keys',
    });
  }
  const accounts = (v.aws_gd_role_arns ?? []).map(accountOfRoleArn);
  const repeated = accounts.filter((a, i) => accounts.indexOf(a) !== i);
  if (repeated.length > 0) {
    rc.problems.push({
      key: id('aws_gd_role_arns'),
      value: fn.redacted.aws_gd_role_arns ?? '',
      expected: 'at most one role per account',
      hint: `account ${[...new Set(repeated)].join(', ')} has several roles; keep one`,
    });
  }
  const noRole = !written(fn, 'aws_gd_role_arn') && !written(fn, 'aws_gd_role_arns');
  const roleOnly = (['aws_gd_role_session_name', 'aws_gd_session_duration', 'aws_gd_external_id'] as const).filter((k) => fn.present.has(k));
  if (noRole && roleOnly.length > 0) rc.warnings.push(`[fn_aws_guardduty] ${roleOnly.join(', ')} ignored: no aws_gd_role_arn is set.`);
}

export function buildPollingConfig(fn: Fn, rc: ReadContext): PollingConfig {
  const v = fn.values;
  const polling: PollingConfig = {
    regionsIntervalMinutes: v.aws_gd_regions_interval ?? 60,
    pollingIntervalMinutes: v.aws_gd_polling_interval ?? 10,
    // IBM's app treats 0 as "not set" for both.
    severityThreshold: v.aws_gd_severity_threshold || undefined,
    lookbackMinutes: v.aws_gd_lookback_interval || undefined,
    cursorOverlapMinutes: v.aws_gd_cursor_overlap ?? 5,
    accountsInclude: v.aws_gd_accounts_include ?? [],
    accountsExclude: v.aws_gd_accounts_exclude ?? [],
    includeSampleFindings: v.aws_gd_include_sample_findings ?? false,
    findingTypesInclude: v.aws_gd_finding_types_include,
    findingTypesExclude: v.aws_gd_finding_types_exclude,
    extraCriteria: v.aws_gd_finding_criteria ?? {},
  };
  const both = polling.accountsInclude.filter((a) => polling.accountsExclude.includes(a));
  if (both.length > 0) {
    rc.problems.push({
      key: id('aws_gd_accounts_exclude'),
      value: fn.redacted.aws_gd_accounts_exclude ?? '',
      expected: 'accounts that are not also in aws_gd_accounts_include',
      hint: `${both.join(', ')} is in both lists; remove it from one`,
    });
  }
  checkCriteriaOverlap(polling, fn.redacted.aws_gd_finding_criteria ?? '', rc);
  return polling;
}

/** Criteria the daemon also builds from other keys would be silently overwritten: say so instead. */
function checkCriteriaOverlap(polling: PollingConfig, written: string, rc: ReadContext): void {
  const { severity, accountId } = polling.extraCriteria;
  const clashes: string[] = [];
  if (polling.severityThreshold !== undefined && severity?.GreaterThanOrEqual !== undefined) {
    clashes.push('severity.greaterThanOrEqual repeats aws_gd_severity_threshold (keep one)');
  }
  if (polling.accountsInclude.length > 0 && accountId?.Equals) clashes.push('accountId.equals repeats aws_gd_accounts_include (keep one)');
  if (polling.accountsExclude.length > 0 && accountId?.NotEquals) clashes.push('accountId.notEquals repeats aws_gd_accounts_exclude (keep one)');
  if (clashes.length === 0) return;
  rc.problems.push({
    key: id('aws_gd_finding_criteria'),
    value: written,
    expected: 'criteria that do not repeat what other keys set',
    hint: clashes.join('; '),
  });
}
