import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { adminRoutes } from './admin/admin-routes.js';
import { functionAdminRoutes } from './admin/function-admin-routes.js';
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
import { functionRoutes } from './functions/function-routes.js';
import { importRoutes } from './functions/import-routes.js';
import { ruleRoutes } from './functions/rule-routes.js';
import { SoarState } from './state/soar-state.js';
import type { FunctionRecord, MessageDestinationRecord, NewDestination, NewFunction } from './state/functions-store.js';
import { createEmulatorCa, type EmulatorCa } from '../shared/ca.js';
import { FunctionsEmulation, type InvokeRequest } from './stomp/functions-emulation.js';
import type { InvocationView, WaitOptions } from './stomp/invocation-log.js';
import { StompBroker } from './stomp/stomp-broker.js';
import type { StompFaultSettings, StompFaultsView } from './stomp/stomp-faults.js';
import type { ConnectionView } from './stomp/stomp-session.js';

export type { AdminIncident, StateSummary } from './admin/admin-views.js';
export type { CloseOptions, FieldSpec } from './admin/soar-admin.js';
export type { CallRecord, CallsSnapshot } from './faults/call-log.js';
export type { ActiveFault, FaultRule } from './faults/faults.js';
export { DEFAULT_FAULT_STATUSES } from './faults/faults.js';
export type { ApiKeyOption, SoarEmulatorOptions, UserOption } from './options.js';
export { DEFAULT_API_KEY, DEFAULT_REQUIRED_ON_CLOSE, DEFAULT_USER } from './options.js';
export { RESOLUTION_IDS, SEVERITY_IDS } from './schema/builtin-incident-fields.js';
export type { FunctionRecord, MessageDestinationRecord, NewDestination, NewFunction } from './state/functions-store.js';
export type { InvokeRequest } from './stomp/functions-emulation.js';
export type { InvocationView, WaitOptions } from './stomp/invocation-log.js';
export type { StompFaultSettings, StompFaultsView } from './stomp/stomp-faults.js';
export type { ConnectionView } from './stomp/stomp-session.js';

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
    /** SOAR functions: definitions, invocations, the STOMP broker (when started) and its faults. */
    readonly functions: FunctionsEmulation,
    private readonly ownedCa: EmulatorCa | undefined,
  ) {
    super(state, calls, faults, () => functions.reset());
    this.orgId = state.options.org.id;
    this.orgName = state.options.org.name;
    this.stompPort = functions.broker?.port;
    this.caPath = functions.broker ? (state.options.ca ?? ownedCa)?.caPath : undefined;
  }

  readonly orgId: number;
  readonly orgName: string;
  /** The STOMP broker's port, when started (`stomp: true`). */
  readonly stompPort: number | undefined;
  /** The CA file a client trusts to reach the broker (IBM's `stomp_cafile` / `cafile`). */
  readonly caPath: string | undefined;

  /** A playbook step calling a function: `{invocationId: "invid:N"}`; 404 SoarError if it is not defined. */
  invoke(request: InvokeRequest): { invocationId: string } {
    return this.functions.invoke(request);
  }

  invocation(id: string): InvocationView | undefined {
    return this.functions.invocation(id);
  }

  invocations(): InvocationView[] {
    return this.functions.invocations();
  }

  /** Resolves once the final reply (and the ACK, unless `acked: false`) arrived; rejects after `timeoutMs`. */
  waitForInvocation(id: string, options?: WaitOptions): Promise<InvocationView> {
    return this.functions.waitForInvocation(id, options);
  }

  /** Seeds a message destination without REST (e.g. `{programmatic_name: 'fn_aws_gd', api_keys: ['demo-key']}`). */
  defineDestination(input: NewDestination): MessageDestinationRecord {
    return this.functions.defineDestination(input);
  }

  /** Seeds a function without REST. */
  defineFunction(input: NewFunction): FunctionRecord {
    return this.functions.defineFunction(input);
  }

  stompConnections(): ConnectionView[] {
    return this.functions.stompConnections();
  }

  /** Cuts every STOMP connection now; returns how many. */
  dropStompConnections(): number {
    return this.functions.dropStompConnections();
  }

  /** Drop after N frames or the next delivery, delay frames, refuse connections (see StompFaultSettings). */
  setStompFaults(settings: StompFaultSettings): StompFaultsView {
    return this.functions.setStompFaults(settings);
  }

  clearStompFaults(): void {
    this.functions.clearStompFaults();
  }

  async close(): Promise<void> {
    await this.functions.broker?.close();
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      // Keep-alive sockets would otherwise hold close() open until they time out.
      this.server.closeAllConnections();
    });
    this.ownedCa?.close();
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
    ...functionRoutes(state),
    ...ruleRoutes(state),
    ...importRoutes(state),
  ]);
  const functions = new FunctionsEmulation(state);
  // The admin routes and the returned handle are two views of the same state, calls and faults.
  const admin = new Router([...adminRoutes(new SoarAdmin(state, calls, faults, () => functions.reset())), ...functionAdminRoutes(functions)]);
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
  const ownedCa = resolved.stomp && !resolved.ca ? await createEmulatorCa() : undefined;
  const ca = resolved.ca ?? ownedCa;
  if (resolved.stomp && ca) {
    try {
      functions.broker = await StompBroker.start({ port: resolved.stompPort, key: ca.key, cert: ca.cert, heartbeatMs: resolved.stompHeartbeatMs, state, auth, queues: functions.queues, log: functions.log, faults: functions.faults });
    } catch (error) {
      server.close();
      ownedCa?.close();
      throw error;
    }
  }
  return new SoarEmulator(state, calls, faults, server, `${resolved.tls ? 'https' : 'http'}://127.0.0.1:${port}`, functions, ownedCa);
}
