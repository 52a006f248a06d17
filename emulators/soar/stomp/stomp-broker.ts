import type { AddressInfo, Socket } from 'node:net';
import tls from 'node:tls';
import type { AuthService } from '../auth/auth-service.js';
import type { SoarState } from '../state/soar-state.js';
import type { DeliveryQueues } from './delivery-queues.js';
import type { InvocationLog } from './invocation-log.js';
import type { StompFaults } from './stomp-faults.js';
import { StompSession, type ConnectionView, type SessionContext, type StompPrincipal } from './stomp-session.js';

export interface StompBrokerOptions {
  /** 0 picks a free port; always 127.0.0.1. */
  port: number;
  key: string;
  cert: string;
  heartbeatMs: number;
  state: SoarState;
  auth: AuthService;
  queues: DeliveryQueues;
  log: InvocationLog;
  faults: StompFaults;
}

/**
 * The emulated SOAR's message broker: STOMP 1.2 over TLS, as ActiveMQ 5.15 answers
 * resilient-circuits. Logs in with the REST credentials (API key id/secret or user email/password),
 * lets a principal consume `actions.<org>.<destination>` only when it is one of the destination's
 * `api_keys`/`users`, and hands out the invocations queued in `queues`.
 */
export class StompBroker {
  private readonly sessions = new Set<StompSession>();

  private constructor(private readonly server: tls.Server) {}

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  static async start(options: StompBrokerOptions): Promise<StompBroker> {
    let connections = 0;
    const server = tls.createServer({ key: options.key, cert: options.cert });
    const broker = new StompBroker(server);
    // Shaped like ActiveMQ's connection ids, which its ack ids extend.
    const ctx = sessionContext(options, () => `ID:soar-emulator-${broker.port}-${++connections}`);
    // Refused connections are cut before the TLS handshake, as a broker that is down or restarting.
    server.on('connection', (socket: Socket) => {
      if (options.faults.refuse()) socket.destroy();
    });
    server.on('secureConnection', (socket) => {
      const session = new StompSession(socket, ctx, (s) => broker.sessions.delete(s));
      broker.sessions.add(session);
    });
    // A failed handshake (a client that does not trust the CA) only ends that connection.
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return broker;
  }

  connectionViews(): ConnectionView[] {
    return [...this.sessions].map((s) => s.view());
  }

  /** Cuts every connection (no ERROR frame); returns how many. Their un-ACKed messages wait for a new subscriber. */
  dropConnections(): number {
    const sessions = [...this.sessions];
    for (const session of sessions) session.drop();
    return sessions.length;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.dropConnections();
    });
  }
}

function sessionContext(options: StompBrokerOptions, connectionId: () => string): SessionContext {
  const { state, auth } = options;
  return {
    orgId: state.options.org.id,
    heartbeatMs: options.heartbeatMs,
    authenticate: (login, passcode) => authenticate(auth, login, passcode),
    refuseSubscription: (principal, destination) => refuseSubscription(state, principal, destination),
    queues: options.queues,
    log: options.log,
    faults: options.faults,
    connectionId,
    now: () => state.now(),
  };
}

/** The same credentials as REST: an API key (preferred by resilient-circuits) or a user's email and password. */
function authenticate(auth: AuthService, login: string, passcode: string): StompPrincipal | undefined {
  try {
    const basic = `Basic ${Buffer.from(`${login}:${passcode}`).toString('base64')}`;
    const principal = auth.authenticate({ authorization: basic });
    if (principal.kind === 'apikey') return { kind: 'apikey', keyId: principal.keyId, handle: principal.handle };
  } catch {
    // Not an API key: try a user login.
  }
  try {
    const { session, principal } = auth.login({ email: login, password: passcode });
    // A STOMP login holds no REST session.
    auth.logout(session.id);
    if (principal.kind === 'user') return { kind: 'user', userId: principal.userId, email: login };
  } catch {
    // Neither.
  }
  return undefined;
}

/**
 * ActiveMQ's authorization text for a consumer on a queue the user may not read (5.17.2 says exactly
 * this; SOAR's 5.15 the same): a destination that does not exist has no entry granting it either.
 */
function refuseSubscription(state: SoarState, principal: StompPrincipal, destination: string): string | undefined {
  const who = principal.kind === 'apikey' ? principal.keyId : principal.email;
  const refusal = `User ${who} is not authorized to read from: queue://${destination}`;
  const match = /^actions\.([^.]+)\.(.+)$/.exec(destination);
  if (!match || match[1] !== String(state.options.org.id)) return refusal;
  const record = state.functions.destination(match[2] ?? '');
  if (!record) return refusal;
  const member = principal.kind === 'apikey' ? state.functions.mayConsume(record, { apiKeyHandle: principal.handle, apiKeyId: principal.keyId }) : state.functions.mayConsume(record, { userId: principal.userId });
  return member ? undefined : refusal;
}
