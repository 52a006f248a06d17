/**
 * The subset of Python's `strptime` that IBM's `soar_datetimeformat` filter is used with in
 * customers' templates: %Y %y %m %d %H %I %M %S %f %p %z %Z %b %B %j %%. Times are UTC unless %z
 * says otherwise. Returns epoch ms, or undefined when the text does not match the format.
 */
export function strptimeUtc(text: string, format: string): number | undefined {
  const fields: string[] = [];
  let pattern = '';
  for (let i = 0; i < format.length; i += 1) {
    const c = format.charAt(i);
    if (c !== '%') {
      pattern += escapeRegExp(c);
      continue;
    }
    const directive = format.charAt((i += 1));
    if (directive === '%') {
      pattern += '%';
      continue;
    }
    const sub = DIRECTIVES[directive];
    if (sub === undefined) return undefined;
    fields.push(directive);
    pattern += `(${sub})`;
  }
  const match = new RegExp(`^${pattern}$`, 'i').exec(text.trim());
  return match ? toEpoch(fields, match.slice(1)) : undefined;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const DIRECTIVES: Record<string, string> = {
  Y: '\\d{4}', y: '\\d{2}', m: '\\d{1,2}', d: '\\d{1,2}', H: '\\d{1,2}', I: '\\d{1,2}', M: '\\d{1,2}',
  S: '\\d{1,2}', f: '\\d{1,6}', p: 'AM|PM', z: 'Z|[+-]\\d{2}:?\\d{2}', Z: 'UTC|GMT|Z', j: '\\d{1,3}',
  b: '[A-Za-z]{3}', B: '[A-Za-z]{3,9}',
};

function toEpoch(fields: string[], values: (string | undefined)[]): number | undefined {
  const t = { year: 1900, month: 0, day: 1, hour: 0, minute: 0, second: 0, ms: 0, offsetMin: 0, pm: undefined as boolean | undefined, yday: 0 };
  for (const [i, field] of fields.entries()) {
    const v = values[i] ?? '';
    const n = Number.parseInt(v, 10);
    switch (field) {
      case 'Y': t.year = n; break;
      case 'y': t.year = n < 69 ? 2000 + n : 1900 + n; break;
      case 'm': t.month = n - 1; break;
      case 'd': t.day = n; break;
      case 'H': case 'I': t.hour = n; break;
      case 'M': t.minute = n; break;
      case 'S': t.second = n; break;
      case 'f': t.ms = Math.floor(Number.parseInt(v.padEnd(6, '0'), 10) / 1000); break;
      case 'p': t.pm = v.toUpperCase() === 'PM'; break;
      case 'z': t.offsetMin = zoneOffset(v); break;
      case 'j': t.yday = n; break;
      case 'b': case 'B': t.month = MONTHS.indexOf(v.slice(0, 3).toLowerCase()); break;
      default: break; // %Z: only UTC names are accepted, which add nothing.
    }
  }
  if (t.month < 0) return undefined;
  if (t.pm !== undefined) t.hour = (t.hour % 12) + (t.pm ? 12 : 0);
  const day = t.yday > 0 ? t.yday : t.day;
  const month = t.yday > 0 ? 0 : t.month;
  const ms = Date.UTC(t.year, month, day, t.hour, t.minute, t.second, t.ms);
  return Number.isFinite(ms) ? ms - t.offsetMin * 60_000 : undefined;
}

function zoneOffset(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.replace(':', '');
  const minutes = Number.parseInt(digits.slice(1, 3), 10) * 60 + Number.parseInt(digits.slice(3, 5), 10);
  return zone.startsWith('-') ? -minutes : minutes;
}

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}
