import { badRequest, invalidParameter } from '../protocol/service-error.js';
import type { JsonObject } from '../protocol/wire.js';

/** Validation of GuardDuty request members, with GuardDuty's "parameter X has an invalid value" wording. */

export function parseJsonBody(raw: string): JsonObject {
  if (raw.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as JsonObject;
  } catch {
    // fall through
  }
  throw badRequest('The request is rejected because the request body could not be parsed.');
}

/** `maxResults` within [1, max]; the default when absent. */
export function maxResults(value: unknown, max: number, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > max) {
    throw invalidParameter('maxResults', `It must be between 1 and ${max}.`);
  }
  return n;
}

/** A required list of 1–50 ids (findingIds of Get/Archive/Unarchive/Feedback). */
export function idList(body: JsonObject, name: string): string[] {
  const value = body[name];
  if (!Array.isArray(value) || value.length < 1 || value.length > 50 || !value.every((v) => typeof v === 'string' && v !== '')) {
    throw invalidParameter(name, 'It must contain between 1 and 50 ids.');
  }
  return value as string[];
}

export function optionalString(body: JsonObject, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter(name);
  return value;
}

export function optionalStringList(body: JsonObject, name: string, max: number): string[] | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > max || !value.every((v) => typeof v === 'string')) {
    throw invalidParameter(name, `It must contain at most ${max} values.`);
  }
  return value;
}
