import type { Client, IMessage } from '@stomp/stompjs';
import type { Clock } from '../../clock.js';
import type { FunctionsConfig } from '../../config/app-config.js';
import { errorMessage } from '../../errors.js';
import type { Logger } from '../../logging/logger.js';
import type { InvocationOutcome, InvocationsRepo } from '../../store/invocations-repo.js';
import { Semaphore } from '../../util/concurrency.js';
import { MESSAGE_DESTINATION } from '../function-definition.js';
import { FunctionInputError, UnknownFunctionError, type FunctionHandler } from '../function-types.js';
import { inputsDigest, parseInvocation, readDelivery, type Delivery, type Invocation } from './invocation.js';
import { openBrokerConnection, type ConnectionEnd, type Refusal, type RefusalStage } from './broker-connection.js';
import { errorReply, statusReply, successReply, type PackageInfo, type ReplyBody } from './replies.js';
import { stompTlsOptions, type StompTarget } from './stomp-socket.js';

export type { Refusal, RefusalStage } from './broker-connection.js';

/**
 * What `/readyz`, `status` and the logs say about the listener. `connected` means served: the broker
 * confirmed the subscription. `refused`: its last answer was an ERROR frame (a login or a
 * subscription it does not allow); the listener retries with the backoff all the same.
 */
export type ListenerStatus = 'disabled' | 'starting' | 'framework-off' | 'connected' | 'refused' | 'reconnecting' | 'stopped';

export interface ListenerSnapshot {
  status: ListenerStatus;
  /** When the status began (epoch ms): "reconnecting since …". */
  since: number;
  /** `actions.<org_id>.fn_aws_gd`, once the org is known. */
  destination: string | undefined;
  reconnects: number;
  lastError: string | undefined;
  inFlight: number;
  /** While `refused`: the broker's ERROR and the fix. */
  refusal?: Refusal | undefined;
  /** While `reconnecting` or `refused`: when the next attempt is due (epoch ms). */
  nextAttemptAt?: number | undefined;
}

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

const DESTINATION = MESSAGE_DESTINATION.programmaticName;
const DEFAULT_BACKOFF = { initialMs: 1_000, maxMs: 60_000 };
const FRAMEWORK_RECHECK_MS = 5 * 60_000;
const PRUNE_EVERY = 500;
/** After the deadline, aborted functions get this long to reach a safe point before the listener disconnects anyway. */
const ABORT_GRACE_MS = 1_000;
/** SOAR's broker is asked for a heartbeat every 15 s; the client sends none (resilient-circuits' 0,15000). */
const SERVER_HEARTBEAT_MS = 15_000;

/**
 * Builds the listener; with `aws_gd_functions = false` it never connects and reports `disabled`.
 * Throws ConfigError at once for an unreadable stomp_cafile, so `run` fails at start, not later.
 */
export function createFunctionsListener(deps: ListenerDeps): FunctionsListener {
  return new StompFunctionsListener(deps);
}

interface Running {
  /** The latest delivery of the message: a redelivery during the run (after a reconnect) replaces it, and the ACK names it. */
  message: IMessage;
  delivery: Delivery;
  client: Client;
  abort: AbortController;
  done: Promise<void>;
}

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

class StompFunctionsListener implements FunctionsListener {
  private snapshot: ListenerSnapshot;
  private readonly target: StompTarget;
  private readonly workers: Semaphore;
  private readonly running = new Map<string, Running>();
  private readonly stopSignal = new AbortController();
  /** The connection replies go out on: set once CONNECTED, cleared when it closes. */
  private client: Client | undefined;
  /** The connection being made or in use: what a stop disconnects (also one still waiting for CONNECTED). */
  private current: Client | undefined;
  private loop: Promise<void> | undefined;
  private readonly backoff: { initialMs: number; maxMs: number };
  private finishedSincePrune = 0;

  constructor(private readonly deps: ListenerDeps) {
    const c = deps.config;
    this.target = { host: c.host, port: c.port, tls: c.enabled ? stompTlsOptions(c.cafile) : {}, timeoutMs: c.timeoutMs };
    this.workers = new Semaphore(c.workers);
    this.backoff = deps.backoff ?? DEFAULT_BACKOFF;
    this.snapshot = {
      status: c.enabled ? 'starting' : 'disabled', since: deps.clock.now(), destination: undefined, reconnects: 0, lastError: undefined, inFlight: 0,
    };
  }

