import type { ParseContext, Parser } from './parsers.js';

/**
 * One key of `app.config`: how it is parsed and documented. The tables built from these drive
 * validation, defaults, redaction, unknown-key suggestions and `app.config.example`.
 */
export interface KeySpec<T> {
  /** One line for app.config.example. */
  doc: string;
  /** A realistic value, shown in app.config.example. */
  example: string;
  /** Used (through `parse`) when the key is absent or empty; also shown as the default. */
  default?: string;
  /** A default that depends on the context (paths, host name); `defaultDoc` describes it. */
  computedDefault?: (ctx: ParseContext) => string;
  /** How the default is described when it is not a plain value. */
  defaultDoc?: string;
  required?: boolean;
  /** Blanked in logs, problem reports and the redacted configuration. */
  secret?: boolean;
  /** How a value is shown in logs when only part of it is secret (proxy URLs). */
  mask?: (raw: string) => string;
  /** The secret parts of a value that is not wholly secret (a proxy URL's user:password). */
  secretParts?: (value: string) => string[];
  /** Written uncommented with this value in app.config.example (the local emulators' settings). */
  sample?: string;
  /** Starts a titled group of keys in app.config.example. */
  group?: string;
  /**
   * For a key that narrows which findings are escalated: what is escalated while it is not set (e.g.
   * "findings of every severity"). A misspelling of such a key leaves it unset, so the daemon would
   * escalate more than the operator wrote: that is a configuration problem, not a warning.
   */
  unsetEscalates?: string;
  parse: Parser<T>;
}

export type KeyTable = Record<string, KeySpec<unknown>>;

/** The parsed type of a key. */
export type ValueOf<S> = S extends KeySpec<infer T> ? T : never;

/** Identity, for type inference of each table entry. */
export function key<T>(spec: KeySpec<T>): KeySpec<T> {
  return spec;
}

/** The default as app.config.example and the redacted configuration show it. */
export function describeDefault(spec: KeySpec<unknown>): string | undefined {
  return spec.defaultDoc ?? spec.default;
}
