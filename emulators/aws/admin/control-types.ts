import type { ActiveFault } from '../faults/faults.js';
import type { ThreatListKind } from '../state/threat-list-store.js';
import type { JsonObject } from '../protocol/wire.js';

/** The shapes of the emulator's control surface (handle methods and admin API bodies). */

export class AdminError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface GenerateFindingsRequest {
  /** How many findings to generate (default 1). */
  count?: number;
  account?: string;
  /** Default: every region where the account has a detector. */
  region?: string;
  regions?: string[];
  type?: string;
  types?: string[];
  severity?: number;
  updatedAt?: string | number;
  createdAt?: string | number;
  archived?: boolean;
  title?: string;
  /** `service.count` of the generated findings. */
  serviceCount?: number;
  /** updatedAt spread window when updatedAt is not given (default 24 h before now). */
  spreadMs?: number;
}

export interface FindingUpdate {
  /** A recurrence: `service.count += recur`, updatedAt and eventLastSeen move to now (or `updatedAt`). */
  recur?: number;
  serviceCount?: number;
  severity?: number;
  title?: string;
  description?: string;
  updatedAt?: string | number;
  /** Archive state only; [I] does not touch updatedAt, like ArchiveFindings. */
  archived?: boolean;
}

export interface FindingFilter {
  account?: string;
  region?: string;
  archived?: boolean;
}

export interface AccountSummary {
  accountId: string;
  administrator: string | undefined;
  members: string[];
  optedInRegions: string[];
  roles: string[];
  accessKeys: string[];
  acceptAnyAccessKey: boolean;
  detectors: { region: string; detectorId: string; findings: number; archived: number }[];
}

export interface StateSummary {
  accounts: AccountSummary[];
  findings: number;
  sessions: number;
  faults: ActiveFault[];
}

export interface ThreatListFilter {
  account?: string;
  region?: string;
  kind?: ThreatListKind;
}

export interface ThreatListSeed {
  /** Default: the first account. */
  account?: string;
  /** Default us-east-1. */
  region?: string;
  kind: ThreatListKind;
  /** CreateIPSet's wire members (`name`, `location`, `format` default TXT, `activate` default true, `tags`, `expectedBucketOwner`). */
  set: JsonObject;
}
