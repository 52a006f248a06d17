import { describe, expect, it } from 'vitest';
import { describePendingWork } from '../../../src/commands/pending-work.js';
import type { PendingOp } from '../../../src/store/pending-ops-repo.js';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

function op(kind: string, key: string, nextAttemptAt: number): PendingOp {
  return { id: 1, kind, key, payload: {}, attempts: 1, nextAttemptAt, lastError: 'boom', createdAt: NOW - 60_000 };
}

describe('what `once` says is left pending', () => {
  it('nothing: no text (exit code 0 stays possible)', () => {
    expect(describePendingWork([], NOW)).toBeUndefined();
  });

  it('counts each kind, how many the next run retries, and until when the others wait out their backoff', () => {
    const pending = describePendingWork([
      op('sync-finding', 'a/us-east-1/d/f1', NOW),
      op('sync-finding', 'a/us-east-1/d/f2', NOW + 120_000),
      op('sync-finding', 'a/us-east-1/d/f3', NOW + 3_600_000),
      op('archive', 'a/us-east-1/d/f4', NOW + 7_200_000),
    ], NOW);
    expect(pending?.total).toBe(4);
    expect(pending?.byKind['sync-finding']).toEqual({
      count: 3, dueNow: 1, waiting: 2, firstRetryAt: '2026-12-07T12:02:00.000Z', lastRetryAt: '2026-12-07T13:00:00.000Z',
    });
    expect(pending?.text).toBe(
      'Work left pending, so the exit code is 1: 3 finding(s) whose sync failed: 1 retried by the next run, 2 waiting out a backoff ' +
      '(retried from 2026-12-07T12:02:00.000Z to 2026-12-07T13:00:00.000Z); 1 finding archive(s) in GuardDuty: 1 waiting out a backoff ' +
      '(retried until 2026-12-07T14:00:00.000Z). `guardduty-soar status` lists each with its last error; `once` or `run` retries them when they are due.',
    );
  });
});
