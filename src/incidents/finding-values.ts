/**
 * Defensive readers for finding members. The `Finding` type says what GuardDuty should send, but
 * every mapper must survive what it actually sends (a member missing, null, or of another type):
 * IBM's app crashed its polling thread on such input; these readers never throw.
 */

export type Obj = Record<string, unknown>;

export function asRecord(value: unknown): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

/** The object members of a list; anything that is not a list gives no entries. */
export function asRecords(value: unknown): Obj[] {
  return Array.isArray(value) ? value.filter((v): v is Obj => asRecord(v) !== undefined) : [];
}

/** The elements of a list, keeping their index (so descriptions can name `[i]`). */
export function indexed(value: unknown): [number, unknown][] {
  return Array.isArray(value) ? value.map((v, i): [number, unknown] => [i, v]) : [];
}

/** A scalar as SOAR text: booleans "True"/"False" (IBM's convention), numbers `String(n)`. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Like `scalarText`, but blank text counts as absent. */
export function nonBlank(value: unknown): string | undefined {
  const text = scalarText(value);
  return text !== undefined && text.trim() !== '' ? text : undefined;
}

/** The first argument that is non-blank text (or a number/boolean), as text. */
export function firstText(...values: unknown[]): string | undefined {
  for (const value of values) {
    const text = nonBlank(value);
    if (text !== undefined) return text;
  }
  return undefined;
}
