import { parseS3Location } from '../s3/s3-location.js';
import type { EmulatorState } from '../state/state.js';
import type { ThreatList, ThreatListLoad } from '../state/threat-list-store.js';

/**
 * GuardDuty (re)loading a list from its S3 object: on create and on every update. [I] choices:
 * - It happens at once (no ACTIVATING/DEACTIVATING phase). An inactive list is INACTIVE and not read.
 * - An active list whose object the emulator holds is ACTIVE, with the TXT entries it read (one IP
 *   or CIDR a line; blank lines and `#` comments skipped). One it cannot read is ERROR, as GuardDuty
 *   shows a list it failed to fetch: the key is missing, the bucket belongs to another account whose
 *   policy does not allow the list's account, or `expectedBucketOwner` is not the bucket's owner.
 *   The create or update itself succeeds.
 * - A bucket the emulator does not hold is outside its reach (a real S3 it cannot see): the list is
 *   ACTIVE with nothing read.
 */
export function reloadThreatList(state: EmulatorState, list: ThreatList): void {
  list.loads++;
  const at = state.now();
  if (!list.activate) {
    list.status = 'INACTIVE';
    list.lastLoad = { at };
    return;
  }
  const load = { at, ...readList(state, list) };
  list.status = load.error ? 'ERROR' : 'ACTIVE';
  list.lastLoad = load;
}

function readList(state: EmulatorState, list: ThreatList): Omit<ThreatListLoad, 'at'> {
  // The location was validated on the way in.
  const location = parseS3Location(list.location);
  const bucket = location && state.s3.bucket(location.bucket);
  if (!location || !bucket) return {};
  if (!state.s3.mayAccess(bucket, list.accountId) || (list.expectedBucketOwner !== undefined && list.expectedBucketOwner !== bucket.accountId)) {
    return { error: `Access Denied reading s3://${bucket.name}/${location.key}` };
  }
  const object = bucket.objects.get(location.key);
  if (!object) return { error: `NoSuchKey: s3://${bucket.name}/${location.key} does not exist` };
  const entries = list.format === 'TXT' ? txtEntries(object.body.toString('utf8')) : undefined;
  return { etag: object.etag, ...(entries ? { entries } : {}) };
}

function txtEntries(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}
