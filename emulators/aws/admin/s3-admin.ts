import { AdminError } from './control-types.js';
import { BUCKET_NAME } from '../s3/s3-location.js';
import type { Bucket, S3Object } from '../state/s3-store.js';
import type { EmulatorState } from '../state/state.js';

/** The S3 side of the control surface: buckets and objects seeded and read by tests, as text. */

export interface BucketSpec {
  name: string;
  /** Default: the first account. */
  account?: string;
  /** Default us-east-1. */
  region?: string;
  /** Other accounts the bucket policy lets read and write objects. */
  allowAccounts?: string[];
}

export interface BucketSummary {
  name: string;
  accountId: string;
  region: string;
  allowAccounts: string[];
  objects: number;
}

export interface ObjectSummary {
  key: string;
  etag: string;
  size: number;
  contentType: string;
  /** ISO time (emulator clock). */
  lastModified: string;
}

export interface ObjectText {
  text: string;
  etag: string;
}

export function createBucket(state: EmulatorState, spec: BucketSpec, defaultAccount: string): BucketSummary {
  if (!BUCKET_NAME.test(spec.name)) throw new AdminError(400, `invalid bucket name ${spec.name}: 3-63 lowercase letters, digits, dots and hyphens`);
  if (state.s3.bucket(spec.name)) throw new AdminError(400, `bucket ${spec.name} already exists`);
  const account = spec.account ?? defaultAccount;
  if (!state.accounts.get(account)) throw new AdminError(400, `no account ${account}`);
  return summary(state.s3.create(spec.name, account, spec.region ?? 'us-east-1', state.now(), spec.allowAccounts));
}

export function putObjectText(state: EmulatorState, bucketName: string, key: string, text: string, contentType = 'text/plain'): ObjectSummary {
  const bucket = existing(state, bucketName);
  if (key === '') throw new AdminError(400, 'the object key is empty');
  return objectSummary(key, state.s3.put(bucket, key, Buffer.from(text, 'utf8'), contentType, state.now()));
}

export function getObjectText(state: EmulatorState, bucketName: string, key: string): ObjectText | undefined {
  const object = existing(state, bucketName).objects.get(key);
  return object ? { text: object.body.toString('utf8'), etag: object.etag } : undefined;
}

export function listObjects(state: EmulatorState, bucketName: string, prefix = ''): ObjectSummary[] {
  return [...existing(state, bucketName).objects.entries()]
    .filter(([key]) => key.startsWith(prefix))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, object]) => objectSummary(key, object));
}

export function bucketSummaries(state: EmulatorState): BucketSummary[] {
  return state.s3.all().map(summary);
}

function existing(state: EmulatorState, name: string): Bucket {
  const bucket = state.s3.bucket(name);
  if (!bucket) throw new AdminError(404, `no bucket ${name}`);
  return bucket;
}

function summary(bucket: Bucket): BucketSummary {
  return { name: bucket.name, accountId: bucket.accountId, region: bucket.region, allowAccounts: [...bucket.allowAccounts], objects: bucket.objects.size };
}

function objectSummary(key: string, object: S3Object): ObjectSummary {
  return { key, etag: object.etag, size: object.body.length, contentType: object.contentType, lastModified: new Date(object.lastModified).toISOString() };
}
