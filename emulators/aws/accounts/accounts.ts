import { createHash } from 'node:crypto';
import { isOptInRegion } from './regions-catalog.js';

/**
 * Accounts, their access keys, roles and the temporary sessions STS issued. An access key identifies
 * the caller's account; an `ASIA…` key is valid only with its session token and until it expires.
 */

export interface AccessKeySpec {
  accessKeyId: string;
  /** Kept for completeness; signatures are not verified (see protocol/sigv4.ts). */
  secretAccessKey?: string;
  userName?: string;
}

export interface RoleSpec {
  name: string;
  /** When set, AssumeRole must send exactly this ExternalId. */
  externalId?: string;
  /** [I] AWS's default MaxSessionDuration is one hour; DurationSeconds above it is refused. */
  maxSessionDurationSeconds?: number;
}

export interface AccountSpec {
  accountId: string;
  accessKeys?: (string | AccessKeySpec)[];
  /** Accept any `AKIA…` key that no other account claims (the default account does). */
  acceptAnyAccessKey?: boolean;
  /** Regions with a GuardDuty detector. */
  regions?: string[];
  /** Opt-in regions the account enabled (its detector regions are enabled implicitly). */
  optedInRegions?: string[];
  /** The GuardDuty administrator account of this (member) account. */
  administrator?: string;
  roles?: (string | RoleSpec)[];
}

export interface Account {
  id: string;
  keys: Map<string, AccessKeySpec>;
  acceptAnyAccessKey: boolean;
  optedInRegions: Set<string>;
  administrator: string | undefined;
  roles: Map<string, RoleSpec>;
}

export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  roleName: string;
  sessionName: string;
  expiresAt: number;
}

export interface Caller {
  account: Account;
  accessKeyId: string;
  arn: string;
  userId: string;
  session: Session | undefined;
}

export type KeyResolution = { ok: true; caller: Caller } | { ok: false; problem: 'unknown-key' | 'bad-token' | 'expired' };

export class AccountRegistry {
  private readonly accounts = new Map<string, Account>();
  private readonly sessions = new Map<string, Session>();

  add(spec: AccountSpec): Account {
    if (!/^\d{12}$/.test(spec.accountId)) throw new Error(`account id must be 12 digits: ${spec.accountId}`);
    if (this.accounts.has(spec.accountId)) throw new Error(`account ${spec.accountId} already exists`);
    const keys = new Map<string, AccessKeySpec>();
    for (const key of spec.accessKeys ?? []) {
      const k = typeof key === 'string' ? { accessKeyId: key } : key;
      keys.set(k.accessKeyId, k);
    }
    const optedIn = new Set([...(spec.optedInRegions ?? []), ...(spec.regions ?? []).filter(isOptInRegion)]);
    const account: Account = {
      id: spec.accountId,
      keys,
      acceptAnyAccessKey: spec.acceptAnyAccessKey ?? false,
      optedInRegions: optedIn,
      administrator: spec.administrator,
      roles: new Map(),
    };
    for (const role of spec.roles ?? []) this.addRole(account, typeof role === 'string' ? { name: role } : role);
    this.accounts.set(account.id, account);
    return account;
  }

  addRole(account: Account, role: RoleSpec): void {
    if (!/^[\w+=,.@-]{1,64}$/.test(role.name)) throw new Error(`invalid role name: ${role.name}`);
    account.roles.set(role.name, role);
  }

  get(accountId: string): Account | undefined {
    return this.accounts.get(accountId);
  }

  list(): Account[] {
    return [...this.accounts.values()];
  }

  membersOf(administratorId: string): Account[] {
    return this.list().filter((a) => a.administrator === administratorId);
  }

  isRegionEnabled(account: Account, region: string): boolean {
    return !isOptInRegion(region) || account.optedInRegions.has(region);
  }

  resolveKey(accessKeyId: string, sessionToken: string | undefined, now: number): KeyResolution {
    const session = this.sessions.get(accessKeyId);
    if (session) return this.resolveSession(session, sessionToken, now);
    for (const account of this.accounts.values()) {
      const spec = account.keys.get(accessKeyId);
      if (spec) return { ok: true, caller: userCaller(account, accessKeyId, spec.userName) };
    }
    if (accessKeyId.startsWith('AKIA')) {
      const open = this.list().find((a) => a.acceptAnyAccessKey);
      if (open) return { ok: true, caller: userCaller(open, accessKeyId, undefined) };
    }
    return { ok: false, problem: 'unknown-key' };
  }

  addSession(session: Session): void {
    this.sessions.set(session.accessKeyId, session);
  }

  sessionCount(): number {
    return this.sessions.size;
  }

  private resolveSession(session: Session, token: string | undefined, now: number): KeyResolution {
    if (token !== session.sessionToken) return { ok: false, problem: 'bad-token' };
    if (now >= session.expiresAt) return { ok: false, problem: 'expired' };
    const account = this.accounts.get(session.accountId);
    if (!account) return { ok: false, problem: 'unknown-key' };
    return {
      ok: true,
      caller: {
        account,
        accessKeyId: session.accessKeyId,
        arn: `arn:aws:sts::${account.id}:assumed-role/${session.roleName}/${session.sessionName}`,
        userId: `${roleId(account.id, session.roleName)}:${session.sessionName}`,
        session,
      },
    };
  }
}

function userCaller(account: Account, accessKeyId: string, userName: string | undefined): Caller {
  return {
    account,
    accessKeyId,
    arn: `arn:aws:iam::${account.id}:user/${userName ?? 'emulator-user'}`,
    userId: `AIDA${stableId(accessKeyId)}`,
    session: undefined,
  };
}

/** IAM's unique role id (`AROA…`), stable for an account and role name. */
export function roleId(accountId: string, roleName: string): string {
  return `AROA${stableId(`${accountId}/${roleName}`)}`;
}

function stableId(input: string): string {
  return createHash('sha256').update(input).digest('hex').slice(0, 17).toUpperCase();
}
