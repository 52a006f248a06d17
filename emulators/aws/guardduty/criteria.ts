import { badRequest } from '../protocol/service-error.js';
import { comparable, fieldKind, fieldValues, type FieldKind } from './criteria-fields.js';
import { isJsonObject, type JsonValue, type WireFinding } from '../protocol/wire.js';

/**
 * FindingCriteria evaluation. Both operator generations are accepted: the deprecated `eq neq gt gte
 * lt lte` (real clients still send them) and the current `equals notEquals greaterThan
 * greaterThanOrEqual lessThan lessThanOrEqual`. Several operators on one field must all hold; several
 * fields must all hold.
 */

export type FindingPredicate = (finding: WireFinding) => boolean;

type Test = (values: JsonValue[]) => boolean;

const EQUALITY: Record<string, 'in' | 'notIn'> = { eq: 'in', equals: 'in', neq: 'notIn', notEquals: 'notIn' };
const ORDER: Record<string, (a: number, b: number) => boolean> = {
  gt: (a, b) => a > b, greaterThan: (a, b) => a > b,
  gte: (a, b) => a >= b, greaterThanOrEqual: (a, b) => a >= b,
  lt: (a, b) => a < b, lessThan: (a, b) => a < b,
  lte: (a, b) => a <= b, lessThanOrEqual: (a, b) => a <= b,
};
/** The deprecated comparison operators are modelled as 32-bit Integer; epoch ms do not fit. [I] */
const INT32_OPERATORS = new Set(['gt', 'gte', 'lt', 'lte']);

export function compileCriteria(findingCriteria: unknown): FindingPredicate {
  if (findingCriteria === undefined || findingCriteria === null) return () => true;
  if (!isJsonObject(findingCriteria)) throw badRequest('The request is rejected because findingCriteria is not an object.');
  const criterion = findingCriteria.criterion;
  if (criterion === undefined || criterion === null) return () => true;
  if (!isJsonObject(criterion)) throw badRequest('The request is rejected because findingCriteria.criterion is not an object.');
  const checks = Object.entries(criterion).map(([field, condition]) => compileField(field, condition));
  return (finding) => checks.every((check) => check(finding));
}

function compileField(field: string, condition: JsonValue | undefined): FindingPredicate {
  const kind = fieldKind(field);
  if (!kind) throw badRequest(`The request is rejected because the criterion field ${field} is not supported.`);
  if (!isJsonObject(condition)) throw badRequest(`The request is rejected because the condition for ${field} is not an object.`);
  const tests = Object.entries(condition)
    .filter(([, operand]) => operand !== undefined && operand !== null)
    .map(([operator, operand]) => compileOperator(field, kind, operator, operand as JsonValue));
  if (tests.length === 0) throw badRequest(`The request is rejected because the condition for ${field} has no operator.`);
  return (finding) => {
    const values = fieldValues(finding, field);
    return tests.every((test) => test(values));
  };
}

function compileOperator(field: string, kind: FieldKind, operator: string, operand: JsonValue): Test {
  const equality = EQUALITY[operator];
  if (equality) return equalityTest(field, kind, operator, operand, equality === 'in');
  const order = ORDER[operator];
  if (order) return orderTest(field, kind, operator, operand, order);
  if (operator === 'matches' || operator === 'notMatches') {
    throw badRequest(`The request is rejected because the operator ${operator} is only supported by CreateFilter and UpdateFilter.`);
  }
  throw badRequest(`The request is rejected because the operator ${operator} for ${field} is not supported.`);
}

function equalityTest(field: string, kind: FieldKind, operator: string, operand: JsonValue, wantIn: boolean): Test {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length > 50 || !operand.every((v) => typeof v === 'string')) {
    throw badRequest(`The request is rejected because ${field}.${operator} must be a list of 1 to 50 strings.`);
  }
  const wanted = new Set((operand).map((v) => normalise(kind, v)));
  return (values) => {
    const hit = values.some((value) => wanted.has(comparable(kind, value) ?? NaN));
    return wantIn ? hit : !hit;
  };
}

/** An equality operand as the field's comparable: numbers and times arrive as strings. [I] */
function normalise(kind: FieldKind, value: string): number | string {
  if (kind === 'number') return Number(value);
  if (kind === 'time') return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return value;
}

function orderTest(field: string, kind: FieldKind, operator: string, operand: JsonValue, holds: (a: number, b: number) => boolean): Test {
  if (kind !== 'number' && kind !== 'time') {
    throw badRequest(`The request is rejected because the operator ${operator} cannot be applied to ${field}.`);
  }
  if (typeof operand !== 'number' || !Number.isFinite(operand)) {
    throw badRequest(`The request is rejected because ${field}.${operator} must be a number.`);
  }
  if (INT32_OPERATORS.has(operator) && (operand > 2147483647 || operand < -2147483648)) {
    throw badRequest(`The request is rejected because ${field}.${operator} is out of range for an Integer; use the Long operator instead.`);
  }
  return (values) =>
    values.some((value) => {
      const v = comparable(kind, value);
      return typeof v === 'number' && holds(v, operand);
    });
}
