/** The identity of a finding inside one detector, as the daemon keys everything. */
export interface FindingKey {
  /** The account whose credentials list the detector (the administrator in administrator mode). */
  account: string;
  region: string;
  detectorId: string;
  findingId: string;
}

/**
 * The key as one string, `account/region/detector/finding`: how pending operations and notes name
 * the finding they belong to. None of the four parts contains a slash.
 */
export function findingKeyString(key: FindingKey): string {
  return `${key.account}/${key.region}/${key.detectorId}/${key.findingId}`;
}

/** The inverse of `findingKeyString`; undefined for a string that is not one. */
export function parseFindingKey(text: string): FindingKey | undefined {
  const [account, region, detectorId, findingId] = text.split('/');
  return account && region && detectorId && findingId ? { account, region, detectorId, findingId } : undefined;
}
