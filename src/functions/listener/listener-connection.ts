import type { Client, IMessage } from '@stomp/stompjs';
import { errorMessage } from '../../core/errors.js';
import { MESSAGE_DESTINATION } from '../function-definition.js';
import { openBrokerConnection, type ConnectionEnd } from './broker-connection.js';
import type { ListenerState } from './listener-state.js';
import type { ListenerDeps } from './listener-types.js';
import type { StompTarget } from './stomp-socket.js';

const DESTINATION = MESSAGE_DESTINATION.programmaticName;
const DEFAULT_BACKOFF = { initialMs: 1_000, maxMs: 60_000 };
const FRAMEWORK_RECHECK_MS = 5 * 60_000;
/** SOAR's broker is asked for a heartbeat every 15 s; the client sends none (resilient-circuits' 0,15000). */
const SERVER_HEARTBEAT_MS = 15_000;

/**
 * The wait before the next attempt: the first delay (1 s), doubled for each further failed attempt in
 * a row, capped (60 s), with jitter between half and all of it so that many daemons do not reconnect
 * in step. `failed` counts the attempts since functions were last served (0: a served connection was
 * just lost).
 */
export function backoffDelay(failed: number, b: { initialMs: number; maxMs: number }, random: () => number = Math.random): number {
  const delay = Math.min(b.maxMs, b.initialMs * 2 ** Math.min(Math.max(0, failed - 1), 20));
  return Math.round(delay * (0.5 + random() * 0.5));
}

/** Where the messages of a served connection go, and which connection replies are sent on. */
export interface MessageSink {
  receive(client: Client, message: IMessage): void;
  /** The broker confirmed the subscription on `client`: replies go out on it. */
  serving(client: Client): void;
  /** `client` closed: its deliveries are no longer answered on it. */
  closed(client: Client): void;
}

/**
 * The listener's connection to SOAR's broker: the org discovery (whose id names the destination),
 * then one connection after another (CONNECT, SUBSCRIBE, its messages, its close), with the reconnect
 * backoff between them, until the listener stops. Never throws on SOAR's account: every failure is
 * logged, shown in the state, and retried.
 */
export class ListenerConnection {
  /** The connection being made or in use: what a stop disconnects (also one still waiting for CONNECTED). */
  private current: Client | undefined;
  private reconnects = 0;
  private readonly backoff: { initialMs: number; maxMs: number };

  constructor(
    private readonly deps: ListenerDeps,
    private readonly target: StompTarget,
    private readonly state: ListenerState,
    private readonly sink: MessageSink,
    private readonly stopSignal: AbortSignal,
  ) {
    this.backoff = deps.backoff ?? DEFAULT_BACKOFF;
  }

  async run(): Promise<void> {
    const orgId = await this.discoverOrg();
    if (orgId === undefined) return;
    const destination = `actions.${orgId}.${DESTINATION}`;
    this.state.note({ destination });
    // Attempts in a row that did not get functions served. Only a confirmed subscription resets it: a
    // CONNECTED whose SUBSCRIBE is then refused used to reset it, and `run` before `setup` retried
    // about every second (71 times in 50 s) instead of backing off to a minute.
    let failed = 0;
    while (!this.stopping) {
      const end = await this.connectOnce(destination);
      if (this.stopping) return;
      failed = end.served ? 0 : failed + 1;
      const delay = backoffDelay(failed, this.backoff);
      this.reconnects += 1;
      this.state.note({ reconnects: this.reconnects, lastError: end.error, refusal: end.refusal, nextAttemptAt: this.deps.clock.now() + delay });
      this.deps.observer?.stompReconnect();
      if (end.refusal) this.deps.observer?.stompRefused(end.refusal.stage);
      this.state.set(end.refusal ? 'refused' : 'reconnecting');
      this.logAttempt(end, destination, delay);
      await this.deps.clock.sleep(delay, this.stopSignal);
    }
  }

