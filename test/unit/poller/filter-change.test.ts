import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { PollingConfig } from '../../../src/config/app-config.js';
import { createLogger } from '../../../src/logging/logger.js';
import { listingStart } from '../../../src/poller/criteria.js';
import { describeSkips, filteredOut } from '../../../src/sync/skip-reasons.js';
import { noteQualifyingSettings, owedRescan, rescanDone } from '../../../src/poller/filter-change.js';
import type { Finding } from '../../../src/findings/finding.js';
import { Store } from '../../../src/store/store.js';
import { pollingConfig } from '../../helpers/sync-world.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const east = { account: '111122223333', region: 'us-east-1', detectorId: 'd1' };
const west = { account: '111122223333', region: 'us-west-2', detectorId: 'd2' };
const REGIONS = /^us-/i;

const polling = pollingConfig;

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function world(): { store: Store; lines: Record<string, unknown>[]; note: (p: PollingConfig, now: number, regions?: RegExp) => void } {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gds-filter-'));
  const store = Store.open(path.join(dir, 'state.db'), () => 0);
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _e, done) => { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
  const logger = createLogger({ format: 'json', stream });
  return { store, lines, note: (p, now, regions = REGIONS) => noteQualifyingSettings(store, p, regions, now, logger) };
}

describe('a changed filter owes each polled region one re-read', () => {
  it('first start: nothing to compare with, nothing owed; unchanged settings owe nothing either', () => {
    const { store, lines, note } = world();
    store.cursors.advance(east, 10 * HOUR);
    note(polling(), 10 * HOUR);
    note(polling(), 11 * HOUR);
    expect(owedRescan(store, east)).toBeUndefined();
    expect(lines).toEqual([]);
    store.close();
  });

  it('owes the re-read from the older of the lookback and when the previous settings took effect, to regions with a cursor', () => {
    const { store, lines, note } = world();
    note(polling({ lookbackMinutes: 60 }), 10 * HOUR);
    store.cursors.advance(east, 30 * HOUR);
    // Settings in force since 10 h, lookback 1 h: at 30 h the older bound is 10 h.
    note(polling({ lookbackMinutes: 60, includeSampleFindings: true }), 30 * HOUR);
    expect(owedRescan(store, east)).toEqual({ fromMs: 10 * HOUR });
    // A region without a cursor lists from the lookback anyway.
    expect(owedRescan(store, west)).toBeUndefined();
    expect(lines[0]).toMatchObject({
      changed: { aws_gd_include_sample_findings: { from: 'false', to: 'true' } },
      rereadFrom: new Date(10 * HOUR).toISOString(), regions: 1,
    });
    // Changed back before the region re-read: the re-read still owed keeps its older start.
    note(polling({ lookbackMinutes: 60 }), 30 * HOUR + 5 * MIN);
    expect(owedRescan(store, east)).toEqual({ fromMs: 10 * HOUR });
    rescanDone(store, east);
    // In force since 30 h 05: at 40 h that is older than the lookback's 39 h.
    note(polling({ lookbackMinutes: 60, severityThreshold: 4 }), 40 * HOUR);
    expect(owedRescan(store, east)).toEqual({ fromMs: 30 * HOUR + 5 * MIN });
    rescanDone(store, east);
    // In force for 10 minutes only: the lookback (1 h before the change) is older.
    note(polling({ lookbackMinutes: 60 }), 40 * HOUR + 10 * MIN);
    expect(owedRescan(store, east)).toEqual({ fromMs: 39 * HOUR + 10 * MIN });
    store.close();
  });

  it('a second change before a region re-read keeps the older start; done regions owe nothing; no lookback means everything', () => {
    const { store, note } = world();
    note(polling({ lookbackMinutes: 60 }), 10 * HOUR);
    store.cursors.advance(east, 20 * HOUR);
    store.cursors.advance(west, 20 * HOUR);
    note(polling({ lookbackMinutes: 60, findingTypesExclude: /Recon/ }), 20 * HOUR);
    rescanDone(store, west);
    note(polling({ lookbackMinutes: 60 }), 20 * HOUR + MIN, /^us-east/i);
    expect(owedRescan(store, east)).toEqual({ fromMs: 10 * HOUR });
    expect(owedRescan(store, west)).toEqual({ fromMs: 10 * HOUR });
    rescanDone(store, east);
    rescanDone(store, west);
    expect(owedRescan(store, east)).toBeUndefined();
    note(polling({ accountsExclude: ['999999999999'] }), 30 * HOUR);
    expect(owedRescan(store, east)).toEqual({ fromMs: undefined });
    store.close();
  });

  it('every qualifying setting counts: threshold, samples, types, accounts, criteria, regions', () => {
    const { store, lines, note } = world();
    const base = polling();
    note(base, HOUR);
    store.cursors.advance(east, HOUR);
    const variants: [string, PollingConfig, RegExp][] = [
      ['aws_gd_severity_threshold', { ...base, severityThreshold: 7 }, REGIONS],
      ['aws_gd_include_sample_findings', { ...base, includeSampleFindings: true }, REGIONS],
      ['aws_gd_finding_types_include', { ...base, findingTypesInclude: /EC2/ }, REGIONS],
      ['aws_gd_finding_types_exclude', { ...base, findingTypesExclude: /IAM/ }, REGIONS],
      ['aws_gd_accounts_include', { ...base, accountsInclude: ['111122223333'] }, REGIONS],
      ['aws_gd_accounts_exclude', { ...base, accountsExclude: ['111122223333'] }, REGIONS],
      ['aws_gd_finding_criteria', { ...base, extraCriteria: { 'resource.resourceType': { Equals: ['Instance'] } } }, REGIONS],
      ['aws_gd_regions', base, /^eu-/i],
    ];
    for (const [i, [key, p, regions]] of variants.entries()) {
      note(p, (i + 2) * HOUR, regions);
      note(base, (i + 2) * HOUR + MIN);
      expect(Object.keys(lines[2 * i]?.changed as object)).toEqual([key]);
    }
    // Settings that do not decide which findings qualify owe nothing.
    const count = lines.length;
    note({ ...base, pollingIntervalMinutes: 3, cursorOverlapMinutes: 9 }, 20 * HOUR);
    expect(lines).toHaveLength(count);
    store.close();
  });
});

