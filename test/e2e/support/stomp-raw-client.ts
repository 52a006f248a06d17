import tls from 'node:tls';
import { FrameParser, encodeFrame, type StompFrame } from '../../../emulators/soar/stomp/frame-codec.js';

/**
 * A bare STOMP client over `tls.connect` for the broker's tests: it sends exactly the frames a test
 * writes and hands back every frame the broker sends, so nothing of the product's client is involved.
 */
export class RawStompClient {
  private readonly frames: StompFrame[] = [];
  private waiters: { match: (f: StompFrame) => boolean; resolve: (f: StompFrame) => void }[] = [];
  heartbeats = 0;
  private heartbeatWaiters: { count: number; resolve: () => void }[] = [];
  readonly closed: Promise<void>;

  private constructor(private readonly socket: tls.TLSSocket) {
    const parser = new FrameParser();
    socket.on('data', (chunk: Buffer) => {
      for (const item of parser.push(chunk)) {
        if (item.kind === 'heartbeat') {
          this.heartbeats++;
          this.heartbeatWaiters = this.heartbeatWaiters.filter((w) => (this.heartbeats >= w.count ? (w.resolve(), false) : true));
          continue;
        }
        const waiter = this.waiters.find((w) => w.match(item.frame));
        if (waiter) {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          waiter.resolve(item.frame);
        } else this.frames.push(item.frame);
      }
    });
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
  }

  /** Opens TLS, verifying the broker against the emulator's CA file's contents. */
  static open(port: number, ca: string): Promise<RawStompClient> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, ca }, () => resolve(new RawStompClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Opens, sends CONNECT and waits for CONNECTED (or ERROR). */
  static async login(port: number, ca: string, login = 'demo-key', passcode = 'demo-secret', heartBeat = '0,15000'): Promise<{ client: RawStompClient; connected: StompFrame }> {
    const client = await RawStompClient.open(port, ca);
    client.send('CONNECT', { 'accept-version': '1.2', host: '127.0.0.1', login, passcode, 'heart-beat': heartBeat });
    const connected = await client.next((f) => f.command === 'CONNECTED' || f.command === 'ERROR');
    return { client, connected };
  }

  send(command: string, headers: Record<string, string> = {}, body = ''): void {
    this.socket.write(encodeFrame({ command, headers, body }));
  }

  /** The next frame (already received or yet to come) matching `match`. */
  next(match: (f: StompFrame) => boolean = () => true): Promise<StompFrame> {
    const index = this.frames.findIndex(match);
    if (index >= 0) return Promise.resolve(this.frames.splice(index, 1)[0]);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  message(): Promise<StompFrame> {
    return this.next((f) => f.command === 'MESSAGE');
  }

  /** Frames received and not yet taken by `next`. */
  pending(command: string): StompFrame[] {
    return this.frames.filter((f) => f.command === command);
  }

  /** A barrier: the broker answers frames in order, so everything it sent before the RECEIPT is here after it. */
  async sync(id = `sync-${Math.random()}`): Promise<void> {
    this.send('SEND', { destination: '/queue/barrier', receipt: id }, '');
    await this.next((f) => f.command === 'RECEIPT' && f.headers['receipt-id'] === id);
  }

  waitForHeartbeats(count: number): Promise<void> {
    if (this.heartbeats >= count) return Promise.resolve();
    return new Promise((resolve) => this.heartbeatWaiters.push({ count, resolve }));
  }

  subscribe(orgId: number, destination = 'fn_aws_gd', prefetch = 20): void {
    const name = `actions.${orgId}.${destination}`;
    this.send('SUBSCRIBE', { destination: name, id: name, ack: 'client-individual', 'activemq.prefetchSize': String(prefetch) });
  }

  /** Cuts the connection without DISCONNECT, as a crash or network drop would. */
  async destroy(): Promise<void> {
    this.socket.destroy();
    await this.closed;
  }
}
