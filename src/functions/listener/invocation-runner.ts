import type { Client, IMessage } from '@stomp/stompjs';
import { errorMessage } from '../../core/errors.js';
import type { InvocationOutcome } from '../../store/invocations-repo.js';
import { Semaphore } from '../../util/concurrency.js';
import { FunctionInputError, UnknownFunctionError } from '../function-types.js';
import { inputsDigest, parseInvocation, readDelivery, type Delivery, type Invocation } from './invocation.js';
import type { MessageSink } from './listener-connection.js';
import type { ListenerDeps } from './listener-types.js';
import { errorReply, replyText, statusReply, successReply, type ReplyBody } from './replies.js';

const PRUNE_EVERY = 500;

interface Running {
  /** The latest delivery of the message: a redelivery during the run (after a reconnect) replaces it, and the ACK names it. */
  message: IMessage;
  delivery: Delivery;
  client: Client;
  abort: AbortController;
  done: Promise<void>;
}

/** An invocation in flight, as a stop sees it: when it is done, and how to abandon it. */
export interface InFlight {
  done: Promise<void>;
  abort(): void;
}

/**
 * The listener's half of a function invocation: a delivered message is read, claimed in the
 * invocation records (a redelivery of a finished one is answered from its record, never run again),
 * run by its handler on one of `aws_gd_workers` slots with interim status messages, answered, and
 * only then ACKed. A stop leaves un-ACKed what it did not finish, for SOAR to redeliver.
 */
export class InvocationRunner implements MessageSink {
  private readonly workers: Semaphore;
  private readonly running = new Map<string, Running>();
  /** The connection replies go out on: set once the broker serves functions, cleared when it closes. */
  private client: Client | undefined;
  private finishedSincePrune = 0;

  constructor(
    private readonly deps: ListenerDeps,
    private readonly stopSignal: AbortSignal,
  ) {
    this.workers = new Semaphore(deps.config.workers);
  }

  get inFlight(): number {
    return this.running.size;
  }

  /** What runs now (a stop waits for these, then abandons the rest). */
  pending(): InFlight[] {
    return [...this.running.values()].map((r) => ({ done: r.done, abort: () => r.abort.abort() }));
  }

  serving(client: Client): void {
    this.client = client;
  }

  closed(client: Client): void {
    if (this.client === client) this.client = undefined;
  }

  receive(client: Client, message: IMessage): void {
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
    client.publish({ destination: delivery.replyTo, headers: { 'correlation-id': delivery.correlationId }, body: replyText(body) });
  }

  /** Keeps the invocation records bounded (age and count), at start and every PRUNE_EVERY invocations. */
  pruneRecords(): void {
    this.finishedSincePrune = 0;
    const pruned = this.deps.invocations.prune();
    if (pruned > 0) this.deps.logger.debug('Old function invocation records pruned', { pruned });
  }

  private get stopping(): boolean {
    return this.stopSignal.aborted;
  }
}

function ack(message: IMessage): void {
  try {
    message.ack();
  } catch {
    // The connection that delivered it is gone; the broker redelivers it and the redelivery is ACKed.
  }
}
