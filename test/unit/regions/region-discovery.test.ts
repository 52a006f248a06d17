import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/logging/logger.js';
import type { FindingsSource, RegionInfo } from '../../../src/regions/findings-source.js';
import { NoRegionMatchError, RegionDiscovery } from '../../../src/regions/region-discovery.js';
import { Store } from '../../../src/store/store.js';

/** aws_gd_regions matching no enabled region fails every cycle with the regions that exist and the fix, until that changes. */

const HOUR = 3_600_000;

function world(enabled: string[]): { discovery: RegionDiscovery; enabled: string[]; describeCalls: () => number; advance: (ms: number) => void } {
  let now = Date.parse('2026-03-01T12:00:00Z');
  let calls = 0;
  const source = {
    listRegions: (): Promise<RegionInfo[]> => {
      calls += 1;
      return Promise.resolve(enabled.map((name) => ({ name }) as RegionInfo));
    },
    listDetectors: (region: string): Promise<string[]> => Promise.resolve([`det-${region}`]),
  } as unknown as FindingsSource;
  const clock: Clock = { now: () => now, sleep: () => Promise.resolve() };
  const discovery = new RegionDiscovery({
    source, account: '123456789012', regions: /^eu-central-2$/i, masterRegion: 'us-east-1', intervalMs: HOUR,
    store: Store.open(':memory:', () => now), clock, logger: silentLogger(),
  });
  return { discovery, enabled, describeCalls: () => calls, advance: (ms) => (now += ms) };
}

describe('region discovery when aws_gd_regions matches no enabled region', () => {
  it('fails every call, not only the one that rediscovered, naming the regex, the enabled regions and the fix', async () => {
    const w = world(['us-east-1', 'eu-west-1']);
    for (let cycle = 0; cycle < 3; cycle++) {
      const err = await w.discovery.current().then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(NoRegionMatchError);
      expect((err as Error).message).toBe(
        'aws_gd_regions /^eu-central-2$/ matches none of the 2 regions enabled for these credentials (account 123456789012, DescribeRegions in us-east-1): eu-west-1, us-east-1; nothing was polled.',
      );
      expect((err as NoRegionMatchError).fix).toMatch(/^Widen aws_gd_regions .*or enable the opt-in regions you want\.$/);
    }
    // DescribeRegions is still called once per rediscovery interval, not per cycle.
    expect(w.describeCalls()).toBe(1);
    expect(w.discovery.unmatched).toBeInstanceOf(NoRegionMatchError);
  });

  it('recovers at the next rediscovery once a region matches (an opt-in region enabled)', async () => {
    const w = world(['us-east-1']);
    await expect(w.discovery.current()).rejects.toBeInstanceOf(NoRegionMatchError);
    w.enabled.push('eu-central-2');
    w.advance(HOUR);
    expect((await w.discovery.current()).map((t) => t.region)).toEqual(['eu-central-2']);
    expect(w.discovery.unmatched).toBeUndefined();
  });
});
