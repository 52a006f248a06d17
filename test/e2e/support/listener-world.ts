import { Writable } from 'node:stream';
import { systemClock, type Clock } from '../../../src/core/clock.js';
import type { FunctionHandler } from '../../../src/functions/function-types.js';
import { createFunctionsListener, type FunctionsListener, type ListenerDeps } from '../../../src/functions/listener/listener.js';
import { createLogger } from '../../../src/logging/logger.js';
import { buildApp, readAppConfig, type App } from '../../../src/app/app.js';
import { packageMeta } from '../../../src/core/package-meta.js';
import { logLines, startHarness, type Harness, type HarnessOptions } from '../../helpers/harness.js';

/**
 * The functions listener alone (no poller) on the harness's config and the SOAR emulator's broker:
 * the real SOAR client, a real SQLite file, the handlers given, a JSON log to read. One world at a
 * time per test file: `stopListenerWorld` (in `afterEach`) stops its listeners and closes the rest.
 */

export interface ListenerWorldOptions {
  harness?: HarnessOptions;
  /** Keys written into the harness's app.config after the broker's port and CA. */
  config?: Record<string, string>;
  handlers?: Record<string, FunctionHandler>;
  clock?: Clock;
  /** Listener deps that replace the world's (credentials, backoff, heart-beats). */
  extra?: Partial<ListenerDeps>;
  /** Runs on the harness before the listener starts. */
  before?: (h: Harness) => void;
}

export interface ListenerWorld {
  h: Harness;
  app: App;
  listener: FunctionsListener;
  handlers: ReadonlyMap<string, FunctionHandler>;
  log: () => Record<string, unknown>[];
  /** Starts another listener on the same app and log (a restart), stopped with the world. */
  another: (handlers: ReadonlyMap<string, FunctionHandler>, extra?: Partial<ListenerDeps>) => FunctionsListener;
}

let current: { h: Harness; app?: App; listeners: FunctionsListener[] } | undefined;

export async function startListenerWorld(options: ListenerWorldOptions = {}): Promise<ListenerWorld> {
  const h = await startHarness({ findings: 0, ...options.harness });
  const world: { h: Harness; app?: App; listeners: FunctionsListener[] } = { h, listeners: [] };
  current = world;
  h.configure({ 'resilient.stomp_port': String(h.soar.stompPort), 'resilient.stomp_cafile': h.soar.caPath ?? '', ...options.config });
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _enc, done) => { lines.push(chunk.toString()); done(); } });
  const config = readAppConfig(h.io(), h.configPath);
  const logger = createLogger({ format: 'json', stream, level: 'debug' });
  const app = buildApp(config, h.io(), { logger });
  world.app = app;
  const auth = config.soar.auth;
  const create = (handlers: ReadonlyMap<string, FunctionHandler>, extra: Partial<ListenerDeps> = {}): FunctionsListener => {
    const listener = createFunctionsListener({
      config: config.functions,
      credentials: auth.kind === 'apikey' ? { login: auth.id, passcode: auth.secret } : { login: auth.email, passcode: auth.password },
      org: app.soarClient.session, handlers, invocations: app.store.invocations, logger,
      clock: options.clock ?? systemClock, observer: app.metrics,
      package: { name: packageMeta().name, version: packageMeta().version },
      ...extra,
    });
    world.listeners.push(listener);
    return listener;
  };
  const handlers = new Map(Object.entries(options.handlers ?? {}));
  const listener = create(handlers, options.extra);
  options.before?.(h);
  listener.start();
  const another = (next: ReadonlyMap<string, FunctionHandler>, extra?: Partial<ListenerDeps>): FunctionsListener => {
    const restarted = create(next, extra);
    restarted.start();
    return restarted;
  };
  return { h, app, listener, handlers, log: () => logLines(lines.join('')), another };
}

/** Stops the listeners of the world started last, closes its app and emulators (for `afterEach`). */
export async function stopListenerWorld(): Promise<void> {
  const world = current;
  current = undefined;
  for (const listener of world?.listeners ?? []) await listener.stop(1_000);
  world?.app?.close();
  await world?.h.close();
}
