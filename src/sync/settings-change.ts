import { createHash } from 'node:crypto';
import type { AppConfig } from '../config/app-config.js';
import type { Logger } from '../logging/logger.js';
import type { Store } from '../store/store.js';

const META_KEY = 'settings_digest';

/**
 * A failed action waits out its backoff (minutes to hours for a refusal), which is right while
 * nothing changes. But an operator who fixes the cause (adds the field SOAR requires on close to the
 * close template, switches to the administrator account) and restarts expects the fix to be tried at
 * once. So at start the daemon compares a digest of its settings (the effective configuration and the
 * three templates' text) with the one of the previous start, and when it differs every pending action
 * is due now. Returns how many actions stopped waiting.
 */
export function retryPendingIfSettingsChanged(store: Store, config: AppConfig, templatesDigest: string, logger: Logger): number {
  const digest = settingsDigest(config, templatesDigest);
  const previous = store.getMeta(META_KEY);
  let released = 0;
  if (previous !== undefined && previous !== digest) {
    released = store.ops.makeAllDue();
    if (released > 0) {
      logger.info('The configuration or a template changed since the last start: pending actions are retried now instead of after their backoff', { released });
    }
  }
  if (previous !== digest) store.setMeta(META_KEY, digest);
  return released;
}

/** A one-way digest; the stored value reveals nothing of the secrets that went into it. */
export function settingsDigest(config: AppConfig, templatesDigest: string): string {
  const text = JSON.stringify(config, (_key, value: unknown) => (value instanceof RegExp ? `/${value.source}/${value.flags}` : value));
  return createHash('sha256').update(text).update('\0').update(templatesDigest).digest('hex');
}