  state(): ListenerSnapshot {
    return { ...this.snapshot, inFlight: this.running.size };
  }

  start(): void {
    this.notify();
    if (!this.deps.config.enabled) {
      this.deps.logger.info('SOAR functions are off (aws_gd_functions = false): the daemon only polls');
      return;
    }
    this.pruneRecords();
    this.loop ??= this.connectLoop().catch((err: unknown) => {
      this.deps.logger.error('The SOAR functions listener stopped unexpectedly; polling continues', { error: errorMessage(err) });
    });
  }

  async stop(deadlineMs: number): Promise<ListenerStopOutcome> {
    if (this.stopSignal.signal.aborted) return 'idle';
    this.stopSignal.abort();
    const running = [...this.running.values()];
    let outcome: ListenerStopOutcome = running.length === 0 ? 'idle' : 'finished';
    if (running.length > 0) {
      const all = Promise.allSettled(running.map((r) => r.done));
      const finished = await this.within(all, deadlineMs);
      if (!finished) {
        outcome = 'abandoned';
        for (const r of running) r.abort.abort();
        await this.within(all, ABORT_GRACE_MS);
      }
    }
    // Bounded: a broker that does not answer DISCONNECT, or a REST call that hangs, must not hold the exit.
    await this.within(this.current?.deactivate().catch(() => undefined) ?? Promise.resolve(), ABORT_GRACE_MS);
    await this.within(this.loop ?? Promise.resolve(), ABORT_GRACE_MS);
    if (this.deps.config.enabled) this.setStatus('stopped');
    return outcome;
  }

  // --- the connection ---

  private async connectLoop(): Promise<void> {
    const orgId = await this.discoverOrg();
    if (orgId === undefined) return;
    const destination = `actions.${orgId}.${DESTINATION}`;
    this.snapshot.destination = destination;
    // Attempts in a row that did not get functions served. Only a confirmed subscription resets it: a
    // CONNECTED whose SUBSCRIBE is then refused used to reset it, and `run` before `setup` retried
    // about every second (71 times in 50 s) instead of backing off to a minute.
    let failed = 0;
    while (!this.stopping) {
      const end = await this.connectOnce(destination);
      if (this.stopping) return;
      failed = end.served ? 0 : failed + 1;
      const delay = backoffDelay(failed, this.backoff);
      this.snapshot.reconnects += 1;
      this.snapshot.lastError = end.error;
      this.snapshot.refusal = end.refusal;
      this.snapshot.nextAttemptAt = this.deps.clock.now() + delay;
      this.deps.observer?.stompReconnect();
      if (end.refusal) this.deps.observer?.stompRefused(end.refusal.stage);
      this.setStatus(end.refusal ? 'refused' : 'reconnecting');
      this.logAttempt(end, destination, delay);
      await this.deps.clock.sleep(delay, this.stopSignal.signal);
    }
  }

