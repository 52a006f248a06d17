/** Options of `startSoarEmulator` and their defaults. */
import type { EmulatorCa } from '../shared/ca.js';

export interface ApiKeyOption {
  id: string;
  secret: string;
  /** A read-only key gets 403 on every write (queries are reads). */
  readOnly?: boolean;
}

export interface UserOption {
  email: string;
  password: string;
  fname?: string;
  lname?: string;
}

/** Another org listed in the session (to test org resolution); requests to it get 403. */
export interface ExtraOrgOption {
  id: number;
  name: string;
  enabled?: boolean;
}

export interface SoarEmulatorOptions {
  /** 0 (default) picks a free port. The server always binds 127.0.0.1. */
  port?: number;
  apiKeys?: ApiKeyOption[];
  users?: UserOption[];
  orgName?: string;
  orgId?: number;
  orgUuid?: string;
  cloudAccount?: string;
  extraOrgs?: ExtraOrgOption[];
  /** The org's `actions_framework_enabled` (default true): false means SOAR sends no function invocations. */
  actionsFrameworkEnabled?: boolean;
  /** Added before every REST answer (not the admin API). */
  latencyMs?: number;
  /** Seeds fault decisions and generated uuids. */
  seed?: number;
  /** PEM key and certificate: serve HTTPS instead of HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Incident fields required when plan_status goes to C. */
  requiredOnClose?: string[];
  /** Epoch ms; defaults to Date.now. */
  clock?: () => number;
  /** Start the STOMP 1.2 broker (TLS) for SOAR functions; default false here, true in `startEmulators`. */
  stomp?: boolean;
  /** The broker's port; 0 (default) picks a free one. Always 127.0.0.1. */
  stompPort?: number;
  /** The shortest interval the broker sends heartbeats at (SOAR: 15000); tests shorten it. */
  stompHeartbeatMs?: number;
  /** The CA whose server certificate the broker presents; default a fresh one, removed on close. */
  ca?: EmulatorCa;
}

export interface ResolvedUser {
  id: number;
  email: string;
  password: string;
  fname: string;
  lname: string;
}

export interface OrgInfo {
  id: number;
  name: string;
  uuid: string;
  cloudAccount: string;
}

export interface ResolvedOptions {
  port: number;
  apiKeys: ApiKeyOption[];
  users: ResolvedUser[];
  org: OrgInfo;
  extraOrgs: ExtraOrgOption[];
  actionsFrameworkEnabled: boolean;
  latencyMs: number;
  seed: number;
  tls: { key: string | Buffer; cert: string | Buffer } | undefined;
  requiredOnClose: string[];
  clock: () => number;
  stomp: boolean;
  stompPort: number;
  stompHeartbeatMs: number;
  ca: EmulatorCa | undefined;
}

export const DEFAULT_API_KEY: ApiKeyOption = { id: 'demo-key', secret: 'demo-secret' };
export const DEFAULT_USER: UserOption = { email: 'demo@example.com', password: 'demo-password', fname: 'Demo', lname: 'User' };
/** As SOAR ships: resolution and its summary must be filled in to close an incident. */
export const DEFAULT_REQUIRED_ON_CLOSE = ['resolution_id', 'resolution_summary'];

export function resolveOptions(options: SoarEmulatorOptions): ResolvedOptions {
  const orgId = options.orgId ?? 201;
  const suffix = String(orgId).padStart(12, '0');
  return {
    port: options.port ?? 0,
    apiKeys: options.apiKeys ?? [DEFAULT_API_KEY],
    // User ids start at 1 in the order given; the demo user is 1.
    users: (options.users ?? [DEFAULT_USER]).map((u, i) => ({
      id: i + 1,
      email: u.email,
      password: u.password,
      fname: u.fname ?? 'Emulated',
      lname: u.lname ?? `User ${i + 1}`,
    })),
    org: {
      id: orgId,
      name: options.orgName ?? 'Demo Org',
      uuid: options.orgUuid ?? `6f1c2d3e-0000-4000-8000-${suffix}`,
      cloudAccount: options.cloudAccount ?? `c10dacc7-0000-4000-9000-${suffix}`,
    },
    extraOrgs: options.extraOrgs ?? [],
    actionsFrameworkEnabled: options.actionsFrameworkEnabled ?? true,
    latencyMs: options.latencyMs ?? 0,
    seed: options.seed ?? 1,
    tls: options.tls,
    requiredOnClose: options.requiredOnClose ?? DEFAULT_REQUIRED_ON_CLOSE,
    clock: options.clock ?? Date.now,
    stomp: options.stomp ?? false,
    stompPort: options.stompPort ?? 0,
    stompHeartbeatMs: options.stompHeartbeatMs ?? 15_000,
    ca: options.ca,
  };
}
