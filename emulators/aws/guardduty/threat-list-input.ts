import { parseS3Location } from '../s3/s3-location.js';
import { invalidParameter } from '../protocol/service-error.js';
import { optionalTagMap } from './tags.js';
import type { JsonObject } from '../protocol/wire.js';

/**
 * Validation of CreateIPSet/CreateThreatIntelSet and UpdateIPSet/UpdateThreatIntelSet bodies, with
 * the model's constraints (the SDK checks none of them). [I] Names are 1–300 letters, digits,
 * whitespace, `-` and `_` (the documented characters), not required to be unique.
 */

/** What a new list is made of. */
export interface ThreatListInput {
  name: string;
  format: string;
  location: string;
  activate: boolean;
  tags: Record<string, string>;
  expectedBucketOwner: string | undefined;
}

const FORMATS = ['TXT', 'STIX', 'OTX_CSV', 'ALIEN_VAULT', 'PROOF_POINT', 'FIRE_EYE'];
const NAME = /^[\w\s-]{1,300}$/;
const ACCOUNT_ID = /^\d{12}$/;

export function parseCreateInput(body: JsonObject): ThreatListInput {
  return {
    name: name(required(body, 'name')),
    format: format(required(body, 'format')),
    location: location(required(body, 'location')),
    activate: activate(required(body, 'activate')),
    tags: optionalTagMap(body.tags, 'tags'),
    expectedBucketOwner: bucketOwner(body.expectedBucketOwner),
  };
}

/** The members an update sets (absent or null members keep their value). */
export function parseUpdateChanges(body: JsonObject): Partial<ThreatListInput> {
  const present = (member: string) => body[member] !== undefined && body[member] !== null;
  return {
    ...(present('name') ? { name: name(body.name) } : {}),
    ...(present('location') ? { location: location(body.location) } : {}),
    ...(present('activate') ? { activate: activate(body.activate) } : {}),
    ...(present('expectedBucketOwner') ? { expectedBucketOwner: bucketOwner(body.expectedBucketOwner) } : {}),
  };
}

function required(body: JsonObject, member: string): unknown {
  const value = body[member];
  if (value === undefined || value === null) throw invalidParameter(member, 'It is required.');
  return value;
}

function name(value: unknown): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw invalidParameter('name', 'It must be 1-300 characters of letters, digits, whitespace, dash (-) and underscore (_).');
  }
  return value;
}

function format(value: unknown): string {
  if (typeof value !== 'string' || !FORMATS.includes(value)) throw invalidParameter('format', `It must be one of ${FORMATS.join(', ')}.`);
  return value;
}

function location(value: unknown): string {
  if (typeof value !== 'string' || value.length > 300 || !parseS3Location(value)) {
    throw invalidParameter(
      'location',
      'It must be the URL of an S3 object of at most 300 characters: s3://bucket/key, https://bucket.s3.amazonaws.com/key or https://s3.<region>.amazonaws.com/bucket/key.',
    );
  }
  return value;
}

function activate(value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalidParameter('activate', 'It must be true or false.');
  return value;
}

function bucketOwner(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !ACCOUNT_ID.test(value)) throw invalidParameter('expectedBucketOwner', 'It must be a 12-digit account id.');
  return value;
}

/** The SDK fills an absent ClientToken with a fresh UUID (idempotencyToken), so every call has one. */
export function clientToken(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > 64) throw invalidParameter('clientToken', 'It must be a string of at most 64 characters.');
  return value === '' ? undefined : value;
}
