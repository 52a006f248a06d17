import { fail, listOf, ok, type Parser } from './parsers.js';

/** Parsers for the AWS identifiers of `[fn_aws_guardduty]`. */

// Commercial, China, GovCloud and ISO partitions: us-east-1, cn-north-1, us-gov-west-1, us-isob-east-1.
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

export const awsRegion: Parser<string> = (raw) => {
  if (REGION.test(raw)) return ok(raw);
  const unquoted = raw.replace(/^['"]+|['"]+$/g, '');
  const hint = REGION.test(unquoted)
    ? `remove the quotes: ${unquoted}`
    : 'write a region name such as us-east-1 (not a regex: that is aws_gd_regions)';
  return fail('an AWS region name such as us-east-1', hint);
};

const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

export const roleArn: Parser<string> = (raw) =>
  ROLE_ARN.test(raw)
    ? ok(raw)
    : fail('an IAM role ARN such as arn:aws:iam::123456789012:role/GuardDutySoar', 'copy the ARN from the role page of the IAM console');

export const roleArnList: Parser<string[]> = listOf(roleArn, 'IAM role ARNs (arn:aws:iam::123456789012:role/Name)');

/** The account id inside a role ARN. */
export function accountOfRoleArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}

export const accountId: Parser<string> = (raw) =>
  /^\d{12}$/.test(raw) ? ok(raw) : fail('a 12-digit AWS account id', 'keep leading zeros, e.g. 012345678901');

export const accountList: Parser<string[]> = listOf(accountId, '12-digit AWS account ids');

// STS rules: RoleSessionName 2–64 of [\w+=,.@-]; ExternalId 2–1224 of [\w+=,.@:/-].
export const sessionName: Parser<string> = (raw) =>
  /^[\w+=,.@-]{2,64}$/.test(raw)
    ? ok(raw)
    : fail('2 to 64 characters from letters, digits and + = , . @ _ -', 'e.g. guardduty-soar');

export const externalId: Parser<string> = (raw) =>
  /^[\w+=,.@:/-]{2,1224}$/.test(raw)
    ? ok(raw)
    : fail('2 to 1224 characters from letters, digits and + = , . @ : / _ -', 'copy the external id from the role trust policy');

export const accessKeyId: Parser<string> = (raw) =>
  /^\w{16,128}$/.test(raw)
    ? ok(raw)
    : fail('an AWS access key id (16 to 128 letters and digits, e.g. AKIAIOSFODNN7EXAMPLE)', 'check for stray quotes or spaces');

/** The default STS session name: the host (a container id on App Host) shows up in CloudTrail. */
export function defaultSessionName(hostname: string): string {
  const host = hostname.replace(/[^\w+=,.@-]/g, '-');
  return `guardduty-soar-${host}`.slice(0, 64).replace(/-+$/, '');
}
