import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { crc32 } from 'node:zlib';
import type { Caller } from '../accounts/accounts.js';
import { BUCKET_NAME } from './s3-location.js';
import { S3Error } from '../protocol/service-error.js';
import type { S3Operation, S3Route } from './s3-routes.js';
import type { Bucket, S3Object } from '../state/s3-store.js';
import type { EmulatorState } from '../state/state.js';

/**
 * CreateBucket, HeadBucket, PutObject, GetObject and HeadObject, from the S3 model subset, including
 * conditional writes (`If-Match: <etag>` → 412 when the object changed; `If-None-Match: *` → 412
 * when it exists) and reads (If-Match → 412, If-None-Match → 304). A put is checked and applied in
 * one synchronous step, so of two writers holding the same ETag exactly one wins and the other gets
 * 412: what a read-modify-write of a threat list relies on.
 *
 * [I] where the model is silent: `If-Match` on a missing key is 404 NoSuchKey; an `If-None-Match`
 * other than `*` on a put is 501 NotImplemented; a bucket called in another region than its own is
 * 400 AuthorizationHeaderMalformed naming the bucket's region; CreateBucket without
 * LocationConstraint outside us-east-1 is 400 IllegalLocationConstraintException.
 */

export interface S3Request {
  route: S3Route & { operation: S3Operation };
  headers: IncomingHttpHeaders;
  body: Buffer;
  caller: Caller;
  region: string;
}

export interface S3Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

type Handler = (state: EmulatorState, req: S3Request) => S3Answer;

const HANDLERS: Record<S3Operation, Handler> = {
  CreateBucket: createBucket,
  HeadBucket: (state, req) => ok({ 'x-amz-bucket-region': accessibleBucket(state, req).region }),
  PutObject: putObject,
  GetObject: (state, req) => readObject(state, req, true),
  HeadObject: (state, req) => readObject(state, req, false),
};

export function handleS3(state: EmulatorState, req: S3Request): S3Answer {
  return HANDLERS[req.route.operation](state, req);
}

function createBucket(state: EmulatorState, req: S3Request): S3Answer {
  const name = req.route.bucket;
  if (!BUCKET_NAME.test(name) || name.includes('..')) {
    throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: name });
  }
  const existing = state.s3.bucket(name);
  if (existing) {
    if (existing.accountId === req.caller.account.id) {
      throw new S3Error(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: name });
    }
    throw new S3Error(409, 'BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', { BucketName: name });
  }
  const constraint = /<LocationConstraint>([^<]*)<\/LocationConstraint>/.exec(req.body.toString('utf8'))?.[1];
  if (constraint === undefined && req.region !== 'us-east-1') {
    throw new S3Error(400, 'IllegalLocationConstraintException', 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.');
  }
  const region = constraint || 'us-east-1';
  if (region !== req.region) {
    throw new S3Error(400, 'IllegalLocationConstraintException', `The ${region} location constraint is incompatible for the region specific endpoint this request was sent to.`);
  }
  state.s3.create(name, req.caller.account.id, region, state.now());
  return ok({ Location: `/${name}` });
}

function putObject(state: EmulatorState, req: S3Request): S3Answer {
  const bucket = accessibleBucket(state, req);
  const key = req.route.key as string;
  const current = bucket.objects.get(key);
  const ifMatch = header(req, 'if-match');
  const ifNoneMatch = header(req, 'if-none-match');
  if (ifNoneMatch !== undefined && ifNoneMatch !== '*') {
    throw new S3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', { Header: 'If-None-Match' });
  }
  if (ifNoneMatch === '*' && current) throw preconditionFailed('If-None-Match');
  if (ifMatch !== undefined) {
    if (!current) throw noSuchKey(key);
    if (!etagMatches(ifMatch, current.etag)) throw preconditionFailed('If-Match');
  }
  const { body, trailers } = decodeBody(req);
  verifyIntegrity(req, body, trailers);
  const object = state.s3.put(bucket, key, body, header(req, 'content-type') ?? 'binary/octet-stream', state.now());
  return ok({ ETag: object.etag });
}

