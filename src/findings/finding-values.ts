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

/** The non-blank scalars of a list as one cell ("a, b"); undefined when there are none. */
export function textList(value: unknown): string | undefined {
  return Array.isArray(value) ? joinTexts(', ', ...(value as unknown[])) : undefined;
}

/** The non-blank values joined by `separator` (`pods` + `exec` → `pods/exec`); undefined when none is. */
export function joinTexts(separator: string, ...values: unknown[]): string | undefined {
  const texts = values.map(nonBlank).filter((t): t is string => t !== undefined);
  return texts.length > 0 ? texts.join(separator) : undefined;
}

/** The last segment of a Unix or Windows path; undefined when there is no separator to split on. */
export function baseName(path: unknown): string | undefined {
  const text = nonBlank(path);
  if (text === undefined || !/[/\\]/.test(text)) return undefined;
  return nonBlank(text.split(/[/\\]/).pop());
}

/** A process named by a runtime finding: what it is to the finding, where it sits, and its members. */
export interface RuntimeProcess {
  role: 'Process' | 'Modifying process' | 'Target process';
  path: string;
  process: Obj;
}

/**
 * The processes of `Service.RuntimeDetails`: the one Runtime Monitoring saw, then those its context
 * names as modifying or targeted by it (process injection, ptrace, file changes).
 */
export function runtimeProcesses(service: unknown): RuntimeProcess[] {
  const runtime = asRecord(asRecord(service)?.RuntimeDetails);
  const context = asRecord(runtime?.Context);
  const base = 'Service.RuntimeDetails';
  const found: (RuntimeProcess | undefined)[] = [
    wrap('Process', `${base}.Process`, runtime?.Process),
    wrap('Modifying process', `${base}.Context.ModifyingProcess`, context?.ModifyingProcess),
    wrap('Target process', `${base}.Context.TargetProcess`, context?.TargetProcess),
  ];
  return found.filter((p): p is RuntimeProcess => p !== undefined);
}

function wrap(role: RuntimeProcess['role'], path: string, value: unknown): RuntimeProcess | undefined {
  const process = asRecord(value);
  return process ? { role, path, process } : undefined;
}
