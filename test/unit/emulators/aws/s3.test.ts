import {
  CreateBucketCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator } from '../../../../emulators/aws/index.js';
import { fakeAuthorization } from './raw-http.js';

const OWNER = '111111111111';
const OTHER = '333333333333';
const ownerKey = { accessKeyId: 'AKIAOWNER00000000001', secretAccessKey: 'x' };
const otherKey = { accessKeyId: 'AKIAOTHER00000000001', secretAccessKey: 'x' };

function s3(url: string, credentials = ownerKey, region = 'us-east-1', forcePathStyle = true): S3Client {
  return new S3Client({ endpoint: url, region, credentials, forcePathStyle, maxAttempts: 3 });
}

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof S3ServiceException)) throw new Error(`expected an S3 error, got ${String(err)}`);
  return err;
}

const md5 = (text: string) => `"${createHash('md5').update(text).digest('hex')}"`;

describe('S3 through the real @aws-sdk/client-s3', () => {
  let emu: AwsEmulator;
  let owner: S3Client;
  let bucketSeq = 0;
  let bucket: string;

  beforeAll(async () => {
    emu = await startAwsEmulator({
      seed: 5,
      accounts: [
        { accountId: OWNER, accessKeys: [ownerKey.accessKeyId], regions: ['us-east-1', 'eu-west-1'] },
        { accountId: OTHER, accessKeys: [otherKey.accessKeyId], regions: ['us-east-1'] },
      ],
    });
    owner = s3(emu.url);
  });

  /** node:http, because fetch does not let a caller set the Host header. */
  const rawS3 = (method: string, path: string, headers: Record<string, string>) => new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: emu.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
  afterAll(() => emu.close());
  beforeEach(() => {
    emu.clearFaults();
    bucket = `soar-lists-${++bucketSeq}`;
    emu.createBucket({ name: bucket, account: OWNER });
  });

  it('puts, heads and gets an object with its quoted-MD5 ETag, path-style and by IP endpoint', async () => {
    const put = await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'lists/threats.txt', Body: '198.51.100.7\n', ContentType: 'text/plain' }));
    expect(put.ETag).toBe(md5('198.51.100.7\n'));
    const head = await owner.send(new HeadObjectCommand({ Bucket: bucket, Key: 'lists/threats.txt' }));
    expect(head).toMatchObject({ ETag: put.ETag, ContentLength: 13, ContentType: 'text/plain' });
    expect(head.LastModified).toBeInstanceOf(Date);
    const got = await owner.send(new GetObjectCommand({ Bucket: bucket, Key: 'lists/threats.txt' }));
    expect(await got.Body!.transformToString()).toBe('198.51.100.7\n');
    expect(got.ETag).toBe(put.ETag);
    // Without forcePathStyle the SDK still addresses an IP endpoint path-style.
    const byIp = s3(emu.url, ownerKey, 'us-east-1', false);
    expect(await (await byIp.send(new GetObjectCommand({ Bucket: bucket, Key: 'lists/threats.txt' }))).Body!.transformToString()).toBe('198.51.100.7\n');
    expect(emu.getObjectText(bucket, 'lists/threats.txt')).toEqual({ text: '198.51.100.7\n', etag: put.ETag });
    expect(emu.calls().counts).toMatchObject({ 's3:PutObject': 1, 's3:HeadObject': 1, 's3:GetObject': 2 });
  });

  it('stores a streamed body (aws-chunked with a checksum trailer) without its framing, and keys with spaces and unicode', async () => {
    const text = 'a'.repeat(70_000);
    const key = 'dir/ä b+c.txt';
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Readable.from([Buffer.from(text)]), ContentLength: text.length }));
    expect(emu.getObjectText(bucket, key)).toEqual({ text, etag: md5(text) });
    expect(emu.listObjects(bucket).map((o) => [o.key, o.size])).toEqual([[key, 70_000]]);
  });

  it('refuses a body that does not match its Content-MD5 or CRC32, and keeps the object', async () => {
    emu.putObjectText(bucket, 'k', 'original');
    const signed = { authorization: fakeAuthorization(ownerKey.accessKeyId, 'us-east-1', 's3'), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
    const put = (headers: Record<string, string>) => fetch(`${emu.url}/${bucket}/k`, { method: 'PUT', headers: { ...signed, ...headers }, body: 'tampered' });
    const badMd5 = await put({ 'content-md5': createHash('md5').update('other').digest('base64') });
    expect([badMd5.status, await badMd5.text()]).toEqual([400, expect.stringContaining('<Code>BadDigest</Code>')]);
    const badCrc = await put({ 'x-amz-checksum-crc32': 'AAAAAA==' });
    expect(badCrc.status).toBe(400);
    expect(emu.getObjectText(bucket, 'k')?.text).toBe('original');
    // The SDK's own checksums (header or aws-chunked trailer) are right, so its puts pass.
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'from the sdk', ChecksumAlgorithm: 'CRC32' }));
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'k2', Body: Readable.from([Buffer.from('streamed')]), ContentLength: 8, ChecksumAlgorithm: 'CRC32' }));
    expect([emu.getObjectText(bucket, 'k')?.text, emu.getObjectText(bucket, 'k2')?.text]).toEqual(['from the sdk', 'streamed']);
  });

  it('writes conditionally: If-None-Match * creates once, If-Match wins with the current ETag and loses a race with 412', async () => {
    const key = 'threats.txt';
    const created = await owner.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '', IfNoneMatch: '*' }));
    const exists = await failure(owner.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x', IfNoneMatch: '*' })));
    expect(exists.$metadata.httpStatusCode).toBe(412);
    expect(exists.name).toBe('PreconditionFailed');

    // Two writers read the same ETag; both write conditionally on it: exactly one wins.
    const writers = ['203.0.113.1\n', '203.0.113.2\n'].map((body) => owner.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, IfMatch: created.ETag })));
    const results = await Promise.allSettled(writers);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason as S3ServiceException;
    expect([lost.name, lost.$metadata.httpStatusCode]).toEqual(['PreconditionFailed', 412]);
    const winner = emu.getObjectText(bucket, key)!;
    expect(['203.0.113.1\n', '203.0.113.2\n']).toContain(winner.text);
    // The loser re-reads and retries on the new ETag.
    const retried = await owner.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${winner.text}198.51.100.9\n`, IfMatch: winner.etag }));
    expect(retried.ETag).toBe(md5(`${winner.text}198.51.100.9\n`));

    const missing = await failure(owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'nope.txt', Body: 'x', IfMatch: created.ETag })));
    expect(missing.name).toBe('NoSuchKey');
  });

  it('reads conditionally: If-Match mismatch is 412, If-None-Match on the current ETag is 304', async () => {
    const put = await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v' }));
    expect((await failure(owner.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', IfMatch: '"0123"' })))).$metadata.httpStatusCode).toBe(412);
    expect((await failure(owner.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k', IfNoneMatch: put.ETag })))).$metadata.httpStatusCode).toBe(304);
    expect(await (await owner.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', IfMatch: put.ETag }))).Body!.transformToString()).toBe('v');
  });

  it('answers NoSuchKey and NoSuchBucket in restXml, and HEAD with the status only', async () => {
    const noKey = await failure(owner.send(new GetObjectCommand({ Bucket: bucket, Key: 'absent.txt' })));
    expect([noKey.name, noKey.$metadata.httpStatusCode]).toEqual(['NoSuchKey', 404]);
    const noBucket = await failure(owner.send(new PutObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k', Body: 'x' })));
    expect(noBucket.name).toBe('NoSuchBucket');
    expect((await failure(owner.send(new HeadObjectCommand({ Bucket: bucket, Key: 'absent.txt' })))).name).toBe('NotFound');

    const raw = await fetch(`${emu.url}/${bucket}/absent.txt`, { headers: { authorization: fakeAuthorization(ownerKey.accessKeyId, 'us-east-1', 's3') } });
    expect(raw.status).toBe(404);
    expect(raw.headers.get('x-amz-request-id')).toMatch(/^[0-9A-F]{16}$/);
    const xml = await raw.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>absent.txt<\/Key><RequestId>[0-9A-F]{16}<\/RequestId><HostId>/);
  });

  it("keeps buckets per account and region: another account is denied unless the bucket's policy allows it", async () => {
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v' }));
    const other = s3(emu.url, otherKey);
    const denied = await failure(other.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })));
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    const shared = `shared-${bucketSeq}`;
    emu.createBucket({ name: shared, account: OWNER, allowAccounts: [OTHER] });
    await other.send(new PutObjectCommand({ Bucket: shared, Key: 'k', Body: 'from other' }));
    expect(emu.getObjectText(shared, 'k')?.text).toBe('from other');
    // ExpectedBucketOwner guards against a bucket that changed hands.
    expect((await failure(other.send(new GetObjectCommand({ Bucket: shared, Key: 'k', ExpectedBucketOwner: OTHER })))).name).toBe('AccessDenied');
    // A bucket answers only in its own region.
    const wrongRegion = await failure(s3(emu.url, ownerKey, 'eu-west-1').send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })));
    expect([wrongRegion.name, wrongRegion.$metadata.httpStatusCode]).toEqual(['AuthorizationHeaderMalformed', 400]);
  });

  it('creates buckets with a location constraint; names are global', async () => {
    const eu = s3(emu.url, ownerKey, 'eu-west-1');
    await eu.send(new CreateBucketCommand({ Bucket: `eu-lists-${bucketSeq}`, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    expect((await eu.send(new HeadBucketCommand({ Bucket: `eu-lists-${bucketSeq}` }))).BucketRegion).toBe('eu-west-1');
    // The SDK adds the client's region as LocationConstraint; a request without one outside us-east-1 is refused.
    const bare = await rawS3('PUT', `/eu-other-${bucketSeq}`, { authorization: fakeAuthorization(ownerKey.accessKeyId, 'eu-west-1', 's3') });
    expect([bare.status, bare.body]).toEqual([400, expect.stringContaining('<Code>IllegalLocationConstraintException</Code>')]);
    expect((await failure(owner.send(new CreateBucketCommand({ Bucket: bucket })))).name).toBe('BucketAlreadyOwnedByYou');
    expect((await failure(s3(emu.url, otherKey).send(new CreateBucketCommand({ Bucket: bucket })))).name).toBe('BucketAlreadyExists');
    expect((await failure(owner.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })))).name).toBe('InvalidBucketName');
    expect(emu.buckets().find((b) => b.name === `eu-lists-${bucketSeq}`)).toMatchObject({ accountId: OWNER, region: 'eu-west-1' });
  });

  it('serves a virtual-hosted request by its Host header', async () => {
    emu.putObjectText(bucket, 'v.txt', 'virtual');
    for (const host of [`${bucket}.s3.us-east-1.amazonaws.com`, `${bucket}.localhost:${emu.port}`]) {
      const res = await rawS3('GET', '/v.txt', { host, authorization: fakeAuthorization(ownerKey.accessKeyId, 'us-east-1', 's3') });
      expect([res.status, res.body], host).toEqual([200, 'virtual']);
    }
  });

  it('answers a malformed path escape with an error, not an emulator failure', async () => {
    const s3Res = await fetch(`${emu.url}/${bucket}/bad%E0%A4%A`, { headers: { authorization: fakeAuthorization(ownerKey.accessKeyId, 'us-east-1', 's3') } });
    expect([s3Res.status, await s3Res.text()]).toEqual([501, expect.stringContaining('<Code>NotImplemented</Code>')]);
    const gdRes = await fetch(`${emu.url}/detector/%ZZ`, { headers: { authorization: fakeAuthorization(ownerKey.accessKeyId, 'us-east-1', 'guardduty') } });
    expect(gdRes.status).toBe(404);
  });

  it('requires SigV4 and applies the fault rules, by operation', async () => {
    const unsigned = await fetch(`${emu.url}/${bucket}/k`, { method: 'PUT', body: 'x' });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>AccessDenied</Code>');
    const unknownKey = await failure(s3(emu.url, { accessKeyId: 'AKIANOBODY0000000001', secretAccessKey: 'x' }).send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })));
    expect(unknownKey.name).toBe('InvalidAccessKeyId');

    emu.resetCalls();
    emu.setFault({ service: 's3', operation: 'PutObject', failNext: 1 });
    const put = await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'after a SlowDown' }));
    expect(put.ETag).toBe(md5('after a SlowDown'));
    expect(emu.calls().counts['s3:PutObject']).toBe(2);

    // A conditional put that took effect but whose answer was lost: the SDK's retry gets 412.
    emu.setFault({ service: 's3', operation: 'PutObject', failNext: 1, statuses: [500], mode: 'after' });
    const replay = await failure(owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'next', IfMatch: put.ETag })));
    expect(replay.name).toBe('PreconditionFailed');
    expect(emu.getObjectText(bucket, 'k')?.text).toBe('next');
  });

  it('serves buckets and objects over the admin API', async () => {
    const admin = (path: string, init?: RequestInit) => fetch(`${emu.url}/__admin/${path}`, init).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const name = `admin-${bucketSeq}`;
    expect((await admin('s3-buckets', { method: 'POST', body: JSON.stringify({ name, account: OTHER }) })).body.bucket).toMatchObject({ name, accountId: OTHER, region: 'us-east-1' });
    const written = await admin('s3-objects', { method: 'PUT', body: JSON.stringify({ bucket: name, key: 'a.txt', text: '192.0.2.1\n' }) });
    expect(written.body.object).toMatchObject({ key: 'a.txt', etag: md5('192.0.2.1\n'), size: 10 });
    expect((await admin(`s3-object?bucket=${name}&key=a.txt`)).body).toEqual({ text: '192.0.2.1\n', etag: md5('192.0.2.1\n') });
    expect((await admin(`s3-object?bucket=${name}&key=b.txt`)).status).toBe(404);
    expect(((await admin(`s3-objects?bucket=${name}`)).body.objects as unknown[]).length).toBe(1);
    expect((await admin('s3-buckets', { method: 'POST', body: JSON.stringify({ name }) })).status).toBe(400);
  });
});
