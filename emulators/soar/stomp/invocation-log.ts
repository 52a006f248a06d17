import { EventEmitter } from 'node:events';

/**
 * Every function invocation the emulated SOAR sent, and what the app answered: status messages
 * (`complete:false`), final replies (`complete:true`), ACKs and deliveries. A test reads an
 * invocation's outcome here; a second final reply is kept (so a test can assert there is exactly one).
 */

export interface ReplyRecord {
  at: number;
  /** The parsed JSON body; the raw text when it is not JSON. */
  body: unknown;
  /** The body as sent, for what parsing loses (a float written `8.0` parses as 8). */
  text: string;
  headers: Record<string, string>;
}

export interface AckRecord {
  at: number;
  ackId: string;
  /** Which delivery (1 = the first) the ACK answered. */
  delivery: number;
  /** `NACK` frames are recorded too; they do not settle the message. */
  command: 'ACK' | 'NACK' | 'auto';
}

export interface InvocationRecord {
  id: string;
  number: number;
  function: string;
  destination: string;
  incidentId: number | null;
  inputs: Record<string, unknown>;
  createdAt: number;
  messageId: string;
  statusMessages: ReplyRecord[];
  finalReplies: ReplyRecord[];
  acks: AckRecord[];
  deliveries: number;
}

export type InvocationStatus = 'pending' | 'done' | 'error';

/** What `GET /__admin/functions/invocations/{id}` answers. */
export interface InvocationView {
  invocationId: string;
  function: string;
  incidentId: number | null;
  destination: string;
  messageId: string;
  status: InvocationStatus;
  /** The status messages' texts, in order. */
  messages: string[];
  /** The first final reply's body; null while pending. */
  result: unknown;
  /** The first final reply's body as sent (JSON text); null while pending. */
  resultText: string | null;
  acked: boolean;
  deliveries: number;
  finalReplies: number;
  acks: AckRecord[];
  inputs: Record<string, unknown>;
}

export interface WaitOptions {
  timeoutMs?: number;
  /** Also wait for the ACK (default true: the daemon always ACKs, before or after its final reply). */
  acked?: boolean;
}

export class InvocationLog {
  private readonly records = new Map<string, InvocationRecord>();
  private readonly events = new EventEmitter();
  private nextNumber = 1;
  /** Replies whose correlation-id matches no invocation, and SENDs to other destinations. */
  readonly strayReplies: (ReplyRecord & { destination: string })[] = [];

  constructor(private readonly now: () => number) {
    this.events.setMaxListeners(0);
  }

  allocateNumber(): number {
    return this.nextNumber++;
  }

  add(record: InvocationRecord): void {
    this.records.set(record.id, record);
    this.changed(record);
  }

  get(id: string): InvocationRecord | undefined {
    return this.records.get(id);
  }

  list(): InvocationRecord[] {
    return [...this.records.values()];
  }

  /** A SEND to an `acks.` queue: a status message or a final reply, matched by correlation-id. */
  recordReply(destination: string, headers: Record<string, string>, text: string): void {
    const body = parseJson(text);
    const reply: ReplyRecord = { at: this.now(), body, text, headers: { ...headers } };
    const record = this.records.get(headers['correlation-id'] ?? '');
    if (!record) {
      this.strayReplies.push({ ...reply, destination });
      return;
    }
    const complete = typeof body === 'object' && body !== null && (body as { complete?: unknown }).complete === true;
    (complete ? record.finalReplies : record.statusMessages).push(reply);
    this.changed(record);
  }

  recordAck(record: InvocationRecord, ack: Omit<AckRecord, 'at'>): void {
    record.acks.push({ ...ack, at: this.now() });
    this.changed(record);
  }

  recordDelivery(record: InvocationRecord): number {
    record.deliveries++;
    this.changed(record);
    return record.deliveries;
  }

  view(record: InvocationRecord): InvocationView {
    const final = record.finalReplies[0];
    return {
      invocationId: record.id,
      function: record.function,
      incidentId: record.incidentId,
      destination: record.destination,
      messageId: record.messageId,
      status: statusOf(record),
      messages: record.statusMessages.map((r) => messageText(r.body)),
      result: final ? final.body : null,
      resultText: final ? final.text : null,
      acked: isAcked(record),
      deliveries: record.deliveries,
      finalReplies: record.finalReplies.length,
      acks: record.acks.map((a) => ({ ...a })),
      inputs: record.inputs,
    };
  }

  /** Resolves when the invocation has its final reply (and its ACK, unless `acked: false`); no polling. */
  wait(id: string, options: WaitOptions = {}): Promise<InvocationView> {
    const { timeoutMs = 10_000, acked = true } = options;
    const settled = (): InvocationView | undefined => {
      const record = this.records.get(id);
      if (!record) return undefined;
      return statusOf(record) !== 'pending' && (!acked || isAcked(record)) ? this.view(record) : undefined;
    };
    const now = settled();
    if (now) return Promise.resolve(now);
    if (!this.records.has(id)) return Promise.reject(new Error(`No invocation ${id}`));
    return new Promise((resolve, reject) => {
      const onChange = (changed: string): void => {
        if (changed !== id) return;
        const view = settled();
        if (!view) return;
        cleanup();
        resolve(view);
      };
      const timer = setTimeout(() => {
        cleanup();
        const record = this.records.get(id);
        reject(new Error(`Invocation ${id} not settled within ${timeoutMs} ms: ${JSON.stringify(record ? this.view(record) : null)}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.events.off('change', onChange);
      };
      this.events.on('change', onChange);
    });
  }

  clear(): void {
    this.records.clear();
    this.strayReplies.length = 0;
    this.nextNumber = 1;
  }

  private changed(record: InvocationRecord): void {
    this.events.emit('change', record.id);
  }
}

function statusOf(record: InvocationRecord): InvocationStatus {
  const final = record.finalReplies[0];
  if (!final) return 'pending';
  const type = typeof final.body === 'object' && final.body !== null ? (final.body as { message_type?: unknown }).message_type : undefined;
  return type === 1 ? 'error' : 'done';
}

function isAcked(record: InvocationRecord): boolean {
  return record.acks.some((a) => a.command !== 'NACK');
}

function messageText(body: unknown): string {
  if (typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string') return (body as { message: string }).message;
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
