/**
 * Every REST request the emulator received (retries included), counted by normalized operation,
 * e.g. `POST /incidents` or `POST /incidents/{id}/table_data/{table}/row_data`.
 */
export interface CallRecord {
  operation: string;
  method: string;
  path: string;
  /** The status answered; undefined for a connection reset. */
  status: number | undefined;
  /** The API key id or user email, when the request authenticated. */
  principal: string | undefined;
  /** Epoch ms (emulator clock) when the answer was about to be sent (never after: see http/server.ts). */
  at: number;
}

export interface CallsSnapshot {
  /** Operation → requests. */
  counts: Record<string, number>;
  /** The latest requests (bounded), oldest first. */
  records: CallRecord[];
}

const MAX_RECORDS = 20_000;

export class CallLog {
  private counts = new Map<string, number>();
  private records: CallRecord[] = [];

  record(call: CallRecord): void {
    this.counts.set(call.operation, (this.counts.get(call.operation) ?? 0) + 1);
    this.records.push(call);
    // Trim in chunks so a 100k-call benchmark does not splice on every request.
    if (this.records.length > MAX_RECORDS * 1.5) this.records = this.records.slice(-MAX_RECORDS);
  }

  count(operation: string): number {
    return this.counts.get(operation) ?? 0;
  }

  snapshot(): CallsSnapshot {
    const records = this.records.slice(-MAX_RECORDS).map((r) => ({ ...r }));
    return { counts: Object.fromEntries(this.counts), records };
  }

  reset(): void {
    this.counts = new Map();
    this.records = [];
  }
}
