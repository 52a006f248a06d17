/**
 * The S3 object a threat list's `location` names. GuardDuty reads the list from S3, so the location
 * must be an S3 object URL; the emulator resolves it against its own S3 store by bucket and key,
 * whatever the host (its own address is never a valid location, as it would not be in AWS).
 *
 * Accepted forms ([I]: GuardDuty documents only "the URI of the file"; these are the S3 URI the
 * console copies and S3's virtual-hosted and path-style object URLs):
 * - `s3://bucket/key`
 * - `https://bucket.s3.amazonaws.com/key`, `https://bucket.s3.<region>.amazonaws.com/key`,
 *   `https://bucket.s3-<region>.amazonaws.com/key`
 * - `https://s3.amazonaws.com/bucket/key`, `https://s3.<region>.amazonaws.com/bucket/key`,
 *   `https://s3-<region>.amazonaws.com/bucket/key`
 */

export interface S3Location {
  bucket: string;
  key: string;
}

/** S3's bucket naming rules: 3–63 lowercase letters, digits, dots and hyphens, alphanumeric at both ends. */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d';
const VIRTUAL_HOST = new RegExp(`^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\\.s3(?:[.-]${REGION})?\\.amazonaws\\.com$`);
const PATH_HOST = new RegExp(`^s3(?:[.-]${REGION})?\\.amazonaws\\.com$`);

export function parseS3Location(location: string): S3Location | undefined {
  if (location.startsWith('s3://')) {
    const rest = location.slice('s3://'.length);
    const slash = rest.indexOf('/');
    return slash > 0 ? checked(rest.slice(0, slash), rest.slice(slash + 1)) : undefined;
  }
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.port !== '' || url.search !== '' || url.username !== '') return undefined;
  const path = decodePath(url.pathname);
  if (path === undefined) return undefined;
  const virtual = VIRTUAL_HOST.exec(url.hostname);
  if (virtual?.[1]) return checked(virtual[1], path);
  if (!PATH_HOST.test(url.hostname)) return undefined;
  const slash = path.indexOf('/');
  return slash > 0 ? checked(path.slice(0, slash), path.slice(slash + 1)) : undefined;
}

/**
 * The bucket a virtual-hosted request names in its Host: `bucket.s3[.-region].amazonaws.com` or, for
 * a client pointed at the emulator by name, `bucket.localhost`. Undefined for path-style hosts.
 */
export function virtualHostBucket(hostname: string): string | undefined {
  const virtual = VIRTUAL_HOST.exec(hostname) ?? /^(.+)\.localhost$/.exec(hostname);
  return virtual?.[1] && BUCKET_NAME.test(virtual[1]) ? virtual[1] : undefined;
}

function checked(bucket: string, key: string): S3Location | undefined {
  return BUCKET_NAME.test(bucket) && key !== '' ? { bucket, key } : undefined;
}

function decodePath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname.slice(1));
  } catch {
    return undefined;
  }
}
