import { describe, expect, it } from 'vitest';
import { KeyedLock } from '../../../src/util/keyed-lock.js';

/** A task that records when it starts and ends, and finishes when told. */
function gate(log: string[], name: string): { task: () => Promise<string>; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    task: async () => {
      log.push(`${name} start`);
      await opened;
      log.push(`${name} end`);
      return name;
    },
    open: () => open(),
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('KeyedLock', () => {
  it('runs work on one key one at a time, in the order it asked, and work on other keys at once', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const [a1, a2, b] = [gate(log, 'a1'), gate(log, 'a2'), gate(log, 'b')];
    const results = [lock.run('a', a1.task), lock.run('a', a2.task), lock.run('b', b.task)];
    await settle();
    expect(log).toEqual(['a1 start', 'b start']);
    a2.open();
    b.open();
    await settle();
    expect(log).toEqual(['a1 start', 'b start', 'b end']);
    a1.open();
    expect(await Promise.all(results)).toEqual(['a1', 'a2', 'b']);
    expect(log).toEqual(['a1 start', 'b start', 'b end', 'a1 end', 'a2 start', 'a2 end']);
    expect(lock.size).toBe(0);
  });

  it('a failing holder releases the key: the next one runs and the error reaches only its own caller', async () => {
    const lock = new KeyedLock();
    const failed = lock.run('k', () => Promise.reject(new Error('boom')));
    const next = lock.run('k', () => Promise.resolve('ran'));
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('ran');
    expect(lock.size).toBe(0);
  });
});