function readObject(state: EmulatorState, req: S3Request, withBody: boolean): S3Answer {
  const bucket = accessibleBucket(state, req);
  const key = req.route.key as string;
  const object = bucket.objects.get(key);
  if (!object) throw noSuchKey(key);
  const ifMatch = header(req, 'if-match');
  if (ifMatch !== undefined && !etagMatches(ifMatch, object.etag)) throw preconditionFailed('If-Match');
  const ifNoneMatch = header(req, 'if-none-match');
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, object.etag)) return { status: 304, headers: objectHeaders(object), body: '' };
  const headers = { ...objectHeaders(object), 'Content-Type': object.contentType, 'Content-Length': String(object.body.length) };
  return { status: 200, headers, body: withBody ? object.body : '' };
}

/** The bucket of the request, in its own region, that the caller may use (also the expected owner). */
function accessibleBucket(state: EmulatorState, req: S3Request): Bucket {
  const bucket = bucketOf(state, req);
  if (bucket.region !== req.region) {
    throw new S3Error(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${req.region}' is wrong; expecting '${bucket.region}'`, { Region: bucket.region });
  }
  const expectedOwner = header(req, 'x-amz-expected-bucket-owner');
  if (!state.s3.mayAccess(bucket, req.caller.account.id) || (expectedOwner !== undefined && expectedOwner !== bucket.accountId)) {
    throw new S3Error(403, 'AccessDenied', 'Access Denied');
  }
  return bucket;
}

function bucketOf(state: EmulatorState, req: S3Request): Bucket {
  const bucket = state.s3.bucket(req.route.bucket);
  if (!bucket) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: req.route.bucket });
  return bucket;
}

/** `If-Match` may list several ETags, quoted or not, or `*`. */
function etagMatches(condition: string, etag: string): boolean {
  return condition.split(',').map((t) => t.trim()).some((t) => t === '*' || t === etag || `"${t}"` === etag);
}

/**
 * The object's bytes and the trailing headers. The SDK streams bodies as `aws-chunked` (with a
 * checksum trailer) when it cannot compute the checksum up front; the framing is not part of the object.
 */
function decodeBody(req: S3Request): { body: Buffer; trailers: Map<string, string> } {
  const sha = header(req, 'x-amz-content-sha256') ?? '';
  const encoding = header(req, 'content-encoding') ?? '';
  if (!sha.startsWith('STREAMING-') && !encoding.split(',').some((e) => e.trim() === 'aws-chunked')) return { body: req.body, trailers: new Map() };
  const chunks: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = req.body.indexOf('\r\n', at);
    if (eol < 0) throw new S3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
    const size = parseInt(req.body.subarray(at, eol).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isInteger(size) || size < 0) throw new S3Error(400, 'InvalidChunkSizeError', 'Only the last chunk is allowed to have a size less than 8192 bytes');
    if (size === 0) return { body: Buffer.concat(chunks), trailers: parseTrailers(req.body.subarray(eol + 2).toString('latin1')) };
    chunks.push(req.body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

function parseTrailers(text: string): Map<string, string> {
  const trailers = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return trailers;
}

/**
 * S3 refuses a body that does not match the Content-MD5 or the CRC32 checksum the client sent
 * (header or trailer), so a corrupted upload never replaces a list. [I] Other checksum algorithms
 * (CRC32C, CRC64NVME, SHA1, SHA256) are accepted unchecked.
 */
function verifyIntegrity(req: S3Request, body: Buffer, trailers: Map<string, string>): void {
  const md5 = header(req, 'content-md5');
  if (md5 !== undefined && md5 !== createHash('md5').update(body).digest('base64')) {
    throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
  }
  const sent = header(req, 'x-amz-checksum-crc32') ?? trailers.get('x-amz-checksum-crc32');
  if (sent === undefined) return;
  const computed = Buffer.alloc(4);
  computed.writeUInt32BE(crc32(body));
  if (sent !== computed.toString('base64')) throw new S3Error(400, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.');
}

function objectHeaders(object: S3Object): Record<string, string> {
  return { ETag: object.etag, 'Last-Modified': new Date(object.lastModified).toUTCString(), 'Accept-Ranges': 'bytes' };
}

function ok(headers: Record<string, string>): S3Answer {
  return { status: 200, headers, body: '' };
}

function noSuchKey(key: string): S3Error {
  return new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
}

function preconditionFailed(condition: string): S3Error {
  return new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: condition });
}

function header(req: S3Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