  /** Disconnects the connection being made or in use, if any. */
  disconnect(): Promise<void> {
    return this.current?.deactivate().catch(() => undefined) ?? Promise.resolve();
  }

  private get stopping(): boolean {
    return this.stopSignal.aborted;
  }

  /** One line per failed attempt: an ERROR frame at error level with the broker's text and the fix, anything else as a warning. */
  private logAttempt(end: ConnectionEnd, destination: string, retryInMs: number): void {
    const where = { host: this.target.host, port: this.target.port, reconnects: this.reconnects, retryInMs };
    const { refusal } = end;
    if (refusal) {
      const message = {
        login: 'SOAR\'s broker refused the STOMP login: SOAR functions are not served (polling continues)',
        subscription: `SOAR's broker refused the subscription to ${destination}: SOAR functions are not served (polling continues)`,
        session: 'SOAR\'s broker sent an ERROR frame; the connection is closed and made again (polling continues)',
      }[refusal.stage];
      this.deps.logger.error(message, { ...where, destination, error: refusal.error, fix: refusal.fix });
      return;
    }
    this.deps.logger.warn(end.served ? 'STOMP connection to SOAR lost; reconnecting (polling continues)' : 'STOMP connection to SOAR failed; retrying (polling continues)', {
      ...where, error: end.error,
    });
  }

  /** Finds the org id; while the org has the actions framework off, says so once and asks again now and then. */
  private async discoverOrg(): Promise<number | undefined> {
    let failures = 0;
    let warnedOff = false;
    while (!this.stopping) {
      try {
        const org = await this.deps.org.connect();
        if (await this.deps.org.actionsFrameworkEnabled()) return org.id;
        if (!warnedOff) {
          warnedOff = true;
          this.state.set('framework-off');
          this.deps.logger.warn(
            `SOAR org "${org.name}" has the actions framework turned off, so SOAR sends no function invocations: the functions on ` +
              `${DESTINATION} are not served (polling continues). Ask IBM support to enable it for the org; the daemon checks again every ` +
              `${Math.round((this.deps.frameworkRecheckMs ?? FRAMEWORK_RECHECK_MS) / 60_000)} minutes.`,
          );
        }
        await this.deps.clock.sleep(this.deps.frameworkRecheckMs ?? FRAMEWORK_RECHECK_MS, this.stopSignal);
      } catch (err) {
        const delay = backoffDelay(failures++, this.backoff);
        this.state.note({ lastError: errorMessage(err) });
        this.deps.logger.warn('Cannot read the SOAR org for the functions listener; retrying', { error: errorMessage(err), retryInMs: delay });
        await this.deps.clock.sleep(delay, this.stopSignal);
      }
    }
    return undefined;
  }

  /** One connection, from CONNECT to its close; resolves when it is gone. */
  private connectOnce(destination: string): Promise<ConnectionEnd> {
    const { config, credentials, logger } = this.deps;
    const { client, ended } = openBrokerConnection({
      target: this.target, login: credentials.login, passcode: credentials.passcode, destination, prefetch: config.prefetch,
      heartbeatMs: this.deps.heartbeatMs ?? SERVER_HEARTBEAT_MS, clock: this.deps.clock, stopping: () => this.stopping,
      onServing: (c) => {
        this.sink.serving(c);
        this.state.note({ lastError: undefined, refusal: undefined, nextAttemptAt: undefined });
        this.state.set('connected');
        this.deps.observer?.stompConnected(true);
        logger.info('Serving SOAR functions', { destination, host: config.host, port: config.port, workers: config.workers, prefetch: config.prefetch });
      },
      onMessage: (c, message) => this.sink.receive(c, message),
      onClosed: (c, served) => {
        this.sink.closed(c);
        if (this.current === c) this.current = undefined;
        if (served) this.deps.observer?.stompConnected(false);
      },
    });
    this.current = client;
    return ended;
  }
}
