import { packageMeta } from '../core/package-meta.js';
import { createFunctionHandlers } from '../functions/handlers/index.js';
import { createFunctionsListener, type FunctionsListener } from '../functions/listener/listener.js';
import type { CycleDeps } from '../poller/run-cycle.js';
import type { App } from './app.js';
import { functionDeps } from './function-deps.js';
import { recordListenerState } from './listener-record.js';
import { urgently } from '../util/urgency.js';

/**
 * The SOAR functions listener on the shared preparation; `aws_gd_functions = false` makes it a
 * disabled one. Exported so that `demo` serves functions exactly as `run` does.
 */
export function functionsListener(app: App, prepared: () => Promise<CycleDeps>): FunctionsListener {
  const { auth } = app.config.soar;
  return createFunctionsListener({
    config: app.config.functions,
    credentials: auth.kind === 'apikey' ? { login: auth.id, passcode: auth.secret } : { login: auth.email, passcode: auth.password },
    org: app.soarClient.session,
    // A responder is waiting on a function: its SOAR calls go before the cycle's (one limit for both).
    handlers: new Map([...createFunctionHandlers(async () => functionDeps(await prepared()))].map(([name, handler]) => [name, urgently(handler)])),
    invocations: app.store.invocations,
    logger: app.logger.child({ component: 'functions' }),
    clock: app.clock,
    observer: app.metrics,
    package: { name: packageMeta().name, version: packageMeta().version },
    onStateChange: (s) => recordListenerState(app.store, s),
  });
}
