/**
 * GuardDuty's IPSets (trusted IP lists) and ThreatIntelSets (threat lists), per detector, i.e. per
 * account and region. A member account has none of its own: it sees its administrator's.
 */

export type ThreatListKind = 'ipset' | 'threatintelset';

/** The model's IpSetStatus / ThreatIntelSetStatus values the emulator uses. */
export type ThreatListStatus = 'ACTIVE' | 'INACTIVE' | 'ERROR';

/** What GuardDuty read from the list's S3 object when it last (re)loaded it. */
export interface ThreatListLoad {
  /** Emulator clock, epoch ms. */
  at: number;
  /** The object's ETag (quoted MD5) at that load; absent when it could not be read. */
  etag?: string;
  /** The non-empty, non-comment lines of a TXT list. */
  entries?: string[];
  /** Why the load failed (the status is then ERROR). */
  error?: string;
}

export interface ThreatList {
  kind: ThreatListKind;
  id: string;
  arn: string;
  detectorId: string;
  accountId: string;
  region: string;
  name: string;
  format: string;
  location: string;
  activate: boolean;
  status: ThreatListStatus;
  tags: Record<string, string>;
  expectedBucketOwner: string | undefined;
  /** Every load, activation or update since creation (the "GuardDuty reloaded it" counter). */
  loads: number;
  lastLoad: ThreatListLoad | undefined;
}

/** Per-kind names and limits. Quotas: GuardDuty's quotas page (1 trusted IP list, 6 threat lists). */
export const KINDS: Record<ThreatListKind, { label: string; idMember: string; listMember: string; quota: number }> = {
  ipset: { label: 'IPSet', idMember: 'ipSetId', listMember: 'ipSetIds', quota: 1 },
  threatintelset: { label: 'ThreatIntelSet', idMember: 'threatIntelSetId', listMember: 'threatIntelSetIds', quota: 6 },
};

export function threatListArn(kind: ThreatListKind, region: string, accountId: string, detectorId: string, id: string): string {
  return `arn:aws:guardduty:${region}:${accountId}:detector/${detectorId}/${kind}/${id}`;
}

interface IdempotentCreate {
  id: string;
  requestHash: string;
}

export class ThreatListStore {
  private readonly byId = new Map<string, ThreatList>();
  private readonly tokens = new Map<string, IdempotentCreate>();

  add(list: ThreatList): void {
    this.byId.set(list.id, list);
  }

  get(id: string): ThreatList | undefined {
    return this.byId.get(id);
  }

  /** The lists of one detector and kind, in creation order. */
  of(detectorId: string, kind: ThreatListKind): ThreatList[] {
    return [...this.byId.values()].filter((l) => l.detectorId === detectorId && l.kind === kind);
  }

  all(): ThreatList[] {
    return [...this.byId.values()];
  }

  delete(id: string): boolean {
    return this.byId.delete(id);
  }

  /** A create already made with this ClientToken on this detector, if its list still exists. */
  priorCreate(detectorId: string, kind: ThreatListKind, token: string): IdempotentCreate | undefined {
    const prior = this.tokens.get(`${detectorId}/${kind}/${token}`);
    return prior && this.byId.has(prior.id) ? prior : undefined;
  }

  rememberCreate(detectorId: string, kind: ThreatListKind, token: string, create: IdempotentCreate): void {
    this.tokens.set(`${detectorId}/${kind}/${token}`, create);
  }

  /** Forgets every list matching the filter (their ClientTokens die with them, see priorCreate). */
  reset(match: (list: ThreatList) => boolean): number {
    const doomed = this.all().filter(match);
    for (const list of doomed) this.byId.delete(list.id);
    return doomed.length;
  }
}
