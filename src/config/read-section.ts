import type { ConfigProblem } from '../core/errors.js';
import type { IniEntry } from './ini.js';
import type { KeySpec, KeyTable, ValueOf } from './key-spec.js';
import type { ParseContext } from './parsers.js';
import { resolveSecrets, type SecretSources } from './secrets.js';

/** Reads one section against its key table: secrets, defaults, parsing, and every problem found. */

export const BLANKED = '***';

export interface ReadContext {
  parse: ParseContext;
  sources: SecretSources;
  problems: ConfigProblem[];
  /** Every secret value met, for the logger. */
  secrets: Set<string>;
  warnings: string[];
}

export interface SectionReading<S extends KeyTable> {
  values: { [K in keyof S]: ValueOf<S[K]> | undefined };
  /** Keys with a non-empty value in the file (as opposed to a default or nothing). */
  present: Set<keyof S>;
  /** Keys whose value was unusable: checks that combine keys skip them. */
  failed: Set<keyof S>;
  /** Every key with its effective value, secrets blanked. */
  redacted: Record<string, string>;
}

export function readSection<S extends KeyTable>(
  section: string,
  table: S,
  entries: ReadonlyMap<string, IniEntry>,
  rc: ReadContext,
): SectionReading<S> {
  const reading = { values: {}, present: new Set(), failed: new Set(), redacted: {} } as SectionReading<S>;
  for (const name of Object.keys(table) as (keyof S & string)[]) {
    readKey(`${section}.${name}`, name, table[name], entries.get(name), rc, reading);
  }
  return reading;
}

function readKey<S extends KeyTable>(
  id: string,
  name: keyof S & string,
  spec: KeySpec<unknown>,
  entry: IniEntry | undefined,
  rc: ReadContext,
  reading: SectionReading<S>,
): void {
  const taken = takeText(id, spec, entry, rc);
  reading.redacted[name] = taken.shown;
  if (taken.fromFile) reading.present.add(name);
  if (taken.text === undefined) {
    if (taken.failed) reading.failed.add(name);
    return;
  }
  const parsed = spec.parse(taken.text, rc.parse);
  if (parsed.ok) {
    (reading.values as Record<string, unknown>)[name] = parsed.value;
    return;
  }
  reading.failed.add(name);
  rc.problems.push({
    key: id,
    value: taken.fromFile ? taken.shown : `${taken.text} (the default)`,
    expected: parsed.expected,
    hint: parsed.hint ?? `for example: ${name} = ${spec.example}`,
  });
}

interface Taken {
  /** What to parse: the file's value, else the default; undefined when there is neither. */
  text: string | undefined;
  fromFile: boolean;
  /** The value as logs may show it. */
  shown: string;
  failed: boolean;
}

/** The text of a key: its non-empty value in the file (IBM treats empty as unset), else its default. */
function takeText(id: string, spec: KeySpec<unknown>, entry: IniEntry | undefined, rc: ReadContext): Taken {
  if (entry !== undefined) {
    const fileValue = resolveEntry(id, spec, entry.value, rc);
    if (fileValue === null) return { text: undefined, fromFile: false, shown: showValue(spec, entry.value, true), failed: true };
    if (fileValue.value !== '') {
      return { text: fileValue.value, fromFile: true, shown: showValue(spec, entry.value, fileValue.referenced), failed: false };
    }
  }
  const text = spec.computedDefault?.(rc.parse) ?? spec.default;
  if (text === undefined && spec.required) {
    const section = id.slice(0, id.indexOf('.'));
    rc.problems.push({
      key: id,
      expected: `a value, e.g. ${spec.example}`,
      hint: `add "${id.slice(section.length + 1)} = ${spec.example}" under [${section}] (${spec.doc})`,
    });
    return { text, fromFile: false, shown: '', failed: true };
  }
  return { text, fromFile: false, shown: text ?? '', failed: false };
}

interface FileValue {
  value: string;
  referenced: boolean;
}

/** Resolves `$NAME` references; null when one of them could not be resolved (a problem is recorded). */
function resolveEntry(id: string, spec: KeySpec<unknown>, raw: string, rc: ReadContext): FileValue | null {
  const resolved = resolveSecrets(raw, rc.sources);
  for (const secret of resolved.secrets) rc.secrets.add(secret);
  if (spec.secret && resolved.value !== '') rc.secrets.add(resolved.value);
  for (const part of spec.secretParts?.(resolved.value) ?? []) rc.secrets.add(part);
  for (const p of resolved.problems) rc.problems.push({ key: id, value: showValue(spec, raw, true), expected: p.expected, hint: p.hint });
  if (resolved.problems.length > 0) return null;
  return { value: resolved.value, referenced: resolved.referenced };
}

/**
 * A value as logs and problem reports may show it: secrets blanked, values from `$NAME` shown as
 * written (the reference, not what it resolved to), proxy passwords masked.
 */
function showValue(spec: KeySpec<unknown>, raw: string, referenced: boolean): string {
  if (spec.secret) return BLANKED;
  if (referenced) return raw;
  return spec.mask ? spec.mask(raw) : raw;
}
