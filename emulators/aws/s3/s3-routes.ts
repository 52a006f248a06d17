import { decodedSegments } from '../protocol/paths.js';
import { virtualHostBucket } from './s3-location.js';

/**
 * S3's REST routes the emulator serves (the operations of s3-2006-03-01-subset.json), in both
 * addressing styles: path-style `/{Bucket}/{Key+}` (what the SDK sends to an IP endpoint or with
 * `forcePathStyle: true`) and virtual-hosted `{Bucket}.host/{Key+}`.
 */

export type S3Operation = 'CreateBucket' | 'HeadBucket' | 'PutObject' | 'GetObject' | 'HeadObject';

export interface S3Route {
  /** Undefined for a request S3 has but the emulator does not (answered 501 NotImplemented). */
  operation: S3Operation | undefined;
  bucket: string;
  key: string | undefined;
  style: 'path' | 'virtual';
}

const BUCKET_OPS: Record<string, S3Operation> = { PUT: 'CreateBucket', HEAD: 'HeadBucket' };
const OBJECT_OPS: Record<string, S3Operation> = { PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject' };
/** Sub-resources (`?acl`, `?tagging`, `?uploads`, …) are other operations; `x-id` is the SDK's hint. */
const IGNORED_QUERY = new Set(['x-id']);

export function matchS3Route(method: string, url: URL, host: string | undefined): S3Route | undefined {
  const hostname = (host ?? '').replace(/:\d+$/, '').toLowerCase();
  const virtual = virtualHostBucket(hostname);
  const segments = decodedSegments(url.pathname);
  if (!segments) return undefined;
  // A key may contain `/`: it is every segment after the bucket's.
  const bucket = virtual ?? segments[0] ?? '';
  if (bucket === '') return undefined;
  const rawKey = (virtual ? segments : segments.slice(1)).join('/');
  const key = rawKey === '' ? undefined : rawKey;
  const plain = [...url.searchParams.keys()].every((k) => IGNORED_QUERY.has(k));
  const operation = plain ? (key === undefined ? BUCKET_OPS : OBJECT_OPS)[method] : undefined;
  return { operation, bucket, key, style: virtual ? 'virtual' : 'path' };
}
