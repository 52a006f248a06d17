import { invalidParameter } from '../protocol/service-error.js';

/**
 * GuardDuty's tags. A request's TagMap has 1–200 entries (the model), a resource at most 50 tags
 * (ListTagsForResource's documentation); keys are 1–128 characters of the model's pattern
 * `(?!aws:)[a-zA-Z+-=._:/]+` (taken literally: `+-=` is a character range, as AWS's own regex engine
 * reads it), values 0–256 characters.
 */

const TAG_KEY = /^(?!aws:)[a-zA-Z+-=._:/]{1,128}$/;
const MAX_PER_REQUEST = 200;
const MAX_PER_RESOURCE = 50;

export function parseTagMap(value: unknown, member: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidParameter(member, 'It must be a map of tag keys to values.');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length < 1 || entries.length > MAX_PER_REQUEST) throw invalidParameter(member, `It must contain between 1 and ${MAX_PER_REQUEST} tags.`);
  for (const [key, v] of entries) checkTag(member, key, v);
  return Object.fromEntries(entries) as Record<string, string>;
}

/** The tags of a new resource (none when absent). */
export function optionalTagMap(value: unknown, member: string): Record<string, string> {
  return value === undefined || value === null ? {} : mergeTags({}, parseTagMap(value, member), member);
}

/** UntagResource's `tagKeys`: 1–200 keys of the same pattern. */
export function parseTagKeys(keys: string[], member: string): string[] {
  if (keys.length < 1 || keys.length > MAX_PER_REQUEST) throw invalidParameter(member, `It must contain between 1 and ${MAX_PER_REQUEST} tag keys.`);
  for (const key of keys) if (!TAG_KEY.test(key)) throw invalidParameter(member, `The tag key ${JSON.stringify(key)} is not valid.`);
  return keys;
}

/** A resource's tags after TagResource (an existing key takes the new value), within 50. */
export function mergeTags(current: Record<string, string>, added: Record<string, string>, member: string): Record<string, string> {
  const merged = { ...current, ...added };
  if (Object.keys(merged).length > MAX_PER_RESOURCE) throw invalidParameter(member, `A resource can have at most ${MAX_PER_RESOURCE} tags.`);
  return merged;
}

function checkTag(member: string, key: string, value: unknown): void {
  if (!TAG_KEY.test(key)) {
    throw invalidParameter(member, `The tag key ${JSON.stringify(key)} is not valid: 1-128 characters of letters, digits, + - = . _ : /, not starting with aws:.`);
  }
  if (typeof value !== 'string' || value.length > 256) throw invalidParameter(member, `The value of tag ${JSON.stringify(key)} must be a string of at most 256 characters.`);
}
