import type { ListenerSnapshot } from '../health/listener-state.js';
import type { Store } from '../store/store.js';

/** Meta key under which `run` keeps the functions listener's latest state, for `status` (which reads SQLite only). */
export const LISTENER_STATE_META = 'functions_listener';

/** The listener's state as `status` shows it: what `run` wrote last. */
export interface ListenerRecord {
  status: string;
  since: number;
  reconnects: number;
  lastError?: string;
  fix?: string;
}

export function recordListenerState(store: Store, s: ListenerSnapshot): void {
  store.setMeta(LISTENER_STATE_META, JSON.stringify({ status: s.status, since: s.since, reconnects: s.reconnects, lastError: s.lastError, fix: s.refusal?.fix }));
}

/** What `run` wrote last; undefined when no daemon has run the listener on this database. */
export function readListenerRecord(store: Store): ListenerRecord | undefined {
  const raw = store.getMeta(LISTENER_STATE_META);
  return raw ? (JSON.parse(raw) as ListenerRecord) : undefined;
}
