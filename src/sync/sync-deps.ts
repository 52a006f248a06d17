import type { Clock } from '../core/clock.js';
import type { AppConfig } from '../config/app-config.js';
import type { Metrics } from '../health/metrics.js';
import type { Templates } from '../incidents/templates.js';
import type { Logger } from '../logging/logger.js';
import type { CaseSystem } from '../soar/case-system.js';
import type { Store } from '../store/store.js';
import type { KeyedLock } from '../util/keyed-lock.js';

/** Everything the sync paths need, built once by the composition root and handed down. */
export interface SyncDeps {
  /** SOAR, every request taking a slot of the org's adaptive concurrency (at most `aws_gd_soar_concurrency`). */
  soar: CaseSystem;
  store: Store;
  templates: Templates;
  config: Pick<AppConfig, 'severityMap' | 'sync' | 'polling'>;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Incident fields the org requires when an incident is closed (cached by the composition root). */
  requiredOnClose: () => Promise<{ name: string; label: string; custom: boolean }[]>;
  /**
   * Per-finding locks (key: `findingKeyString`), shared by the cycle and the SOAR functions: one
   * finding's incident is written by one of them at a time.
   */
  locks: KeyedLock;
  /**
   * Aborted when the daemon is asked to stop: loops over independent pieces of work (pending
   * operations, links to resolve, batches) take no new piece; the one in hand is finished.
   */
  stopping?: AbortSignal | undefined;
}
