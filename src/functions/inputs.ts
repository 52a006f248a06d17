import type { FindingsSource } from '../regions/findings-source.js';
import { INPUT, LIST_FORMATS, type InputName } from './function-inputs.js';
import type { FunctionDeps } from './function-deps.js';
import { FunctionInputError, type FunctionInputs } from './function-types.js';

/**
 * Reading and checking the inputs of the SOAR functions, before any side effect: every problem is a
 * `FunctionInputError` naming the input and what was expected, which the listener answers as an
 * error reply. SOAR sends numbers and booleans as JSON values, but a playbook script may set any
 * input to text, so `"42"` and `"true"` are accepted too.
 */

/** The detector a function acts on, and the source holding the credentials of the account that owns it. */
export interface DetectorTarget {
  region: string;
  detectorId: string;
  account: string;
  source: FindingsSource;
}

/** A text input that must be present and not blank, trimmed. */
export function requiredText(inputs: FunctionInputs, name: InputName, expected = 'a value'): string {
  const value = optionalText(inputs, name);
  if (value === undefined) throw new FunctionInputError(name, expected);
  return value;
}

/** A text input; absent, null and blank are all "not given". */
export function optionalText(inputs: FunctionInputs, name: InputName): string | undefined {
  const value = inputs[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new FunctionInputError(name, 'text', value);
}

export function requiredBoolean(inputs: FunctionInputs, name: InputName): boolean {
  const value = optionalBoolean(inputs, name);
  if (value === undefined) throw new FunctionInputError(name, 'true or false');
  return value;
}

export function optionalBoolean(inputs: FunctionInputs, name: InputName): boolean | undefined {
  const value = inputs[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw new FunctionInputError(name, 'true or false', value);
}

/** A whole number in [min, max]. */
export function optionalInteger(inputs: FunctionInputs, name: InputName, min: number, max: number): number | undefined {
  const value = inputs[name];
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new FunctionInputError(name, `a whole number from ${min} to ${max}`, value);
  return n;
}

/** `incident_id`: the SOAR incident, a positive whole number. */
export function incidentIdInput(inputs: FunctionInputs): number {
  const id = optionalInteger(inputs, INPUT.incidentId, 1, Number.MAX_SAFE_INTEGER);
  if (id === undefined) throw new FunctionInputError(INPUT.incidentId, 'the id of a SOAR incident (a number)');
  return id;
}

/** `aws_gd_finding_id`: what GuardDuty's FindingId allows (1–300 characters, no spaces). */
export function findingIdInput(inputs: FunctionInputs): string {
  const id = requiredText(inputs, INPUT.findingId, 'the id of a GuardDuty finding (incident field aws_guardduty_finding_id)');
  if (id.length > 300 || /\s/.test(id)) throw new FunctionInputError(INPUT.findingId, 'a GuardDuty finding id (1-300 characters, no spaces)', id);
  return id;
}

/** `aws_gd_format`: one of GuardDuty's list formats; case is forgiven. */
export function formatInput(inputs: FunctionInputs): string {
  const expected = `one of ${LIST_FORMATS.join(', ')}`;
  const value = requiredText(inputs, INPUT.format, expected);
  const format = LIST_FORMATS.find((f) => f === value.toUpperCase());
  if (!format) throw new FunctionInputError(INPUT.format, expected, value);
  return format;
}

const S3_URL = 'an S3 object URL of the list file: s3://bucket/key, https://bucket.s3[.region].amazonaws.com/key or https://s3[.region].amazonaws.com/bucket/key';
const BUCKET = '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]';
const REGION = '(?:[.-][a-z]{2}(?:-[a-z]+)+-\\d)?';
const S3_FORMS = [
  new RegExp(`^s3://${BUCKET}/\\S+$`),
  new RegExp(`^https://${BUCKET}\\.s3${REGION}\\.amazonaws\\.com/\\S+$`),
  new RegExp(`^https://s3${REGION}\\.amazonaws\\.com/${BUCKET}/\\S+$`),
];

/**
 * An S3 location in one of the forms GuardDuty accepts (the S3 URI, S3's virtual-hosted and
 * path-style object URLs), naming an object, not only a bucket.
 */
export function locationInput(inputs: FunctionInputs, name: InputName, required: boolean): string | undefined {
  const value = required ? requiredText(inputs, name, S3_URL) : optionalText(inputs, name);
  if (value === undefined) return undefined;
  if (value.length > 300 || !S3_FORMS.some((form) => form.test(value))) throw new FunctionInputError(name, S3_URL, value);
  return value;
}

/** `aws_gd_bucket_owner`: a 12-digit AWS account id. */
export function bucketOwnerInput(inputs: FunctionInputs): string | undefined {
  const value = optionalText(inputs, INPUT.bucketOwner);
  if (value !== undefined && !/^\d{12}$/.test(value)) throw new FunctionInputError(INPUT.bucketOwner, 'a 12-digit AWS account id', value);
  return value;
}

const LIST_NAME = 'a name for the list: 1-300 letters, digits, spaces, - and _';

/** `aws_gd_name` / `aws_gd_new_name`: what GuardDuty allows in a list's name. */
export function listNameInput(inputs: FunctionInputs, name: InputName, required: boolean): string | undefined {
  const value = required ? requiredText(inputs, name, LIST_NAME) : optionalText(inputs, name);
  if (value !== undefined && !/^[\p{L}\p{N}\s_-]{1,300}$/u.test(value)) throw new FunctionInputError(name, LIST_NAME, value);
  return value;
}

/**
 * `aws_gd_tags`, as IBM's app reads it: `"Key: Value, Key2: Value2"`. Keys follow GuardDuty's rules
 * (1–128 characters of letters, digits and `+-=._:/`, not starting with `aws:`), values at most 256.
 */
export function tagsInput(inputs: FunctionInputs): Record<string, string> | undefined {
  const text = optionalText(inputs, INPUT.tags);
  if (text === undefined) return undefined;
  const tags: Record<string, string> = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    // Keys may hold colons themselves (`team:owner: secops`): the separator is the first ": ".
    const spaced = pair.search(/:\s/);
    const at = spaced >= 0 ? spaced : pair.indexOf(':');
    const key = at < 0 ? '' : pair.slice(0, at).trim();
    const value = at < 0 ? '' : pair.slice(at + 1).trim();
    if (!/^[a-zA-Z0-9+\-=._:/]{1,128}$/.test(key) || key.toLowerCase().startsWith('aws:') || value.length > 256) {
      throw new FunctionInputError(INPUT.tags, 'tags as "Key: Value, Key2: Value2" (keys of letters, digits and +-=._:/, not starting with aws:; values up to 256 characters)', text);
    }
    tags[key] = value;
  }
  return Object.keys(tags).length > 0 ? tags : undefined;
}

/**
 * `aws_gd_region` and `aws_gd_detector_id`: a detector guardduty-soar polls, and the account that
 * owns it, from the last discovery (the store). A detector not found there is looked for once more
 * after the discoveries run (at start, before the first cycle has discovered anything).
 */
export async function detectorInput(deps: FunctionDeps, inputs: FunctionInputs): Promise<DetectorTarget> {
  const region = requiredText(inputs, INPUT.region, 'the AWS region of the detector (incident field aws_guardduty_region)');
  const detectorId = requiredText(inputs, INPUT.detectorId, 'the id of a GuardDuty detector (incident field aws_guardduty_detector_id)');
  let found = findDetector(deps, region, detectorId);
  if (!found) {
    await deps.rediscover();
    found = findDetector(deps, region, detectorId);
  }
  if (!found) throw unknownDetector(deps, region, detectorId);
  const source = deps.sources.get(found.account);
  if (!source) throw new Error(`No AWS source for account ${found.account}, which discovery found`);
  return { region, detectorId, account: found.account, source };
}

function findDetector(deps: FunctionDeps, region: string, detectorId: string): { account: string } | undefined {
  return deps.store.detectors.list().find((d) => d.status === 'active' && d.region === region && d.detectorId === detectorId);
}

function unknownDetector(deps: FunctionDeps, region: string, detectorId: string): FunctionInputError {
  const active = deps.store.detectors.list().filter((d) => d.status === 'active');
  const inRegion = active.filter((d) => d.region === region);
  if (inRegion.length === 0) {
    const regions = [...new Set(active.map((d) => d.region))].sort();
    return new FunctionInputError(INPUT.region, `a region where guardduty-soar polls a detector (${regions.join(', ') || 'none discovered yet'})`, region);
  }
  const ids = inRegion.map((d) => `${String(d.detectorId)} (account ${d.account})`).join(', ');
  return new FunctionInputError(INPUT.detectorId, `a detector guardduty-soar polls in ${region}: ${ids}`, detectorId);
}


/**
 * What resilient-lib's `validate_fields` checks for IBM's twelve functions, and nothing more: the
 * input is set (not absent, null or ""). A missing one is an error reply, as in IBM's app. The
 * value is passed on as given (numbers as their text), for AWS to judge.
 */
export function ibmRequiredText(inputs: FunctionInputs, name: InputName): string {
  const value = inputs[name];
  if (value === undefined || value === null || value === '') throw new FunctionInputError(name, `a value (IBM's app requires ${name} too)`);
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** An optional input of IBM's twelve, as given; absent, null and blank are "not given". */
export function ibmOptionalText(inputs: FunctionInputs, name: InputName): string | undefined {
  const value = inputs[name];
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
  return Array.isArray(value) ? value.join(',') : String(value);
}

/**
 * The detector one of IBM's twelve functions acts on. A detector guardduty-soar polls is reached with
 * the credentials of the account that owns it; any other (unknown to discovery, mistyped, in a region
 * not polled) is passed to AWS with the first configured account's credentials, as IBM's app, which
 * has one set of credentials, passes it: AWS's answer is the function's answer.
 */
export async function ibmDetectorTarget(deps: FunctionDeps, inputs: FunctionInputs): Promise<DetectorTarget> {
  const region = ibmRequiredText(inputs, INPUT.region).trim();
  const detectorId = ibmRequiredText(inputs, INPUT.detectorId).trim();
  // Any detector discovery saw, active or not: its account's credentials are the right ones to ask with.
  const known = (): { account: string } | undefined => deps.store.detectors.list().find((d) => d.region === region && d.detectorId === detectorId);
  let found = known();
  if (!found) {
    await deps.rediscover();
    found = known();
  }
  const account = found?.account ?? deps.sources.keys().next().value;
  const source = account === undefined ? undefined : deps.sources.get(account);
  if (account === undefined || !source) throw new Error('No AWS credentials are configured for the GuardDuty functions');
  return { region, detectorId, account, source };
}
