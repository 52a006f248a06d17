import { createHash } from 'node:crypto';
import { badRequest } from './service-error.js';

/**
 * ListFindings pagination. [I] Later pages read a SNAPSHOT of the matching ids taken when the first
 * page was served (findings that change afterwards keep their place; deleted ones are simply absent
 * from GetFindings). AWS does not document which it does; a snapshot keeps paging stable, and the
 * daemon must cope with either.
 *
 * The nextToken is opaque to clients: base64url of {snapshot id, offset, hash of the query}. A token
 * presented with different criteria, sort or maxResults is rejected as AWS does ("Input Query has
 * changed", quoted in an Elastic integration issue; the exact AWS wording is [I]).
 */

interface Snapshot {
  ids: string[];
  queryHash: string;
  scope: string;
}

interface TokenBody {
  s: string;
  o: number;
  h: string;
}

export interface Page {
  ids: string[];
  nextToken: string | undefined;
}

export class ListingSnapshots {
  private readonly snapshots = new Map<string, Snapshot>();

  /** Snapshots are kept in insertion order and the oldest dropped beyond `capacity`, bounding memory. */
  constructor(private readonly newId: () => string, private readonly capacity = 200) {}

  firstPage(ids: string[], queryHash: string, scope: string, pageSize: number): Page {
    const id = this.newId();
    this.snapshots.set(id, { ids, queryHash, scope });
    while (this.snapshots.size > this.capacity) {
      const oldest = this.snapshots.keys().next().value;
      if (oldest === undefined) break;
      this.snapshots.delete(oldest);
    }
    return this.slice(id, 0, pageSize);
  }

  nextPage(token: string, queryHash: string, scope: string, pageSize: number): Page {
    const body = decodeToken(token);
    const snapshot = this.snapshots.get(body.s);
    if (!snapshot || snapshot.scope !== scope) {
      throw badRequest('The request is rejected because the input nextToken is invalid or has expired.');
    }
    if (body.h !== queryHash || snapshot.queryHash !== queryHash) {
      throw badRequest('The request is rejected because the nextToken does not match the request: Input Query has changed.');
    }
    return this.slice(body.s, body.o, pageSize);
  }

  private slice(id: string, offset: number, pageSize: number): Page {
    const snapshot = this.snapshots.get(id) as Snapshot;
    const ids = snapshot.ids.slice(offset, offset + pageSize);
    const next = offset + pageSize;
    // The snapshot outlives its last page: a retried request (after a lost response) must still work.
    if (next >= snapshot.ids.length) return { ids, nextToken: undefined };
    return { ids, nextToken: encodeToken({ s: id, o: next, h: snapshot.queryHash }) };
  }
}

/** A hash of everything that defines a listing; key order does not matter. */
export function queryHash(parts: unknown): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('hex').slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function encodeToken(body: TokenBody): string {
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

function decodeToken(token: string): TokenBody {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenBody>;
    if (typeof parsed.s === 'string' && typeof parsed.o === 'number' && typeof parsed.h === 'string') {
      return { s: parsed.s, o: parsed.o, h: parsed.h };
    }
  } catch {
    // fall through: not one of ours
  }
  throw badRequest('The request is rejected because the input nextToken is invalid or has expired.');
}

/** ListDetectors' token: a plain offset (its listing is at most one detector per region). */
export function offsetToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

export function parseOffsetToken(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through
  }
  throw badRequest('The request is rejected because the input nextToken is invalid.');
}
