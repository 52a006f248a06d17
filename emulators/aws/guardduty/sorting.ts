import { badRequest } from '../protocol/service-error.js';
import { comparable, fieldKind, fieldValues } from './criteria-fields.js';
import { isJsonObject, type WireFinding } from '../protocol/wire.js';

/**
 * `sortCriteria` {attributeName, orderBy}. Any filterable field can be sorted on; a field inside an
 * array sorts by its first element. The finding id breaks ties (always ascending) so pages are stable.
 * [I] Without sortCriteria the order is unspecified by AWS; the emulator sorts by id. Findings missing
 * the attribute sort as the lowest values.
 */
export function sortFindings(findings: WireFinding[], sortCriteria: unknown): WireFinding[] {
  const { attribute, descending } = parseSort(sortCriteria);
  const kind = attribute ? fieldKind(attribute) : undefined;
  const keyed = findings.map((finding) => {
    const first = attribute && kind ? fieldValues(finding, attribute)[0] : undefined;
    return { finding, key: first === undefined || !kind ? undefined : comparable(kind, first) };
  });
  keyed.sort((a, b) => {
    const order = compareKeys(a.key, b.key);
    if (order !== 0) return descending ? -order : order;
    return a.finding.id < b.finding.id ? -1 : a.finding.id > b.finding.id ? 1 : 0;
  });
  return keyed.map((k) => k.finding);
}

function parseSort(sortCriteria: unknown): { attribute: string | undefined; descending: boolean } {
  if (sortCriteria === undefined || sortCriteria === null) return { attribute: undefined, descending: false };
  if (!isJsonObject(sortCriteria)) throw badRequest('The request is rejected because sortCriteria is not an object.');
  const { attributeName, orderBy } = sortCriteria;
  if (attributeName !== undefined && (typeof attributeName !== 'string' || !fieldKind(attributeName))) {
    throw badRequest(`The request is rejected because the sort attribute ${JSON.stringify(attributeName)} is not supported.`);
  }
  if (orderBy !== undefined && orderBy !== 'ASC' && orderBy !== 'DESC') {
    throw badRequest('The request is rejected because the parameter orderBy has an invalid value.');
  }
  return { attribute: attributeName, descending: orderBy === 'DESC' };
}

function compareKeys(a: number | string | undefined, b: number | string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
