/**
 * The subset of Python's `datetime.strptime` that IBM's `soar_datetimeformat` filter is used with in
 * customers' templates: %Y %y %m %d %H %I %M %S %f %p %z %Z %b %B %j %%. It is as strict as Python:
 * the directives' patterns are CPython's (`_strptime.TimeRE`, C locale), the text must be consumed
 * whole, and a date or time that does not exist (30 February, second 60, an offset of 24 hours) is
 * refused. Times are UTC unless %z says otherwise. Returns epoch ms, or undefined where Python raises.
 */
export function strptimeUtc(text: string, format: string): number | undefined {
  const fields: string[] = [];
  let pattern = '';
  for (let i = 0; i < format.length; i += 1) {
    const c = format.charAt(i);
    if (c !== '%') {
      // CPython turns each run of whitespace in the format into \s+.
      if (/\s/.test(c)) {
        while (/\s/.test(format.charAt(i + 1))) i += 1;
        pattern += '\\s+';
      } else pattern += escapeRegExp(c);
      continue;
    }
    const directive = format.charAt((i += 1));
    if (directive === '%') {
      pattern += '%';
      continue;
    }
    const sub = DIRECTIVES[directive];
    // An unknown directive, or one used twice (Python: "redefinition of group name").
    if (sub === undefined || fields.includes(directive)) return undefined;
    fields.push(directive);
    pattern += `(${sub})`;
  }
  const input = text.trim();
  // Anchored at the start only, then "unconverted data remains" unless the match took everything:
  // the alternatives are tried in CPython's order, so the same text is refused.
  const match = new RegExp(`^(?:${pattern})`, 'i').exec(input);
  return match && match[0].length === input.length ? toEpoch(fields, match.slice(1)) : undefined;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
/** Longest names first, as CPython's `__seqToRE`, so that a name is never matched by its prefix. */
const byLength = (names: string[]): string => [...names].sort((a, b) => b.length - a.length).join('|');

const DIRECTIVES: Record<string, string> = {
  Y: '\\d\\d\\d\\d',
  y: '\\d\\d',
  m: '1[0-2]|0[1-9]|[1-9]',
  d: '3[01]|[12]\\d|0[1-9]|[1-9]| [1-9]',
  H: '2[0-3]|[0-1]\\d|\\d',
  I: '1[0-2]|0[1-9]|[1-9]',
  M: '[0-5]\\d|\\d',
  S: '6[0-1]|[0-5]\\d|\\d',
  f: '[0-9]{1,6}',
  p: 'am|pm',
  z: '[+-]\\d\\d:?[0-5]\\d(?::?[0-5]\\d(?:\\.\\d{1,6})?)?|Z',
  Z: 'utc|gmt',
  j: '36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9]',
  b: byLength(MONTHS.map((m) => m.slice(0, 3))),
  B: byLength(MONTHS),
};

interface Parts {
  year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number;
  offsetMs: number; twelveHour: number | undefined; pm: boolean; yday: number;
}

function toEpoch(fields: string[], values: (string | undefined)[]): number | undefined {
  const t: Parts = { year: 1900, month: 0, day: 1, hour: 0, minute: 0, second: 0, ms: 0, offsetMs: 0, twelveHour: undefined, pm: false, yday: 0 };
  for (const [i, field] of fields.entries()) {
    const v = values[i] ?? '';
    const n = Number.parseInt(v, 10);
    switch (field) {
      case 'Y': t.year = n; break;
      case 'y': t.year = n <= 68 ? 2000 + n : 1900 + n; break;
      case 'm': t.month = n - 1; break;
      case 'd': t.day = n; break;
      case 'H': t.hour = n; break;
      case 'I': t.twelveHour = n; break;
      case 'M': t.minute = n; break;
      case 'S': t.second = n; break;
      case 'f': t.ms = Math.floor(Number.parseInt(v.padEnd(6, '0'), 10) / 1000); break;
      case 'p': t.pm = v.toLowerCase() === 'pm'; break;
      case 'z': {
        const offset = zoneOffsetMs(v);
        if (offset === undefined) return undefined;
        t.offsetMs = offset;
        break;
      }
      case 'j': t.yday = n; break;
      case 'b': case 'B': t.month = MONTHS.findIndex((m) => m.startsWith(v.toLowerCase())); break;
      default: break; // %Z: only UTC names are accepted, which add nothing.
    }
  }
  // %p only means something with %I; %I without %p is a morning hour (12 is midnight), as in Python.
  if (t.twelveHour !== undefined) t.hour = (t.twelveHour % 12) + (t.pm ? 12 : 0);
  // datetime() refuses year 0, a leap second, and a day the month does not have.
  if (t.year < 1 || t.second > 59) return undefined;
  if (t.yday === 0 && t.day > daysInMonth(t.year, t.month)) return undefined;
  const day = t.yday > 0 ? t.yday : t.day;
  const month = t.yday > 0 ? 0 : t.month;
  const utc = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps the years 0-99 to 1900-1999.
  utc.setUTCFullYear(t.year, month, day);
  utc.setUTCHours(t.hour, t.minute, t.second, t.ms);
  return utc.getTime() - t.offsetMs;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 1) return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month] ?? 0;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
}

/** CPython's %z: `Z` (upper case only), or ±HH[:]MM[[:]SS[.ffffff]] with one colon style, under 24 hours. */
function zoneOffsetMs(zone: string): number | undefined {
  if (zone === 'Z') return 0;
  if (zone === 'z') return undefined;
  const colon = zone.charAt(3) === ':';
  const compact = colon ? zone.slice(0, 3) + zone.slice(4) : zone;
  if (compact.length > 5 && (compact.charAt(5) === ':') !== colon) return undefined;
  const digits = zone.slice(1).replaceAll(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  const seconds = Number(digits.slice(4) || '0');
  if (hours > 23) return undefined;
  const ms = ((hours * 60 + minutes) * 60 + seconds) * 1000;
  return zone.startsWith('-') ? -ms : ms;
}

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}
