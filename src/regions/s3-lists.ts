import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ExternalServiceError } from '../core/errors.js';

/**
 * The plain-text list objects behind IPSets and ThreatIntelSets, read and written in S3 with the
 * credentials of the detector's account (the same clients, proxy and timeouts as GuardDuty's).
 * Writes are conditional on the ETag read, so two responders editing one list never lose a change:
 * the loser is told so and reads again. SDK types stay in here.
 */

/** The object a list's `location` names; `region` when the URL names one. */
export interface S3ObjectRef {
  bucket: string;
  key: string;
  region: string | undefined;
}

/** A list object as read: its text and its ETag (quoted, as S3 sends it). */
export interface ListObject {
  text: string;
  etag: string;
}

/** What a conditional write answers: the new ETag, or `conflict` when the object changed since it was read. */
export type ListWrite = { etag: string } | 'conflict';

export interface ListObjectsApi {
  /** S3 GetObject of a list's location: undefined when the key does not exist. */
  readListObject(region: string, location: string): Promise<ListObject | undefined>;
  /**
   * S3 PutObject of a list's location, only if it still has the ETag `expected` (`If-Match`), or,
   * with `expected` undefined, only if it does not exist yet (`If-None-Match: *`).
   */
  writeListObject(region: string, location: string, text: string, expected: string | undefined): Promise<ListWrite>;
}

const BUCKET = '([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])';
const REGION = '(?:[.-]([a-z]{2}(?:-[a-z]+)+-\\d))?';
const VIRTUAL_HOSTED = new RegExp(`^https://${BUCKET}\\.s3${REGION}\\.amazonaws\\.com/(.+)$`);
const PATH_STYLE = new RegExp(`^https://s3${REGION}\\.amazonaws\\.com/${BUCKET}/(.+)$`);
const S3_URI = new RegExp(`^s3://${BUCKET}/(.+)$`);

/** A location in one of the forms GuardDuty takes (S3 URI, virtual-hosted or path-style URL); undefined otherwise. */
export function parseS3Location(location: string): S3ObjectRef | undefined {
  const uri = S3_URI.exec(location);
  if (uri?.[1] && uri[2]) return { bucket: uri[1], key: uri[2], region: undefined };
  const hosted = VIRTUAL_HOSTED.exec(location);
  if (hosted?.[1] && hosted[3]) return { bucket: hosted[1], key: decodeKey(hosted[3]), region: hosted[2] };
  const path = PATH_STYLE.exec(location);
  if (path?.[2] && path[3]) return { bucket: path[2], key: decodeKey(path[3]), region: path[1] };
  return undefined;
}

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/** One S3 call as the source makes every AWS call: counted, observed, failures as `ExternalServiceError`. */
export type S3Call = <T extends { $metadata: { httpStatusCode?: number; attempts?: number } }>(
  operation: string, region: string, send: () => Promise<T>,
) => Promise<T>;

/** `ListObjectsApi` over the AWS SDK's S3 client; the source gives it its clients and its call wrapper. */
export class S3ListObjects implements ListObjectsApi {
  constructor(private readonly s3: (region: string) => S3Client, private readonly call: S3Call) {}

  async readListObject(region: string, location: string): Promise<ListObject | undefined> {
    const ref = objectRef(location);
    const where = ref.region ?? region;
    try {
      const out = await this.call('GetObject', where, () => this.s3(where).send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key })));
      return { text: (await out.Body?.transformToString('utf-8')) ?? '', etag: out.ETag ?? '' };
    } catch (err) {
      if (err instanceof ExternalServiceError && (err.code === 'NoSuchKey' || err.status === 404)) return undefined;
      throw err;
    }
  }

  async writeListObject(region: string, location: string, text: string, expected: string | undefined): Promise<ListWrite> {
    const ref = objectRef(location);
    const where = ref.region ?? region;
    const condition = expected === undefined ? { IfNoneMatch: '*' } : { IfMatch: expected };
    try {
      const out = await this.call('PutObject', where, () => this.s3(where).send(new PutObjectCommand({
        Bucket: ref.bucket, Key: ref.key, Body: text, ContentType: 'text/plain; charset=utf-8', ...condition,
      })));
      return { etag: out.ETag ?? '' };
    } catch (err) {
      // 412: the ETag moved (or the key appeared); 409: S3 saw a concurrent conditional write to the
      // key; 404: the object read was deleted since. Each time the caller reads again.
      if (err instanceof ExternalServiceError && (err.status === 412 || err.status === 409 || err.status === 404)) return 'conflict';
      throw err;
    }
  }
}

function objectRef(location: string): S3ObjectRef {
  const ref = parseS3Location(location);
  if (!ref) throw new Error(`Not an S3 object URL GuardDuty takes: ${JSON.stringify(location)}`);
  return ref;
}
