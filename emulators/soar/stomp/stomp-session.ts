import type { TLSSocket } from 'node:tls';
import type { AckMode, Consumer } from './delivery-queues.js';
import { FrameParser, HEARTBEAT, StompProtocolError, encodeFrame, type StompFrame } from './frame-codec.js';
import type { ConnectionView, SessionContext, StompPrincipal } from './session-context.js';

export type { ConnectionView, SessionContext, StompPrincipal } from './session-context.js';

/** [I] ActiveMQ's default queue prefetch when a STOMP SUBSCRIBE names none. */
const DEFAULT_PREFETCH = 1000;
const ACK_MODES: readonly string[] = ['auto', 'client', 'client-individual'];

/**
 * One client connection, from CONNECT to close. ERROR frames are followed by a close, as STOMP 1.2
 * requires, except an authorization refusal, which ActiveMQ answers with an ERROR on an open connection.
 */
export class StompSession {
  readonly id: string;
  readonly connectedAt: number;
  private principal: StompPrincipal | undefined;
  private readonly parser = new FrameParser();
  private readonly consumers = new Map<string, Consumer>();
  private heartbeat: NodeJS.Timeout | undefined;
  private heartbeatMs = 0;
  /** Something was written since the last keep-alive check (ActiveMQ's inactivity monitor then skips one). */
  private wroteSinceCheck = false;
  private keepAlives = 0;
  private writes: Promise<void> = Promise.resolve();
  private closed = false;
  /** A drop is scheduled behind the writes in flight: later frames are not read. */
  private dropping = false;
  private framesIn = 0;
  private framesOut = 0;

