import type { AppConfig } from '../config/app-config.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { CycleDeps } from '../poller/run-cycle.js';
import { describeGap, findSchemaGaps, gapIsEmpty } from '../setup/schema-plan.js';
import { recoverOnStart } from '../sync/recovery.js';
import { retryPendingIfSettingsChanged } from '../sync/settings-change.js';
import { verifyDatabaseAtStart } from '../sync/verify-links.js';
import { buildApp, buildLogger, readAppConfig, type App, type Io } from './app.js';
import { prepareCycleDeps } from './cycle-deps.js';
import { EXIT_FAILURE, EXIT_USAGE } from './exit-codes.js';
import { logStartup } from './startup-log.js';
import { describeStorageError, isStorageError } from './storage-error.js';

/**
 * Loads the configuration and builds the app; a bad configuration prints every problem and gives
 * exit code 2. `quiet` commands (setup, check, status) print their own report on stdout, so their log
 * goes to stderr and only warnings and errors are shown.
 */
export function startApp(io: Io, configPath: string | undefined, command: string, options: { quiet?: boolean } = {}): App | number {
  let app: App;
  let config: AppConfig | undefined;
  try {
    config = readAppConfig(io, configPath);
    const logger = options.quiet ? buildLogger({ ...config, logLevel: 'warn' }, { ...io, stdout: io.stderr }) : undefined;
    app = buildApp(config, io, logger ? { logger } : {});
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}\n`);
      return EXIT_USAGE;
    }
    if (config && isStorageError(err)) {
      io.stderr.write(`${describeStorageError(config.dbPath, err)}\n`);
      return EXIT_FAILURE;
    }
    throw err;
  }
  logStartup(app, command);
  return app;
}

/** Takes the database's daemon lock or explains who holds it. */
export function acquireLock(app: App, io: Io): boolean {
  const result = app.store.lock.acquire(app.lockOwner, LOCK_STALE_MS);
  if (result.acquired) return true;
  const h = result.holder;
  const message =
    `Another guardduty-soar (pid ${h.pid} on ${h.host}, started ${new Date(h.startedAt).toISOString()}) is using ` +
    `${app.config.dbPath}; two daemons on one database would escalate findings twice. Stop it first, or point ` +
    'aws_gd_db_path at another file. A stale lock is taken over automatically after 90 seconds without a heartbeat.';
  app.logger.error('Database is in use by another daemon', { pid: h.pid, host: h.host, db: app.config.dbPath });
  io.stderr.write(`${message}\n`);
  return false;
}

export const LOCK_STALE_MS = 90_000;
export const LOCK_HEARTBEAT_MS = 30_000;

/**
 * Connects to SOAR, checks that `setup` has been run, resolves the AWS identities, checks that the
 * state database belongs to this org (ForeignDatabaseError otherwise) and finishes anything a crash
 * left half-done. Network: the SOAR session, three schema reads, one STS call per credential set, one
 * query for a sample of linked incidents, and whatever recovery needs. `stopping` (the daemon was
 * asked to stop) ends the recovery at its next safe point.
 */
export async function prepare(app: App, stopping?: AbortSignal): Promise<CycleDeps> {
  const org = await app.soarClient.session.connect();
  const schema = await app.soarSchema.readSchema();
  const gap = findSchemaGaps(schema);
  if (!gapIsEmpty(gap)) throw new Error(setupNeededMessage(org.name, describeGap(gap)));
  const deps = await prepareCycleDeps(app, schema);
  await verifyDatabaseAtStart(deps, { dbPath: app.config.dbPath, org, soarUrl: app.config.soar.baseUrl });
  retryPendingIfSettingsChanged(app.store, app.config, app.templates.digest, app.logger);
  await recoverOnStart({ ...deps, stopping }, [...deps.sources.keys()]);
  return deps;
}

/**
 * Without the custom fields, tables and artifact types every create would fail one finding at a
 * time with SOAR's own 400; one message that says what is missing and what to run is better.
 */
function setupNeededMessage(orgName: string, missing: string[]): string {
  const shown = missing.slice(0, 6).join(', ');
  const more = missing.length > 6 ? ` and ${missing.length - 6} more` : '';
  return (
    `SOAR org "${orgName}" lacks what guardduty-soar needs: ${shown}${more}. Run "guardduty-soar setup" with the same ` +
    'app.config (it creates only what is missing; "setup --dry-run" lists it). A running daemon checks again at every cycle.'
  );
}

export function reportFatal(app: App, io: Io, what: string, err: unknown): void {
  app.logger.error(what, { error: err });
  io.stderr.write(`${what}: ${errorMessage(err)}\n`);
}
