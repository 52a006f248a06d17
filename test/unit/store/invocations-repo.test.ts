import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src/store/store.js';

let dir: string | undefined;
let now = 1_000_000;
const DAY = 24 * 3_600_000;

function open(): { store: Store; file: string } {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'gds-invocations-'));
  const file = path.join(dir, 'state.db');
  return { store: Store.open(file, () => now), file };
}

afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const start = (messageId: string, functionName = 'func_aws_guardduty_refresh_finding') => ({ messageId, functionName, inputsDigest: 'd', correlationId: 'invid:1' });
const reply = { message_type: 0, message: 'Completed', complete: true, results: { success: true, content: { n: 1 } } };

describe('function invocations in SQLite', () => {
  it('a finished invocation is answered from the record after a restart, never run again', () => {
    const first = open();
    expect(first.store.invocations.claim(start('ID:1'))).toEqual({ kind: 'run', previousRuns: 0 });
    first.store.invocations.finish('ID:1', 'success', reply);
    first.store.close();
    const again = open();
    expect(again.store.invocations.claim(start('ID:1'))).toEqual({ kind: 'finished', outcome: 'success', reply });
    expect(again.store.invocations.runs('ID:1')).toBe(1);
    again.store.close();
  });

  it('one that was running when the process died is run again, and the runs are counted', () => {
    const first = open();
    first.store.invocations.claim(start('ID:2'));
    first.store.close(); // the crash: no finish
    const again = open();
    expect(again.store.invocations.claim(start('ID:2'))).toEqual({ kind: 'run', previousRuns: 1 });
    expect(again.store.invocations.runs('ID:2')).toBe(2);
    expect(again.store.invocations.summary().byOutcome.unfinished).toBe(1);
    again.store.close();
  });

  it('keeps the records bounded: older than the retention, or beyond the row cap, finished rows go; unfinished ones stay', () => {
    const { store } = open();
    for (let i = 0; i < 6; i++) {
      now += DAY;
      store.invocations.claim(start(`ID:${i}`));
      store.invocations.finish(`ID:${i}`, i % 2 ? 'error' : 'success', reply);
    }
    store.invocations.claim(start('ID:running'));
    // Finished 5, 4, 3, 2, 1 and 0 days ago: two are older than 3.5 days, then two more are over a cap of 2.
    expect(store.invocations.prune(3.5 * DAY, 100)).toBe(2);
    expect(store.invocations.prune(10 * DAY, 2)).toBe(2);
    const summary = store.invocations.summary();
    expect(summary.byOutcome).toEqual({ success: 1, failure: 0, error: 1, unfinished: 1 });
    expect(summary.last).toMatchObject({ functionName: 'func_aws_guardduty_refresh_finding', outcome: 'unfinished' });
    store.close();
  });
});
