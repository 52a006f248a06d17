import { createHash } from 'node:crypto';

/**
 * S3 buckets and objects. A bucket name is global (one owner), a bucket lives in one region, and only
 * its owner may read or write it unless its policy grants another account ([I]: the emulator's
 * "policy" is just a list of account ids allowed full access, seeded via the admin API).
 */

export interface S3Object {
  body: Buffer;
  /** Quoted lowercase MD5 hex, as S3 sends it for a single-part upload. */
  etag: string;
  /** Epoch ms (emulator clock). */
  lastModified: number;
  contentType: string;
}

export interface Bucket {
  name: string;
  accountId: string;
  region: string;
  createdAt: number;
  /** Accounts other than the owner that the bucket policy allows (s3:GetObject and s3:PutObject). */
  allowAccounts: Set<string>;
  objects: Map<string, S3Object>;
}

function etagOf(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

export class S3Store {
  private readonly buckets = new Map<string, Bucket>();

  bucket(name: string): Bucket | undefined {
    return this.buckets.get(name);
  }

  all(): Bucket[] {
    return [...this.buckets.values()];
  }

  /** Creates the bucket; the caller checks the name and that it is free. */
  create(name: string, accountId: string, region: string, createdAt: number, allowAccounts: readonly string[] = []): Bucket {
    const bucket: Bucket = { name, accountId, region, createdAt, allowAccounts: new Set(allowAccounts), objects: new Map() };
    this.buckets.set(name, bucket);
    return bucket;
  }

  put(bucket: Bucket, key: string, body: Buffer, contentType: string, now: number): S3Object {
    const object: S3Object = { body, etag: etagOf(body), lastModified: now, contentType };
    bucket.objects.set(key, object);
    return object;
  }

  /** Whether an account may read and write the bucket's objects. */
  mayAccess(bucket: Bucket, accountId: string): boolean {
    return bucket.accountId === accountId || bucket.allowAccounts.has(accountId);
  }
}
