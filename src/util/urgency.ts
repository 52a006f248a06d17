import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Marks work someone is waiting on (a SOAR function: a responder watches its playbook), so that every
 * call it makes, however deep, goes before the cycle's in a shared queue (AdaptiveLimit). Carried by
 * AsyncLocalStorage: the adapters need no parameter for it.
 */
const urgent = new AsyncLocalStorage<true>();

export function isUrgent(): boolean {
  return urgent.getStore() === true;
}

/** `fn`, run so that everything it calls counts as urgent. */
export function urgently<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args) => urgent.run(true, () => fn(...args));
}
