import type { Caller } from '../accounts/accounts.js';
import { EC2_XMLNS, el, indexedList, text, xmlDocument } from '../protocol/query-protocol.js';
import { REGION_CATALOG, isKnownRegion } from '../accounts/regions-catalog.js';
import { AwsServiceError } from '../protocol/service-error.js';
import type { EmulatorState } from '../state/state.js';

/** EC2 DescribeRegions (the only EC2 call the daemon makes). */

interface RegionRow {
  name: string;
  optInStatus: 'opt-in-not-required' | 'opted-in' | 'not-opted-in';
}

const FILTERS = new Set(['region-name', 'opt-in-status', 'endpoint']);

export function handleEc2(action: string, params: URLSearchParams, caller: Caller, state: EmulatorState, requestId: string): string {
  if (action !== 'DescribeRegions') {
    throw new AwsServiceError(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
  }
  if (params.get('DryRun') === 'true') {
    throw new AwsServiceError(412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
  }
  const rows = describeRegions(params, caller, state);
  const items = rows.map((r) =>
    el('item', text('regionName', r.name), text('regionEndpoint', `ec2.${r.name}.amazonaws.com`), text('optInStatus', r.optInStatus)),
  );
  return xmlDocument('DescribeRegionsResponse', EC2_XMLNS, text('requestId', requestId), el('regionInfo', ...items));
}

function describeRegions(params: URLSearchParams, caller: Caller, state: EmulatorState): RegionRow[] {
  const all = REGION_CATALOG.map((r): RegionRow => ({
    name: r.name,
    optInStatus: !r.optIn ? 'opt-in-not-required' : state.accounts.isRegionEnabled(caller.account, r.name) ? 'opted-in' : 'not-opted-in',
  }));
  const names = indexedList(params, 'RegionName');
  const unknown = names.filter((n) => !isKnownRegion(n));
  if (unknown.length > 0) throw new AwsServiceError(400, 'InvalidParameterValue', `Invalid region names: ${unknown.join(', ')}`);
  // Only enabled regions unless AllRegions=true; naming a region explicitly also shows it. [I]
  let rows = params.get('AllRegions') === 'true' || names.length > 0 ? all : all.filter((r) => r.optInStatus !== 'not-opted-in');
  if (names.length > 0) rows = rows.filter((r) => names.includes(r.name));
  for (const [name, values] of filters(params)) rows = rows.filter((r) => values.includes(filterValue(r, name)));
  return rows;
}

function filters(params: URLSearchParams): [string, string[]][] {
  const out: [string, string[]][] = [];
  for (let i = 1; ; i++) {
    const name = params.get(`Filter.${i}.Name`);
    if (name === null) return out;
    if (!FILTERS.has(name)) throw new AwsServiceError(400, 'InvalidParameterValue', `The filter '${name}' is invalid`);
    out.push([name, indexedList(params, `Filter.${i}.Value`)]);
  }
}

function filterValue(row: RegionRow, filter: string): string {
  if (filter === 'region-name') return row.name;
  if (filter === 'opt-in-status') return row.optInStatus;
  return `ec2.${row.name}.amazonaws.com`;
}
