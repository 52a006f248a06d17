import type { Clock } from '../../core/clock.js';
import type { FunctionsConfig } from '../../config/app-config.js';
import type { Logger } from '../../logging/logger.js';
import type { InvocationOutcome, InvocationsRepo } from '../../store/invocations-repo.js';
import type { FunctionHandler } from '../function-types.js';
import type { ListenerSnapshot, ListenerStatus, RefusalStage } from '../../health/listener-state.js';
import type { PackageInfo } from './replies.js';

export type { ListenerSnapshot, ListenerStatus } from '../../health/listener-state.js';

/** How a stop went: nothing was running, everything running finished, or the rest was abandoned un-ACKed. */
export type ListenerStopOutcome = 'idle' | 'finished' | 'abandoned';

/** The SOAR functions listener as run.ts and tests see it: no STOMP library behind this line. */
export interface FunctionsListener {
  /** Connects in the background and keeps reconnecting; never throws, never blocks polling. */
  start(): void;
  /**
   * Takes no new invocation, lets the running ones finish until the deadline, then aborts the rest
   * (un-ACKed, so SOAR redelivers them to the next start) and disconnects.
   */
  stop(deadlineMs: number): Promise<ListenerStopOutcome>;
  state(): ListenerSnapshot;
}

/** Counted in `/metrics`; implemented by Metrics. */
export interface ListenerObserver {
  /** Up: the broker confirmed the subscription (functions are served); down: that connection closed. */
  stompConnected(up: boolean): void;
  stompReconnect(): void;
  /** An ERROR frame refused the login, the subscription, or something later. */
  stompRefused(stage: RefusalStage): void;
  listenerStatus(status: ListenerStatus): void;
  functionFinished(name: string, outcome: InvocationOutcome | 'redelivered', durationMs: number): void;
}

/** The org's id and whether it runs the actions framework, read over REST as resilient-circuits does. */
export interface OrgDiscovery {
  connect(): Promise<{ id: number; name: string }>;
  actionsFrameworkEnabled(): Promise<boolean>;
}

export interface ListenerDeps {
  config: FunctionsConfig;
  /** CONNECT login/passcode: the API key id and secret, or the email and password (§1.2). */
  credentials: { login: string; passcode: string };
  org: OrgDiscovery;
  handlers: ReadonlyMap<string, FunctionHandler>;
  invocations: InvocationsRepo;
  logger: Logger;
  clock: Clock;
  observer?: ListenerObserver;
  package: PackageInfo;
  /** Reconnect backoff: first delay, doubling to the cap, each with jitter (tests shorten them). */
  backoff?: { initialMs: number; maxMs: number };
  /** How often an org with the actions framework off is asked again. */
  frameworkRecheckMs?: number;
  /** The heart-beat asked of the broker (default 15 s, as resilient-circuits; tests shorten it). */
  heartbeatMs?: number;
  /** Called on every change of status and on every reconnect (run.ts records it for `status`). */
  onStateChange?: (state: ListenerSnapshot) => void;
}
