import nunjucks from 'nunjucks';
import { escapeHtml } from './html.js';
import { parseIsoUtc } from './iso-time.js';
import { strptimeUtc } from './strptime.js';

type Filter = (...args: unknown[]) => unknown;

/**
 * The filters templates may use. `json` is the escaping mechanism: templates render JSON, and
 * every value that comes from a finding must pass through `| json` so that quotes, backslashes
 * and control characters in attacker-influenced text stay inside their string. The `soar_*`
 * filters keep IBM's names and semantics so IBM customers' templates work unchanged.
 */
export const TEMPLATE_FILTERS: Readonly<Record<string, Filter>> = {
  json: (value) => toJson(value),
  soar_datetimeformat: (value, format, splitAt) => soarDatetimeFormat(value, format, splitAt),
  soar_substitute: (value, map) => soarSubstitute(value, map),
  soar_splitpart: (value, index, separator) => soarSplitPart(value, index, separator),
  html: (value) => escapeHtml(value instanceof nunjucks.runtime.SafeString ? value.toString() : value),
};

/** JSON text of a value; `null` for undefined (a missing member must still leave valid JSON). */
export function toJson(value: unknown): string {
  const plain = value instanceof nunjucks.runtime.SafeString ? value.toString() : value;
  return JSON.stringify(plain) ?? 'null';
}

/**
 * Epoch ms of a date, as IBM's filter returns: the value is cut at the last `splitAt` first, then
 * read with the Python-style `format`; ISO-8601 text (GuardDuty's) is accepted whatever the
 * format, and numbers are taken as epoch ms already. Undefined (JSON null) when unreadable.
 */
export function soarDatetimeFormat(value: unknown, format?: unknown, splitAt?: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  let text = value;
  if (typeof splitAt === 'string' && splitAt !== '' && text.includes(splitAt)) text = text.slice(0, text.lastIndexOf(splitAt));
  const fmt = typeof format === 'string' && format !== '' ? format : '%Y-%m-%dT%H:%M:%S';
  return strptimeUtc(text, fmt) ?? parseIsoUtc(text) ?? parseIsoUtc(value);
}

/** IBM semantics: the mapped value, else the map's `DEFAULT`, else the value itself. */
export function soarSubstitute(value: unknown, map: unknown): unknown {
  const table = typeof map === 'string' ? parseMap(map) : map;
  if (typeof table !== 'object' || table === null) return value;
  const entries = table as Record<string, unknown>;
  const key = typeof value === 'string' ? value : JSON.stringify(value);
  if (key !== undefined && Object.hasOwn(entries, key)) return entries[key];
  if (Object.hasOwn(entries, 'DEFAULT')) return entries.DEFAULT;
  return value;
}

function parseMap(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`soar_substitute: the map is not valid JSON (${(err as Error).message}): ${text.slice(0, 80)}`);
  }
}

/** IBM semantics: part `index` of the value split at `separator` (default " - "), else the value. */
export function soarSplitPart(value: unknown, index: unknown, separator: unknown = ' - '): unknown {
  if (typeof value !== 'string') return value;
  const parts = value.split(typeof separator === 'string' ? separator : ' - ');
  const i = typeof index === 'number' ? index : Number(index);
  return Number.isInteger(i) && i >= 0 && i < parts.length ? parts[i] : value;
}