  /** One line per failed attempt: an ERROR frame at error level with the broker's text and the fix, anything else as a warning. */
  private logAttempt(end: ConnectionEnd, destination: string, retryInMs: number): void {
    const where = { host: this.target.host, port: this.target.port, reconnects: this.snapshot.reconnects, retryInMs };
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
          this.setStatus('framework-off');
          this.deps.logger.warn(
            `SOAR org "${org.name}" has the actions framework turned off, so SOAR sends no function invocations: the functions on ` +
              `${DESTINATION} are not served (polling continues). Ask IBM support to enable it for the org; the daemon checks again every ` +
              `${Math.round((this.deps.frameworkRecheckMs ?? FRAMEWORK_RECHECK_MS) / 60_000)} minutes.`,
          );
        }
        await this.deps.clock.sleep(this.deps.frameworkRecheckMs ?? FRAMEWORK_RECHECK_MS, this.stopSignal.signal);
      } catch (err) {
        const delay = backoffDelay(failures++, this.backoff);
        this.snapshot.lastError = errorMessage(err);
        this.deps.logger.warn('Cannot read the SOAR org for the functions listener; retrying', { error: errorMessage(err), retryInMs: delay });
        await this.deps.clock.sleep(delay, this.stopSignal.signal);
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
        this.client = c;
        this.snapshot.lastError = undefined;
        this.snapshot.refusal = undefined;
        this.snapshot.nextAttemptAt = undefined;
        this.setStatus('connected');
        this.deps.observer?.stompConnected(true);
        logger.info('Serving SOAR functions', { destination, host: config.host, port: config.port, workers: config.workers, prefetch: config.prefetch });
      },
      onMessage: (c, message) => this.receive(c, message),
      onClosed: (c, served) => {
        if (this.client === c) this.client = undefined;
        if (this.current === c) this.current = undefined;
        if (served) this.deps.observer?.stompConnected(false);
      },
    });
    this.current = client;
    return ended;
  }

  // --- invocations ---

  private receive(client: Client, message: IMessage): void {
    const delivery = readDelivery(message.headers);
    if (!delivery) {
      this.deps.logger.warn('A message on the function destination lacks message-id, reply-to or correlation-id: ACKed without an answer', {
        headers: Object.keys(message.headers),
      });
      ack(message);
      return;
    }
    // Left un-ACKed: the broker hands it to the next start.
    if (this.stopping) return;
    const running = this.running.get(delivery.messageId);
    if (running) {
      // A redelivery while it still runs (the connection dropped): answered once, on the newest delivery.
      Object.assign(running, { message, delivery, client });
      return;
    }
    const entry: Running = { message, delivery, client, abort: new AbortController(), done: Promise.resolve() };
    this.running.set(delivery.messageId, entry);
    entry.done = this.workers
      .run(() => this.handle(entry))
      .catch((err: unknown) => {
        this.deps.logger.error('A function invocation could not be answered', { messageId: delivery.messageId, error: errorMessage(err) });
      })
      .finally(() => this.running.delete(delivery.messageId));
  }

  private async handle(entry: Running): Promise<void> {
    if (this.stopping) return;
    const started = this.deps.clock.now();
    let invocation: Invocation;
    try {
      invocation = parseInvocation(entry.message.body);
    } catch (err) {
      // Unreadable or malformed: nothing ran and nothing would on a redelivery, so it is answered and ACKed, not recorded.
      this.deps.logger.warn('A function invocation could not be read', { messageId: entry.delivery.messageId, error: errorMessage(err) });
      this.answer(entry, errorReply(errorMessage(err)));
      this.deps.observer?.functionFinished('unreadable', 'error', this.deps.clock.now() - started);
      return;
    }
    const name = invocation.functionName;
    const claim = this.deps.invocations.claim({
      messageId: entry.delivery.messageId, functionName: name, inputsDigest: inputsDigest(invocation.inputs), correlationId: entry.delivery.correlationId,
    });
    if (claim.kind === 'finished') {
      this.deps.logger.info('A redelivered invocation was answered with its recorded result, not run again', { function: name, messageId: entry.delivery.messageId });
      this.answer(entry, claim.reply as ReplyBody);
      this.deps.observer?.functionFinished(name, 'redelivered', this.deps.clock.now() - started);
      return;
    }
    if (claim.previousRuns > 0) {
      this.deps.logger.warn('An invocation interrupted by a stop or crash is run again (functions are idempotent on the message id)', { function: name, messageId: entry.delivery.messageId });
    }
    const result = await this.execute(entry, invocation, started);
    if (!result) return;
    this.deps.invocations.finish(entry.delivery.messageId, result.outcome, result.reply);
    if (++this.finishedSincePrune >= PRUNE_EVERY) this.pruneRecords();
    this.answer(entry, result.reply);
    this.deps.observer?.functionFinished(name, result.outcome, this.deps.clock.now() - started);
  }

  /** Runs the handler; undefined when it was aborted at shutdown (nothing recorded, nothing ACKed). */
  private async execute(entry: Running, invocation: Invocation, started: number): Promise<{ outcome: InvocationOutcome; reply: ReplyBody } | undefined> {
    const name = invocation.functionName;
    const logger = this.deps.logger.child({ function: name, messageId: entry.delivery.messageId });
    const status = (text: string): Promise<void> => {
      try {
        this.publish(entry.delivery, statusReply(text));
      } catch (err) {
        logger.debug('A status message could not be sent', { error: errorMessage(err) });
      }
      return Promise.resolve();
    };
    try {
      const handler = this.deps.handlers.get(name);
      if (!handler) throw new UnknownFunctionError(name, [...this.deps.handlers.keys()]);
      await status(`Starting App Function: '${name}'`);
      const outcome = await handler({
        name, inputs: invocation.inputs, messageId: entry.delivery.messageId, workflowInstanceId: invocation.workflowInstanceId,
        status, logger, signal: entry.abort.signal,
      });
      await status(`Finished running App Function: '${name}'`);
      const finishedAt = this.deps.clock.now();
      logger.info('Function finished', { success: outcome.success, durationMs: finishedAt - started });
      return { outcome: outcome.success ? 'success' : 'failure', reply: successReply(outcome, invocation.inputs, this.deps.package, finishedAt - started, finishedAt) };
    } catch (err) {
      if (entry.abort.signal.aborted) {
        logger.warn('Function abandoned at shutdown; SOAR redelivers it to the next start', { error: errorMessage(err) });
        return undefined;
      }
      const expected = err instanceof FunctionInputError || err instanceof UnknownFunctionError;
      const message = expected ? errorMessage(err) : `${name} failed: ${errorMessage(err)}`;
      if (expected) logger.warn('Function refused its input', { error: message });
      else logger.error('Function failed', { error: err });
      return { outcome: 'error', reply: errorReply(message) };
    }
  }

  /**
   * The final reply, then the ACK. Reply first: a crash between the two leaves the message un-ACKed,
   * so SOAR redelivers it and it is answered again from the record (resilient-circuits ACKs first,
   * which can lose the answer). A delivery of a connection that is gone is not answered: its
   * redelivery on the new connection is.
   */
  private answer(entry: Running, reply: ReplyBody): void {
    if (entry.client !== this.client || !entry.client.connected) {
      this.deps.logger.info('The connection that delivered an invocation is gone; its redelivery will be answered from the record', { messageId: entry.delivery.messageId });
      return;
    }
    try {
      this.publish(entry.delivery, reply);
    } catch (err) {
      this.deps.logger.warn('The final reply could not be sent; the redelivery will be answered from the record', { messageId: entry.delivery.messageId, error: errorMessage(err) });
      return;
    }
    ack(entry.message);
  }

  private publish(delivery: Delivery, body: ReplyBody): void {
    const client = this.client;
    if (!client?.connected) throw new Error('not connected to SOAR STOMP');
    client.publish({ destination: delivery.replyTo, headers: { 'correlation-id': delivery.correlationId }, body: JSON.stringify(body, null, 2) });
  }

  // --- helpers ---

  /** Keeps the invocation records bounded (age and count), at start and every PRUNE_EVERY invocations. */
  private pruneRecords(): void {
    this.finishedSincePrune = 0;
    const pruned = this.deps.invocations.prune();
    if (pruned > 0) this.deps.logger.debug('Old function invocation records pruned', { pruned });
  }

  private get stopping(): boolean {
    return this.stopSignal.signal.aborted;
  }

  /** `since` is when the status began: an attempt refused again stays "refused since" the first refusal. */
  private setStatus(status: ListenerStatus): void {
    if (status !== this.snapshot.status) {
      this.snapshot.status = status;
      this.snapshot.since = this.deps.clock.now();
    }
    this.notify();
  }

  private notify(): void {
    this.deps.observer?.listenerStatus(this.snapshot.status);
    try {
      this.deps.onStateChange?.(this.state());
    } catch (err) {
      this.deps.logger.debug('The listener state could not be recorded', { error: errorMessage(err) });
    }
  }

  /** True when `work` settled within `ms`. */
  private async within(work: Promise<unknown>, ms: number): Promise<boolean> {
    const timer = new AbortController();
    try {
      return await Promise.race([work.then(() => true), this.deps.clock.sleep(ms, timer.signal).then(() => false)]);
    } finally {
      timer.abort();
    }
  }
}

function ack(message: IMessage): void {
  try {
    message.ack();
  } catch {
    // The connection that delivered it is gone; the broker redelivers it and the redelivery is ACKed.
  }
}
