const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Epoch ms of an ISO-8601 timestamp, read as UTC when it names no zone (GuardDuty's are UTC;
 * `Date.parse` would read a zone-less time as local). Undefined for anything else: `Date.parse`
 * alone accepts strings such as "1" as dates.
 */
export function parseIsoUtc(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const withZone = match[1] !== undefined || !text.includes(':') ? text : `${text}Z`;
  const ms = Date.parse(withZone.replace(' ', 'T'));
  // Date.parse rolls a day the month lacks (2021-02-30) over into the next month.
  const [year = 0, month = 0, day = 0] = text.slice(0, 10).split('-').map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined;
  return Number.isFinite(ms) ? ms : undefined;
}
