import type { AwsService } from '../protocol/wire.js';

/**
 * Every HTTP request the AWS front ends received, i.e. every SDK attempt (retries included), counted
 * by `service:Operation` and by access key. The `amz-sdk-request` header's attempt number is kept so
 * tests can assert the SDK's retries.
 */
export interface CallRecord {
  service: AwsService;
  operation: string;
  region: string | undefined;
  accessKeyId: string | undefined;
  /** From `amz-sdk-request: attempt=N; max=M`. */
  attempt: number | undefined;
  /** `amz-sdk-invocation-id`: the same for every attempt of one SDK call. */
  invocationId: string | undefined;
  /** The status answered; undefined for a connection reset. */
  status: number | undefined;
  /** Epoch ms (emulator clock). */
  at: number;
}

export interface CallsSnapshot {
  /** `guardduty:ListFindings` → requests. */
  counts: Record<string, number>;
  /** access key → `service:Operation` → requests. */
  byAccessKey: Record<string, Record<string, number>>;
  /** The latest requests (bounded), oldest first. */
  records: CallRecord[];
}

const MAX_RECORDS = 20_000;

export class CallLog {
  private counts = new Map<string, number>();
  private byKey = new Map<string, Map<string, number>>();
  private records: CallRecord[] = [];

  record(call: CallRecord): CallRecord {
    const key = `${call.service}:${call.operation}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (call.accessKeyId) {
      const perKey = this.byKey.get(call.accessKeyId) ?? new Map<string, number>();
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
      this.byKey.set(call.accessKeyId, perKey);
    }
    this.records.push(call);
    if (this.records.length > MAX_RECORDS) this.records.splice(0, this.records.length - MAX_RECORDS);
    return call;
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  snapshot(): CallsSnapshot {
    const byAccessKey: Record<string, Record<string, number>> = {};
    for (const [k, m] of this.byKey) byAccessKey[k] = Object.fromEntries(m);
    return { counts: Object.fromEntries(this.counts), byAccessKey, records: this.records.map((r) => ({ ...r })) };
  }

  reset(): void {
    this.counts = new Map();
    this.byKey = new Map();
    this.records = [];
  }
}