describe('listing start and skip reasons', () => {
  it('an owed re-read starts at the older of its start and the usual one; none without a bound', () => {
    const p = polling({ lookbackMinutes: 60 });
    expect(listingStart(p, { cursorMs: 10 * HOUR, nowMs: 11 * HOUR })).toBe(10 * HOUR - 5 * MIN);
    expect(listingStart(p, { cursorMs: 10 * HOUR, nowMs: 11 * HOUR, rescan: { fromMs: 2 * HOUR } })).toBe(2 * HOUR);
    expect(listingStart(p, { cursorMs: 10 * HOUR, nowMs: 11 * HOUR, rescan: { fromMs: undefined } })).toBeUndefined();
    expect(listingStart(p, { cursorMs: undefined, nowMs: 11 * HOUR, rescan: { fromMs: 2 * HOUR } })).toBe(2 * HOUR);
    expect(listingStart(polling(), { cursorMs: undefined, nowMs: 11 * HOUR, rescan: { fromMs: 2 * HOUR } })).toBeUndefined();
  });

  it('names why a finding is filtered out, and describes counts with their fixes, most first', () => {
    const sample = { Type: 'Recon:EC2/PortProbeUnprotectedPort', Service: { AdditionalInfo: { Value: '{"sample":true}' } } } as unknown as Finding;
    const real = { Type: 'Recon:EC2/PortProbeUnprotectedPort' } as unknown as Finding;
    expect(filteredOut(polling(), sample)).toBe('sample');
    expect(filteredOut(polling({ includeSampleFindings: true }), sample)).toBeUndefined();
    expect(filteredOut(polling({ findingTypesInclude: /IAM/ }), real)).toBe('type-not-included');
    expect(filteredOut(polling({ findingTypesExclude: /Recon/ }), real)).toBe('type-excluded');
    expect(describeSkips({ 'type-excluded': 2, sample: 10, archived: 0 }))
      .toBe('10 sample findings (set aws_gd_include_sample_findings = true); 2 of a type aws_gd_finding_types_exclude matches (narrow it)');
  });
});
