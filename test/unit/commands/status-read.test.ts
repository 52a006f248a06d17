import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_STALE_MS } from '../../../src/app/start.js';
import { formatStatus } from '../../../src/commands/status-format.js';
import { readStatus } from '../../../src/commands/status-read.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { createSoarLimit } from '../../../src/soar/soar-limit.js';
import { Store } from '../../../src/store/store.js';

/** readStatus on a real SQLite file: what each region's row says, the same in the table and in --json. */

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function store(now: () => number): Store {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gds-status-'));
  dirs.push(dir);
  return Store.open(path.join(dir, 'state.db'), now);
}

describe('readStatus', () => {
  it('lag is the age of the last successful poll; the cursor age is the newest finding', () => {
    let now = Date.UTC(2026, 2, 1, 12, 0, 0);
    const s = store(() => now);
    const key = { account: '123456789012', region: 'us-east-1', detectorId: 'd1' };
    s.detectors.replace(key.account, [{ region: key.region, detectorId: key.detectorId, status: 'active', reason: undefined, discoveredAt: now }]);
    s.cursors.advance(key, now - 6 * 3600_000);
    now += 3600_000;
    s.cursors.recordSuccess(key);
    now += 45_000;
    const [row] = readStatus(s, now).regions;
    expect(row).toMatchObject({ lagSeconds: 45, newestFindingAgeSeconds: 7 * 3600 + 45, lastError: null });
    s.close();
  });

  it('a lock holder is stale once its heartbeat is older than the takeover limit', () => {
    let now = Date.UTC(2026, 2, 1, 12, 0, 0);
    const s = store(() => now);
    expect(s.lock.acquire({ owner: 'o1', pid: 42, host: 'h1' }, LOCK_STALE_MS).acquired).toBe(true);
    now += 30_000;
    expect(readStatus(s, now).daemon).toMatchObject({ pid: 42, stale: false, heartbeatSecondsAgo: 30 });
    expect(readStatus(s, now + LOCK_STALE_MS).daemon).toMatchObject({ pid: 42, stale: true });
    s.close();
  });

  it("a failed detector discovery is the region's last error in both forms; a missing detector is none", () => {
    const now = Date.UTC(2026, 2, 1, 12, 0, 0);
    const s = store(() => now);
    s.detectors.replace('123456789012', [
      { region: 'ap-east-1', detectorId: undefined, status: 'failed', reason: 'GuardDuty ListDetectors in ap-east-1 failed: UnrecognizedClientException', discoveredAt: now },
      { region: 'us-west-1', detectorId: undefined, status: 'no-detector', reason: 'GuardDuty has no detector in this region', discoveredAt: now },
    ]);
    const report = readStatus(s, now);
    const [failed, missing] = report.regions;
    expect(failed).toMatchObject({ status: 'failed', lastError: expect.stringContaining('UnrecognizedClientException'), lastErrorAt: '2026-03-01T12:00:00.000Z' });
    expect(missing).toMatchObject({ status: 'no-detector', lastError: null, lastErrorAt: null });
    const text = formatStatus(report);
    expect(text).toMatch(/Last errors:\n {2}123456789012 ap-east-1 at 2026-03-01T12:00:00.000Z: GuardDuty ListDetectors/);
    expect(text).not.toMatch(/Last errors:[^]*us-west-1/);
    s.close();
  });

  it('reads the SOAR concurrency the daemon wrote at its last change: null before any', async () => {
    const now = Date.UTC(2026, 2, 1, 12, 0, 0);
    const s = store(() => now);
    expect(readStatus(s, now).soarConcurrency).toBeNull();
    const clock = { now: () => now, sleep: () => Promise.resolve() };
    const soarLimit = createSoarLimit({ min: 2, max: 16 }, { clock, logger: silentLogger() });
    soarLimit.recordIn(s);
    const permits = await Promise.all([soarLimit.limit.acquire(), soarLimit.limit.acquire(), soarLimit.limit.acquire(), soarLimit.limit.acquire()]);
    permits[3]?.release({ kind: 'throttled', retryAfterMs: 1_000 });
    expect(readStatus(s, now).soarConcurrency).toEqual({
      limit: 2, floor: 2, ceiling: 16, at: '2026-03-01T12:00:00.000Z', since: '2026-03-01T12:00:00.000Z', lowest: 2, highest: 4,
      raises: 0, cuts: 1, throttled: 1, lastCut: { at: '2026-03-01T12:00:00.000Z', from: 4, to: 2, reason: 'throttled', retryAfterSeconds: 1 }, latency: null,
    });
    expect(formatStatus(readStatus(s, now))).toContain('SOAR concurrency: 2 requests at once (adapts from 2 to 16)');
    s.close();
  });
});