  constructor(
    private readonly socket: TLSSocket,
    private readonly ctx: SessionContext,
    private readonly onClose: (session: StompSession) => void,
  ) {
    this.id = ctx.connectionId();
    this.connectedAt = ctx.now();
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.cleanup());
    socket.on('error', () => this.cleanup());
  }

  view(): ConnectionView {
    return {
      id: this.id,
      principal: this.principal ? (this.principal.kind === 'apikey' ? this.principal.keyId : this.principal.email) : null,
      connectedAt: this.connectedAt,
      heartbeatMs: this.heartbeatMs,
      keepAlives: this.keepAlives,
      framesIn: this.framesIn,
      framesOut: this.framesOut,
      subscriptions: [...this.consumers.values()].map((c) => ({ id: c.id, destination: c.destination, ack: c.ackMode, prefetch: c.prefetch, inFlight: c.inFlight.size })),
    };
  }

  /** Cuts the connection without a frame, like a network failure. */
  drop(): void {
    this.socket.destroy();
    this.cleanup();
  }

  private receive(chunk: Buffer): void {
    if (this.closed || this.dropping) return;
    let items;
    try {
      items = this.parser.push(chunk);
    } catch (error) {
      this.fail(error instanceof StompProtocolError ? error.message : String(error));
      return;
    }
    for (const item of items) {
      if (this.closed || this.dropping) return;
      if (item.kind === 'heartbeat') continue;
      this.framesIn++;
      this.handle(item.frame);
      if (!this.closed && this.ctx.faults.afterFrame()) this.dropAfterWrites();
    }
  }

  private handle(frame: StompFrame): void {
    if (!this.principal && frame.command !== 'CONNECT' && frame.command !== 'STOMP') {
      this.fail(`${frame.command} before CONNECT`);
      return;
    }
    switch (frame.command) {
      case 'CONNECT':
      case 'STOMP':
        this.connect(frame);
        return;
      case 'SUBSCRIBE':
        this.subscribe(frame);
        break;
      case 'UNSUBSCRIBE':
        this.unsubscribe(frame);
        break;
      case 'ACK':
      case 'NACK':
        this.acknowledge(frame, frame.command);
        break;
      case 'SEND':
        this.send(frame);
        break;
      case 'DISCONNECT':
        this.receipt(frame);
        this.afterWrites(() => void this.socket.end());
        this.cleanup();
        return;
      default:
        // [I] Transactions (BEGIN/COMMIT/ABORT) are not used by resilient-circuits; refused here.
        this.fail(`Unsupported frame ${frame.command}`);
        return;
    }
    this.receipt(frame);
  }

  private connect(frame: StompFrame): void {
    if (this.principal) return this.fail('Already connected');
    const versions = (frame.headers['accept-version'] ?? '1.0').split(',').map((v) => v.trim());
    if (!versions.includes('1.2')) return this.fail('Supported protocol versions are 1.2');
    const login = frame.headers.login ?? '';
    const principal = this.ctx.authenticate(login, frame.headers.passcode ?? '');
    // ActiveMQ's wording for a failed JAAS login.
    if (!principal) return this.fail(`User name [${login}] or password is invalid.`);
    this.principal = principal;
    const [, clientWants] = (frame.headers['heart-beat'] ?? '0,0').split(',').map((n) => Number(n) || 0);
    // STOMP 1.2: the server sends at the larger of what it can do and what the client wants; the
    // server asks for none (SOAR answers "15000,0" to resilient-circuits' "0,15000").
    this.heartbeatMs = clientWants && clientWants > 0 ? Math.max(this.ctx.heartbeatMs, clientWants) : 0;
    this.write({
      command: 'CONNECTED',
      headers: { version: '1.2', session: this.id, server: 'ActiveMQ/5.15.14', 'heart-beat': `${this.heartbeatMs},0` },
      body: '',
    });
    if (this.heartbeatMs > 0) this.startHeartbeat();
  }

  private subscribe(frame: StompFrame): void {
    const id = frame.headers.id;
    const raw = frame.headers.destination ?? '';
    if (!id) return this.fail('SUBSCRIBE without an id header');
    if (this.consumers.has(id)) return this.fail(`Already subscribed with id ${id}`);
    const ack = frame.headers.ack ?? 'auto';
    if (!ACK_MODES.includes(ack)) return this.fail(`Unknown ack mode ${ack}`);
    const refused = this.principal ? this.ctx.refuseSubscription(this.principal, raw.replace(/^\/queue\//, '')) : 'not connected';
    if (refused) return this.refuse(frame, refused);
    const prefetchHeader = Number(frame.headers['activemq.prefetchSize']);
    const consumer: Consumer = {
      connectionId: this.id,
      id,
      destination: raw.replace(/^\/queue\//, '').split('.').slice(2).join('.'),
      ackMode: ack as AckMode,
      prefetch: Number.isInteger(prefetchHeader) && prefetchHeader > 0 ? prefetchHeader : DEFAULT_PREFETCH,
      inFlight: new Map(),
      deliver: (message) => {
        this.write(message);
        if (this.ctx.faults.afterDelivery()) this.dropAfterWrites();
      },
    };
    this.consumers.set(id, consumer);
    // The RECEIPT (if asked for) goes out before the first MESSAGE would in ActiveMQ too. [I]
    this.receipt(frame);
    delete frame.headers.receipt;
    this.ctx.queues.subscribe(consumer);
  }

  private unsubscribe(frame: StompFrame): void {
    const consumer = this.consumers.get(frame.headers.id ?? '');
    if (!consumer) return this.fail(`No subscription with id ${frame.headers.id ?? ''}`);
    this.consumers.delete(consumer.id);
    this.ctx.queues.unsubscribe(consumer);
  }

  private acknowledge(frame: StompFrame, command: 'ACK' | 'NACK'): void {
    const id = frame.headers.id ?? '';
    // [I] ActiveMQ's text when an ACK names no message it delivered on this connection.
    if (this.ctx.queues.ack(this.id, id, command) === 'unknown') this.fail(`Unexpected ${command} received for message-id [${id}]`);
  }

  private send(frame: StompFrame): void {
    const destination = frame.headers.destination ?? '';
    this.ctx.log.recordReply(destination, frame.headers, frame.body);
  }

  private receipt(frame: StompFrame): void {
    const receipt = frame.headers.receipt;
    if (receipt !== undefined && !this.closed) this.write({ command: 'RECEIPT', headers: { 'receipt-id': receipt }, body: '' });
  }

  /**
   * ActiveMQ 5.x answers a command its authorization refuses (a SUBSCRIBE the principal may not read
   * from) with an ERROR that carries the command's `receipt-id`, and keeps the connection open
   * (seen with 5.17.2): a client that never asked for a receipt cannot tell it is consuming nothing.
   */
  private refuse(frame: StompFrame, message: string): void {
    const receipt = frame.headers.receipt;
    this.write({ command: 'ERROR', headers: { message, 'content-type': 'text/plain', ...(receipt === undefined ? {} : { 'receipt-id': receipt }) }, body: message });
  }

  private fail(message: string): void {
    if (this.closed) return;
    this.write({ command: 'ERROR', headers: { message, 'content-type': 'text/plain' }, body: message });
    this.afterWrites(() => void this.socket.end());
    this.cleanup();
  }

  private write(frame: StompFrame): void {
    this.framesOut++;
    this.writeBytes(encodeFrame(frame));
  }

  /** In order; with a delay fault every write waits its turn plus the delay. */
  private writeBytes(bytes: Buffer): void {
    this.wroteSinceCheck = true;
    const delay = this.ctx.faults.delayMs;
    this.afterWrites(async () => {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (!this.socket.destroyed) this.socket.write(bytes);
    });
  }

  private dropAfterWrites(): void {
    this.dropping = true;
    this.afterWrites(() => this.drop());
  }

  private afterWrites(action: () => void | Promise<void>): void {
    // A step that throws must not stall every later write of the connection.
    this.writes = this.writes.then(action).catch(() => undefined);
  }

  /**
   * ActiveMQ's inactivity monitor, as measured against 5.17.2 (and SOAR's 15 s): a check every
   * interval sends a keep-alive only when nothing was written since the previous check, so a frame
   * just after a check stretches the next silence to almost two intervals. The `keepAliveEveryMs`
   * fault instead sends one at that fixed cadence whatever else is written: a broker whose
   * keep-alives come late. Real time, not the emulator's (possibly simulated) clock: heartbeats are
   * about the socket.
   */
  private startHeartbeat(): void {
    const late = this.ctx.faults.keepAliveEveryMs;
    this.heartbeat = setInterval(() => {
      if (this.wroteSinceCheck && late === undefined) {
        this.wroteSinceCheck = false;
        return;
      }
      this.keepAlives++;
      this.writeBytes(HEARTBEAT);
      this.wroteSinceCheck = false;
    }, late ?? this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** The session's subscriptions end; their un-ACKed messages go back to the queue. */
  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const consumer of this.consumers.values()) this.ctx.queues.unsubscribe(consumer);
    this.consumers.clear();
    this.onClose(this);
  }
}
