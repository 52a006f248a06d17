import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { adminRoutes } from './admin/admin-routes.js';
import { SoarAdmin } from './admin/soar-admin.js';
import { AuthService } from './auth/auth-service.js';
import { sessionRoutes } from './auth/session-routes.js';
import { artifactRoutes } from './children/artifact-routes.js';
import { commentRoutes } from './children/comment-routes.js';
import { datatableRoutes } from './children/datatable-routes.js';
import { CallLog } from './faults/call-log.js';
import { FaultInjector } from './faults/faults.js';
import { Router } from './http/router.js';
import { createListener } from './http/server.js';
import { incidentRoutes } from './incidents/incident-routes.js';
import { resolveOptions, type SoarEmulatorOptions } from './options.js';
import { Prng } from '../shared/prng.js';
import { schemaRoutes } from './schema/schema-routes.js';
import { SoarState } from './state/soar-state.js';

export type { AdminIncident, StateSummary } from './admin/admin-views.js';
export type { CloseOptions, FieldSpec } from './admin/soar-admin.js';
export type { CallRecord, CallsSnapshot } from './faults/call-log.js';
export type { ActiveFault, FaultRule } from './faults/faults.js';
export { DEFAULT_FAULT_STATUSES } from './faults/faults.js';
export type { ApiKeyOption, SoarEmulatorOptions, UserOption } from './options.js';
export { DEFAULT_API_KEY, DEFAULT_REQUIRED_ON_CLOSE, DEFAULT_USER } from './options.js';
export { RESOLUTION_IDS, SEVERITY_IDS } from './schema/builtin-incident-fields.js';

/**
 * A running emulator: its base URL and org, `close()`, and the admin operations as typed methods
 * (the same ones `/__admin/` serves over HTTP).
 */
export class SoarEmulator extends SoarAdmin {
  constructor(
    state: SoarState,
    calls: CallLog,
    faults: FaultInjector,
    private readonly server: http.Server,
    /** e.g. `http://127.0.0.1:54321` (https with the `tls` option). */
    readonly url: string,
  ) {
    super(state, calls, faults);
    this.orgId = state.options.org.id;
    this.orgName = state.options.org.name;
  }

  readonly orgId: number;
  readonly orgName: string;

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      // Keep-alive sockets would otherwise hold close() open until they time out.
      this.server.closeAllConnections();
    });
  }
}

/** Starts an IBM SOAR REST emulator on 127.0.0.1 (HTTP, or HTTPS with `tls`). */
export async function startSoarEmulator(options: SoarEmulatorOptions = {}): Promise<SoarEmulator> {
  const resolved = resolveOptions(options);
  const state = new SoarState(resolved);
  const auth = new AuthService(resolved.apiKeys, resolved.users);
  const calls = new CallLog();
  const faults = new FaultInjector(new Prng(resolved.seed));
  const rest = new Router([
    ...sessionRoutes(state, auth),
    ...incidentRoutes(state),
    ...commentRoutes(state),
    ...artifactRoutes(state),
    ...datatableRoutes(state),
    ...schemaRoutes(state),
  ]);
  // The admin routes and the returned handle are two views of the same state, calls and faults.
  const admin = new Router(adminRoutes(new SoarAdmin(state, calls, faults)));
  const listener = createListener({ state, auth, rest, admin, faults, calls });
  const server = resolved.tls ? https.createServer({ key: resolved.tls.key, cert: resolved.tls.cert }, listener) : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return new SoarEmulator(state, calls, faults, server, `${resolved.tls ? 'https' : 'http'}://127.0.0.1:${port}`);
}
