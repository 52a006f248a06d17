/**
 * A number that must reach SOAR as Python's `json.dumps` writes a float: `8.0`, not `8`. IBM's app
 * hands playbooks botocore's floats (GuardDuty's `Severity` is a Double, so `8` on the wire becomes
 * `8.0`) and resilient-lib's `2.0` payload version; a playbook script reads them as Python floats
 * (`str()` gives `"8.0"`, and they compare with numbers). JavaScript has one number type and
 * `JSON.stringify(8.0)` is `8`, so such values are wrapped here and written by `stringifyWithFloats`.
 *
 * The wrapper serializes to a marked string (so it also survives a JSON round trip, e.g. the stored
 * reply of an invocation), which `stringifyWithFloats` turns back into the bare number token.
 */
export class JsonFloat {
  constructor(readonly value: number) {}

  /** Python's float repr for finite numbers: an integral value keeps `.0`. */
  get text(): string {
    if (!Number.isFinite(this.value)) return 'null';
    const s = String(this.value);
    return /[.e]/.test(s) ? s : `${s}.0`;
  }

  toJSON(): string {
    return `${MARK}${this.text}${MARK}`;
  }
}

const MARK = '\u0000gds-float:';
// The marked string as JSON.stringify escapes it: "\u0000gds-float:8.0\u0000gds-float:".
const MARKED = /"\\u0000gds-float:(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|null)\\u0000gds-float:"/g;

/** A number as a float: numbers are wrapped, anything else (null, a text) is left as it is. */
export function asFloat<T>(value: T): JsonFloat | T {
  return typeof value === 'number' ? new JsonFloat(value) : value;
}

/** `JSON.stringify`, with every `JsonFloat` (or its marked string) written as a bare number token. */
export function stringifyWithFloats(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(MARKED, '$1');
}
