import { badRequest } from '../errors.js';
import type { ResolvedUser } from '../options.js';
import type { FieldDef } from '../schema/field-def.js';
import { isBlank } from '../util.js';
import { resolveSelect, resolveUser, tryNormalize } from '../values/field-values.js';
import { richTextPlain, type RichText } from '../values/rich-text.js';
import type { QueryCondition } from './query-body.js';

export const METHODS = [
  'equals', 'not_equals', 'in', 'not_in', 'contains', 'not_contains',
  'gt', 'gte', 'lt', 'lte', 'has_a_value', 'does_not_have_a_value',
] as const;

/** A queryable field: its definition and how to read its stored value from a record. */
export interface QueryField<R> {
  def: FieldDef;
  get: (record: R) => unknown;
}

export type Predicate<R> = (record: R) => boolean;

/** Stored value → something comparable: rich text as plain text, everything else unchanged. */
function comparable(def: FieldDef, value: unknown): unknown {
  if (def.inputType === 'textarea' && value !== null && value !== undefined) return richTextPlain(value as RichText);
  return value ?? null;
}

/** A condition operand in stored form (names → ids, ISO dates → ms); unresolvable operands stay as given. */
function operand(def: FieldDef, raw: unknown, users: readonly ResolvedUser[]): unknown {
  switch (def.inputType) {
    case 'select':
    case 'multiselect':
      return resolveSelect(def, raw) ?? raw;
    case 'select_owner':
    case 'multiselect_members':
      return resolveUser(users, raw) ?? raw;
    case 'textarea':
      return typeof raw === 'string' ? raw : String(raw);
    default: {
      const norm = tryNormalize(def, raw, users);
      return norm.ok ? norm.value : raw;
    }
  }
}

function list(raw: unknown): unknown[] {
  return Array.isArray(raw) ? raw : [raw];
}

/** `in` on a multiselect matches when any listed value is selected. */
function inList(current: unknown, expected: unknown[]): boolean {
  return Array.isArray(current) ? expected.some((e) => current.includes(e)) : expected.some((e) => e === current);
}

function order(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

export function compileCondition<R>(field: QueryField<R>, condition: QueryCondition, users: readonly ResolvedUser[]): Predicate<R> {
  const { def, get } = field;
  const value = (r: R): unknown => comparable(def, get(r));
  const one = (): unknown => operand(def, condition.value, users);
  const many = (): unknown[] => list(condition.value).map((v) => operand(def, v, users));
  const eq = (current: unknown, expected: unknown): boolean =>
    Array.isArray(current) ? current.includes(expected) : current === expected || (current === null && expected === undefined);
  const contains = (current: unknown, expected: unknown[]): boolean => {
    if (Array.isArray(current)) return expected.some((e) => current.includes(e));
    // [I] Text "contains" is a case-insensitive substring match.
    if (typeof current === 'string') return expected.some((e) => current.toLowerCase().includes(String(e).toLowerCase()));
    return expected.some((e) => eq(current, e));
  };
  const compare = (test: (n: number) => boolean): Predicate<R> => {
    const expected = one();
    return (r) => {
      const diff = order(value(r), expected);
      return diff !== undefined && test(diff);
    };
  };
  switch (condition.method) {
    case 'equals': { const e = one(); return (r) => eq(value(r), e); }
    case 'not_equals': { const e = one(); return (r) => !eq(value(r), e); }
    case 'in': { const e = many(); return (r) => inList(value(r), e); }
    case 'not_in': { const e = many(); return (r) => !inList(value(r), e); }
    case 'contains': { const e = many(); return (r) => contains(value(r), e); }
    case 'not_contains': { const e = many(); return (r) => !contains(value(r), e); }
    case 'gt': return compare((d) => d > 0);
    case 'gte': return compare((d) => d >= 0);
    case 'lt': return compare((d) => d < 0);
    case 'lte': return compare((d) => d <= 0);
    case 'has_a_value': return (r) => !isBlank(value(r));
    case 'does_not_have_a_value':
    case 'not_has_a_value': return (r) => isBlank(value(r));
    default:
      throw badRequest(`Bad Request: unknown query method '${condition.method}' (known: ${METHODS.join(', ')}).`);
  }
}

/** A comparator for `sorts`; blanks sort first ascending. */
export function compileSort<R>(field: QueryField<R>, direction: 'asc' | 'desc'): (a: R, b: R) => number {
  const sign = direction === 'desc' ? -1 : 1;
  return (a, b) => {
    const va = comparable(field.def, field.get(a));
    const vb = comparable(field.def, field.get(b));
    if (isBlank(va) || isBlank(vb)) return sign * (Number(!isBlank(va)) - Number(!isBlank(vb)));
    const diff = order(va, vb) ?? order(String(va), String(vb)) ?? 0;
    return sign * Math.sign(diff);
  };
}
