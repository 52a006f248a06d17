import type { AckMode, DeliveryQueues } from './delivery-queues.js';
import type { InvocationLog } from './invocation-log.js';
import type { StompFaults } from './stomp-faults.js';

/** Who logged in on a connection: an API key (by id and handle) or a user. */
export type StompPrincipal = { kind: 'apikey'; keyId: string; handle: number } | { kind: 'user'; userId: number; email: string };

/** What a session needs from the broker. */
export interface SessionContext {
  orgId: number;
  /** The shortest interval the broker will send heartbeats at (15000 as SOAR; tests shorten it). */
  heartbeatMs: number;
  authenticate(login: string, passcode: string): StompPrincipal | undefined;
  /** Undefined when the principal may consume from `actions.<org>.<name>`; otherwise the ERROR text. */
  refuseSubscription(principal: StompPrincipal, destination: string): string | undefined;
  queues: DeliveryQueues;
  log: InvocationLog;
  faults: StompFaults;
  connectionId(): string;
  now(): number;
}

export interface ConnectionView {
  id: string;
  principal: string | null;
  connectedAt: number;
  heartbeatMs: number;
  /** Keep-alives (EOL heartbeats) sent so far. */
  keepAlives: number;
  framesIn: number;
  framesOut: number;
  subscriptions: { id: string; destination: string; ack: AckMode; prefetch: number; inFlight: number }[];
}
