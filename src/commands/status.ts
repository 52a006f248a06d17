import fs from 'node:fs';
import type { Io } from '../app/app.js';
import { describeStorageError, isStorageError } from '../app/storage-error.js';
import { loadDbPath, locateConfigFile } from '../config/load-config.js';
import { ConfigError } from '../core/errors.js';
import { Store } from '../store/store.js';
import { formatStatus } from './status-format.js';
import { readStatus } from './status-read.js';

/** `guardduty-soar status [--json]`: the state table from SQLite, without touching AWS or SOAR. */
export function statusCommand(io: Io, options: { config?: string | undefined; json?: boolean }): number {
  let dbPath: string;
  try {
    const path = locateConfigFile({ cliPath: options.config, env: io.env, cwd: io.cwd });
    dbPath = loadDbPath({ path, env: io.env, cwd: io.cwd, secretsDir: io.env.GUARDDUTY_SOAR_SECRETS_DIR ?? '/etc/secrets' });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`${err.message}\n`);
    return 2;
  }
  if (!fs.existsSync(dbPath)) {
    io.stderr.write(`No state yet: ${dbPath} does not exist (the daemon creates it on its first cycle).\n`);
    return 1;
  }
  let store: Store;
  try {
    store = Store.open(dbPath, () => Date.now(), { readonly: true });
  } catch (err) {
    if (!isStorageError(err)) throw err;
    io.stderr.write(`${describeStorageError(dbPath, err)}\n`);
    return 1;
  }
  try {
    const report = readStatus(store, Date.now());
    io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatStatus(report)}\n`);
    return 0;
  } finally {
    store.close();
  }
}
