/**
 * Value parsers for `app.config` keys. Each turns the (secret-resolved, non-empty) text of one key
 * into a typed value, or says what was expected and how to fix it; the loader collects every
 * failure so that the operator sees all problems at once.
 */

export interface ParseContext {
  /** Relative paths in the file are resolved against this folder. */
  cwd: string;
  /** Folder of the bundled templates (defaults of the template keys). */
  templatesDir: string;
  /** Used to generate the default STS session name. */
  hostname: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string; hint?: string };
export type Parser<T> = (raw: string, ctx: ParseContext) => Parsed<T>;

export function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function fail(expected: string, hint?: string): { ok: false; expected: string; hint?: string } {
  return hint === undefined ? { ok: false, expected } : { ok: false, expected, hint };
}

export const text: Parser<string> = (raw) => ok(raw);

interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
  /** Plural noun for messages, e.g. "minutes". */
  unit?: string;
}

export function numberIn(rule: NumberRule): Parser<number> {
  const shape = rule.integer ? /^[+-]?\d+$/ : /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
  const expected = describeRange(rule);
  return (raw) => {
    if (!shape.test(raw)) return fail(expected, rule.integer ? 'write a whole number, e.g. 10' : 'write a number, e.g. 7.5');
    const value = Number(raw);
    if (rule.min !== undefined && value < rule.min) return fail(expected);
    if (rule.max !== undefined && value > rule.max) return fail(expected);
    return ok(value);
  };
}

function describeRange(rule: NumberRule): string {
  const kind = rule.integer ? 'a whole number' : 'a number';
  const unit = rule.unit ? ` of ${rule.unit}` : '';
  if (rule.min !== undefined && rule.max !== undefined) return `${kind}${unit} from ${rule.min} to ${rule.max}`;
  if (rule.min !== undefined) return `${kind}${unit} of at least ${rule.min}`;
  return `${kind}${unit}`;
}

/** One of a fixed set of words, in any case. */
export function oneOf<T extends string>(values: readonly T[]): Parser<T> {
  return (raw) => {
    const found = values.find((v) => v.toLowerCase() === raw.toLowerCase());
    return found === undefined ? fail(`one of ${values.join(', ')}`) : ok(found);
  };
}

const TRUE_WORDS = ['true', 'yes', 'on', '1'];
const FALSE_WORDS = ['false', 'no', 'off', '0'];

/** configparser's `getboolean` words, in any case. */
export const bool: Parser<boolean> = (raw) => {
  const word = raw.toLowerCase();
  if (TRUE_WORDS.includes(word)) return ok(true);
  if (FALSE_WORDS.includes(word)) return ok(false);
  return fail('true or false (also yes/no, on/off, 1/0)');
};

/** A comma-separated list; blanks around items and empty items are dropped, duplicates removed. */
export function listOf(item: Parser<string>, itemName: string): Parser<string[]> {
  return (raw, ctx) => {
    const items = [...new Set(raw.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
    const bad = items.filter((s) => !item(s, ctx).ok);
    if (bad.length > 0) {
      return fail(`a comma-separated list of ${itemName}`, `fix or remove ${bad.map((b) => JSON.stringify(b)).join(', ')}`);
    }
    return ok(items);
  };
}

/**
 * A regex as IBM's app reads it: surrounding quotes stripped (`.strip("'\"")`), unanchored and
 * case-insensitive (`re.search(..., re.IGNORECASE)`). Python-only syntax that IBM users may have
 * written is translated: `(?P<n>` named groups, `(?P=n)` back-references and a leading `(?i)`.
 * No `g` flag: a global RegExp keeps `lastIndex` between `test()` calls and skips matches.
 */
export const pythonRegex: Parser<RegExp> = (raw) => {
  const source = raw
    .replace(/^['"]+|['"]+$/g, '')
    .replace(/^\(\?i\)/, '')
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  try {
    return ok(new RegExp(source, 'i'));
  } catch (err) {
    return fail('a valid regular expression', `${(err as Error).message}; e.g. ^(us|eu)- selects the US and EU regions`);
  }
};
