import { invalidParameter } from './service-error.js';

/**
 * GuardDuty's TagMap: 1–200 entries; keys 1–128 characters of the model's pattern
 * `(?!aws:)[a-zA-Z+-=._:/]+` (taken literally: `+-=` is a character range, as AWS's own regex
 * engine reads it), values 0–256 characters.
 */

const TAG_KEY = /^(?!aws:)[a-zA-Z+-=._:/]{1,128}$/;
const MAX_TAGS = 200;

export function parseTagMap(value: unknown, member: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidParameter(member, 'It must be a map of tag keys to values.');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length < 1 || entries.length > MAX_TAGS) throw invalidParameter(member, `It must contain between 1 and ${MAX_TAGS} tags.`);
  for (const [key, v] of entries) checkTag(member, key, v);
  return Object.fromEntries(entries) as Record<string, string>;
}

export function optionalTagMap(value: unknown, member: string): Record<string, string> {
  return value === undefined || value === null ? {} : parseTagMap(value, member);
}

function checkTag(member: string, key: string, value: unknown): void {
  if (!TAG_KEY.test(key)) {
    throw invalidParameter(member, `The tag key ${JSON.stringify(key)} is not valid: 1-128 characters of letters, digits, + - = . _ : /, not starting with aws:.`);
  }
  if (typeof value !== 'string' || value.length > 256) throw invalidParameter(member, `The value of tag ${JSON.stringify(key)} must be a string of at most 256 characters.`);
}
