/**
 * An INI parser that reads `app.config` the way Python's `configparser` does in IBM's apps
 * (`interpolation=None`, `strict=True`, default comment prefixes, no inline comments).
 *
 * Deliberately not the `ini` npm package: it strips inline comments after `;` or `#`, which breaks
 * regexes (`"^(us|eu).*#x"`) and passwords that configparser (and so IBM's apps) keep verbatim.
 */

export interface IniEntry {
  value: string;
  /** 1-based line of the `key = value` line. */
  line: number;
}

export interface IniSection {
  /** Case-sensitive, as in configparser. */
  name: string;
  line: number;
  /** Option names lowercased (configparser's `optionxform`). */
  entries: Map<string, IniEntry>;
}

export interface IniProblem {
  line: number;
  /** `section.key` (or the section name) when the problem is about one. */
  key?: string;
  expected: string;
  hint: string;
}

export interface IniDocument {
  sections: Map<string, IniSection>;
  /** `[DEFAULT]`: fallbacks visible in every section (configparser's default section). */
  defaults: Map<string, IniEntry>;
  problems: IniProblem[];
}

const DEFAULT_SECTION = 'DEFAULT';

interface Cursor {
  section: IniSection | undefined;
  /** The option continuation lines are appended to (configparser's `optname`). */
  option: { parts: string[] } | undefined;
  /** Indentation of the last section or option line; deeper lines continue the value. */
  indent: number;
}

export function parseIni(text: string): IniDocument {
  const doc: IniDocument = { sections: new Map(), defaults: new Map(), problems: [] };
  const defaults: IniSection = { name: DEFAULT_SECTION, line: 0, entries: doc.defaults };
  const pending = new Map<IniEntry, string[]>();
  const cursor: Cursor = { section: undefined, option: undefined, indent: Number.MAX_SAFE_INTEGER };
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => readLine(raw, index + 1, doc, defaults, cursor, pending));
  // configparser joins continuation lines with "\n" and drops trailing blank lines.
  for (const [entry, parts] of pending) entry.value = parts.join('\n').trimEnd();
  return doc;
}

function readLine(
  raw: string,
  line: number,
  doc: IniDocument,
  defaults: IniSection,
  cursor: Cursor,
  pending: Map<IniEntry, string[]>,
): void {
  const value = raw.trim();
  // A comment line (even indented, even inside a multi-line value) is skipped without ending the value.
  if (value.startsWith('#') || value.startsWith(';')) return;
  if (value === '') {
    // Blank lines belong to a multi-line value if an indented line follows (trailing ones are trimmed).
    cursor.option?.parts.push('');
    return;
  }
  const indent = raw.length - raw.trimStart().length;
  if (cursor.section && cursor.option && indent > cursor.indent) {
    cursor.option.parts.push(value);
    return;
  }
  cursor.indent = indent;
  const header = /^\[(.+)\]/.exec(value);
  if (header) {
    cursor.section = openSection(doc, defaults, header[1], line);
    cursor.option = undefined;
    return;
  }
  if (!cursor.section) {
    doc.problems.push({
      line,
      expected: 'a [section] header before the first key',
      hint: `add the section header (e.g. [fn_aws_guardduty]) above line ${line}`,
    });
    return;
  }
  cursor.option = readOption(doc, cursor.section, value, line, pending);
}

function openSection(doc: IniDocument, defaults: IniSection, name: string, line: number): IniSection {
  if (name === DEFAULT_SECTION) return defaults;
  const existing = doc.sections.get(name);
  if (existing) {
    doc.problems.push({
      line,
      key: name,
      expected: 'each [section] once',
      hint: `[${name}] already starts on line ${existing.line}; merge the two sections`,
    });
    return existing;
  }
  const section: IniSection = { name, line, entries: new Map() };
  doc.sections.set(name, section);
  return section;
}

function readOption(
  doc: IniDocument,
  section: IniSection,
  value: string,
  line: number,
  pending: Map<IniEntry, string[]>,
): Cursor['option'] {
  // The first "=" or ":" separates the name from the value (configparser's OPTCRE).
  const match = /^(.*?)\s*[=:]\s*(.*)$/.exec(value);
  const name = match?.[1]?.trimEnd().toLowerCase();
  if (!match || !name) {
    // The line itself is not echoed: a stray line may well be half of a password.
    doc.problems.push({
      line,
      expected: 'a "key = value" line',
      hint: `line ${line} of [${section.name}] is neither a key, a comment (# or ;) nor a section header`,
    });
    return undefined;
  }
  const existing = section.entries.get(name);
  if (existing) {
    doc.problems.push({
      line,
      key: `${section.name}.${name}`,
      expected: 'each key once per section',
      hint: `${name} is also set on line ${existing.line}; keep one of the two lines`,
    });
  }
  const entry: IniEntry = { value: match[2], line };
  const parts = [match[2]];
  section.entries.set(name, entry);
  pending.set(entry, parts);
  return { parts };
}

/** Where a file stops being UTF-8: the byte offset (0-based) of the bad sequence and its 1-based line. */
export interface Utf8Fault {
  offset: number;
  line: number;
  byte: number;
}

/**
 * The first byte that makes `bytes` invalid UTF-8 (Python's `'utf-8' codec can't decode byte …`),
 * or undefined when the file is valid. Lines are counted as `parseIni` counts them (LF, CRLF or CR).
 */
export function findInvalidUtf8(bytes: Uint8Array): Utf8Fault | undefined {
  let line = 1;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] ?? 0;
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) line += 1;
    const length = sequenceLength(bytes, i);
    if (length === 0) return { offset: i, line, byte: b };
    i += length;
  }
  return undefined;
}

/** Length of the well-formed UTF-8 sequence at `i` (RFC 3629: no overlongs, surrogates or > U+10FFFF), 0 if none. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i] ?? 0;
  if (b < 0x80) return 1;
  // The allowed range of the second byte depends on the first; later ones are 80-BF.
  const [length, low, high] =
    b >= 0xc2 && b <= 0xdf ? [2, 0x80, 0xbf]
      : b === 0xe0 ? [3, 0xa0, 0xbf]
        : b === 0xed ? [3, 0x80, 0x9f]
          : b >= 0xe1 && b <= 0xef ? [3, 0x80, 0xbf]
            : b === 0xf0 ? [4, 0x90, 0xbf]
              : b === 0xf4 ? [4, 0x80, 0x8f]
                : b >= 0xf1 && b <= 0xf3 ? [4, 0x80, 0xbf]
                  : [0, 0, 0];
  if (length === 0) return 0;
  const second = bytes[i + 1] ?? -1;
  if (second < low || second > high) return 0;
  for (let k = 2; k < length; k++) {
    const next = bytes[i + k] ?? -1;
    if (next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}
