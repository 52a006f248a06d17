import { type SeverityBand, DEFAULT_SEVERITY_MAP } from '../findings/severity.js';
import type { Feedback } from '../findings/finding.js';
import { fail, ok, type Parser } from './parsers.js';

/**
 * The two name maps of `[fn_aws_guardduty]`, in one format: `Name=VALUE` pairs separated by `;`
 * (or by line breaks, using INI continuation lines). Names may contain spaces, as SOAR resolution
 * names do. Both maps are applied over their defaults, so a file only names what it changes.
 */

export const SEVERITY_MAP_DEFAULT = 'Low=Low; Medium=Medium; High=High; Critical=High';
export const FEEDBACK_MAP_DEFAULT = 'Not an Issue=NOT_USEFUL; Duplicate=NOT_USEFUL; Resolved=USEFUL';

const BANDS: readonly SeverityBand[] = ['Low', 'Medium', 'High', 'Critical'];

interface Pairs {
  pairs: [string, string][];
  errors: string[];
}

function readPairs(raw: string): Pairs {
  const result: Pairs = { pairs: [], errors: [] };
  const seen = new Set<string>();
  for (const item of raw.split(/[;\n]/).map((s) => s.trim()).filter((s) => s !== '')) {
    const at = item.indexOf('=');
    const name = item.slice(0, at).trim();
    if (at < 0 || name === '') {
      result.errors.push(`"${item}" is not Name=VALUE`);
      continue;
    }
    if (seen.has(name.toLowerCase())) result.errors.push(`${name} appears twice`);
    seen.add(name.toLowerCase());
    result.pairs.push([name, item.slice(at + 1).trim()]);
  }
  return result;
}

export const severityMap: Parser<Record<SeverityBand, string>> = (raw) => {
  const { pairs, errors } = readPairs(raw);
  const map: Record<SeverityBand, string> = { ...DEFAULT_SEVERITY_MAP };
  for (const [name, value] of pairs) {
    const band = BANDS.find((b) => b.toLowerCase() === name.toLowerCase());
    if (!band) errors.push(`${name} is not a GuardDuty severity band (Low, Medium, High, Critical)`);
    else if (value === '') errors.push(`${band} has no SOAR severity name`);
    else map[band] = value;
  }
  if (errors.length > 0) return fail('Band=SOAR severity pairs separated by ";", e.g. Critical=Critical; High=High', errors.join('; '));
  return ok(map);
};

type FeedbackMap = Record<string, Feedback>;

/** `NONE` removes a default: incidents closed with that resolution send no feedback. */
export const feedbackMap: Parser<FeedbackMap> = (raw) => {
  const { pairs, errors } = readPairs(raw);
  const map: FeedbackMap = { 'Not an Issue': 'NOT_USEFUL', Duplicate: 'NOT_USEFUL', Resolved: 'USEFUL' };
  for (const [name, value] of pairs) {
    const word = value.toUpperCase();
    const existing = Object.keys(map).find((k) => k.toLowerCase() === name.toLowerCase());
    if (existing !== undefined) delete map[existing];
    if (word === 'USEFUL' || word === 'NOT_USEFUL') map[name] = word;
    else if (word !== 'NONE') errors.push(`${name}=${value}: the feedback must be USEFUL, NOT_USEFUL or NONE`);
  }
  if (errors.length > 0) {
    return fail('Resolution=USEFUL|NOT_USEFUL|NONE pairs separated by ";", e.g. Not an Issue=NOT_USEFUL; Resolved=USEFUL', errors.join('; '));
  }
  return ok(map);
};
