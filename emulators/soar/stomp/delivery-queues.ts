import type { StompFrame } from './frame-codec.js';
import type { InvocationLog, InvocationRecord } from './invocation-log.js';

/**
 * The broker's queues, one per message destination, and their consumers (subscriptions). A message
 * stays on its queue until ACKed: while nobody is subscribed it waits; a consumer gets at most
 * `prefetch` un-ACKed messages at a time; when a consumer goes away (UNSUBSCRIBE, DISCONNECT, a
 * dropped connection) its un-ACKed messages are handed out again, with the same `message-id` and a
 * new `ack` id, as ActiveMQ does.
 */

export type AckMode = 'auto' | 'client' | 'client-individual';

export interface Consumer {
  /** The connection's id; ack ids are minted under it, as ActiveMQ's are. */
  readonly connectionId: string;
  /** The SUBSCRIBE `id`, echoed as `subscription`. */
  readonly id: string;
  /** The destination's programmatic name. */
  readonly destination: string;
  readonly ackMode: AckMode;
  readonly prefetch: number;
  /** ack id → message, for the messages delivered to this consumer and not yet ACKed. */
  readonly inFlight: Map<string, QueuedMessage>;
  deliver(frame: StompFrame): void;
}

export interface QueuedMessage {
  invocation: InvocationRecord;
  /** The §3.1 headers without the per-delivery ones. */
  headers: Record<string, string>;
  body: string;
  deliveredTo?: { consumer: Consumer; ackId: string; seq: number };
}

export type AckOutcome = 'acked' | 'nacked' | 'unknown';

export class DeliveryQueues {
  private readonly queues = new Map<string, QueuedMessage[]>();
  private readonly consumers: Consumer[] = [];
  private readonly turn = new Map<string, number>();
  private seq = 0;
  private dispatching = false;
  private again = new Set<string>();

  constructor(private readonly log: InvocationLog) {}

  enqueue(message: QueuedMessage): void {
    const queue = this.queues.get(message.invocation.destination) ?? [];
    queue.push(message);
    this.queues.set(message.invocation.destination, queue);
    this.dispatch(message.invocation.destination);
  }

  subscribe(consumer: Consumer): void {
    this.consumers.push(consumer);
    this.dispatch(consumer.destination);
  }

  /** The consumer's un-ACKed messages go back to the queue, for the next consumer. */
  unsubscribe(consumer: Consumer): void {
    const index = this.consumers.indexOf(consumer);
    if (index >= 0) this.consumers.splice(index, 1);
    for (const message of consumer.inFlight.values()) message.deliveredTo = undefined;
    consumer.inFlight.clear();
    this.dispatch(consumer.destination);
  }

  /**
   * An ACK or NACK from a consumer's connection. ActiveMQ knows an ack id only on the connection it
   * was delivered on, so an id from another (or an earlier) connection is `unknown`. [I] A NACK puts
   * the message back for redelivery (ActiveMQ would count it towards its DLQ policy).
   */
  ack(connectionId: string, ackId: string, command: 'ACK' | 'NACK'): AckOutcome {
    const consumer = this.consumers.find((c) => c.connectionId === connectionId && c.inFlight.has(ackId));
    const message = consumer?.inFlight.get(ackId);
    if (!consumer || !message?.deliveredTo) return 'unknown';
    const delivery = message.invocation.deliveries;
    if (command === 'NACK') {
      this.log.recordAck(message.invocation, { ackId, delivery, command });
      consumer.inFlight.delete(ackId);
      message.deliveredTo = undefined;
      this.dispatch(consumer.destination);
      return 'nacked';
    }
    // `client` mode is cumulative: an ACK also settles every earlier message of the subscription.
    const upTo = message.deliveredTo.seq;
    const settled = consumer.ackMode === 'client' ? [...consumer.inFlight.values()].filter((m) => (m.deliveredTo?.seq ?? 0) <= upTo) : [message];
    for (const m of settled) this.settle(m, { ackId, delivery: m.invocation.deliveries, command });
    this.dispatch(consumer.destination);
    return 'acked';
  }

  /** Messages of a destination not yet ACKed (waiting or in flight). */
  depth(destination: string): number {
    return this.queues.get(destination)?.length ?? 0;
  }

  clear(): void {
    this.queues.clear();
    for (const consumer of this.consumers) consumer.inFlight.clear();
  }

  private settle(message: QueuedMessage, ack: { ackId: string; delivery: number; command: 'ACK' | 'auto' }): void {
    const destination = message.invocation.destination;
    message.deliveredTo?.consumer.inFlight.delete(message.deliveredTo.ackId);
    message.deliveredTo = undefined;
    const queue = this.queues.get(destination) ?? [];
    const index = queue.indexOf(message);
    if (index >= 0) queue.splice(index, 1);
    this.log.recordAck(message.invocation, ack);
  }

  /** Hands waiting messages, oldest first, to consumers with room under their prefetch, in turn. */
  private dispatch(destination: string): void {
    // A delivery can fault a connection synchronously; the re-entrant call is folded into this loop.
    if (this.dispatching) {
      this.again.add(destination);
      return;
    }
    this.dispatching = true;
    try {
      this.again.add(destination);
      while (this.again.size > 0) {
        const [next] = this.again;
        if (next === undefined) break;
        this.again.delete(next);
        this.dispatchOne(next);
      }
    } finally {
      this.dispatching = false;
    }
  }

  private dispatchOne(destination: string): void {
    // A copy: an auto-ACK delivery removes its message from the queue during the loop.
    for (const message of [...(this.queues.get(destination) ?? [])]) {
      if (message.deliveredTo) continue;
      const consumer = this.nextConsumer(destination);
      if (!consumer) return;
      this.deliver(message, consumer);
    }
  }

  private nextConsumer(destination: string): Consumer | undefined {
    const candidates = this.consumers.filter((c) => c.destination === destination);
    const start = this.turn.get(destination) ?? 0;
    for (let i = 0; i < candidates.length; i++) {
      const consumer = candidates[(start + i) % candidates.length];
      if (consumer && consumer.inFlight.size < consumer.prefetch) {
        this.turn.set(destination, start + i + 1);
        return consumer;
      }
    }
    return undefined;
  }

  private deliver(message: QueuedMessage, consumer: Consumer): void {
    const seq = ++this.seq;
    const ackId = `${consumer.connectionId}:${seq}`;
    const delivery = this.log.recordDelivery(message.invocation);
    message.deliveredTo = { consumer, ackId, seq };
    consumer.inFlight.set(ackId, message);
    const headers: Record<string, string> = { ...message.headers, subscription: consumer.id, ack: ackId };
    // [I] ActiveMQ marks a message it hands out again; the STOMP header name is assumed to be this.
    if (delivery > 1) headers.redelivered = 'true';
    if (consumer.ackMode === 'auto') this.settle(message, { ackId, delivery, command: 'auto' });
    consumer.deliver({ command: 'MESSAGE', headers, body: message.body });
  }
}
