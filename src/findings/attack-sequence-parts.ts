import { asRecord, asRecords, nonBlank, type Obj } from './finding-values.js';

/**
 * The parts of an attack sequence (`Service.Detection.Sequence`) in our terms, and their defensive
 * readers: a member missing or of another type is left out, never thrown on. See attack-sequence.ts.
 */

export interface SequenceIndicator {
  index: number;
  key: string;
  title: string | undefined;
  values: string[];
}

export interface SequenceSignal {
  /** Its position in GuardDuty's list (`Signals[index]`), which is not the time order. */
  index: number;
  uid: string;
  /** FINDING, CLOUD_TRAIL, S3_DATA_EVENTS, EKS_AUDIT_LOGS, FLOW_LOGS, DNS_LOGS, RUNTIME_MONITORING (or newer). */
  type: string;
  /** The finding type when `type` is FINDING; else what the activity was (an API name, a query). */
  name: string;
  description: string | undefined;
  createdAt: string | undefined;
  updatedAt: string | undefined;
  firstSeenAt: string | undefined;
  lastSeenAt: string | undefined;
  severity: number | undefined;
  count: number | undefined;
  resourceUids: string[];
  actorIds: string[];
  endpointIds: string[];
  indicators: SequenceIndicator[];
}

export interface SequenceActor {
  index: number;
  id: string;
  userName: string | undefined;
  userUid: string | undefined;
  userType: string | undefined;
  credentialUid: string | undefined;
  accountUid: string | undefined;
  accountName: string | undefined;
  sessionUid: string | undefined;
  mfaStatus: string | undefined;
  sessionCreated: string | undefined;
  sessionIssuer: string | undefined;
  processName: string | undefined;
  processPath: string | undefined;
  processSha256: string | undefined;
}

export interface SequenceEndpoint {
  index: number;
  id: string;
  ip: string | undefined;
  domain: string | undefined;
  port: number | undefined;
  city: string | undefined;
  country: string | undefined;
  latitude: number | undefined;
  longitude: number | undefined;
  asName: string | undefined;
  asNumber: number | undefined;
  direction: string | undefined;
}

export interface SequenceResource {
  index: number;
  uid: string;
  name: string | undefined;
  type: string | undefined;
  accountId: string | undefined;
  region: string | undefined;
  service: string | undefined;
  tags: string | undefined;
  /** S3_BUCKET resources: the bucket's name (the name, else the last part of its ARN). */
  bucketName: string | undefined;
}

export interface AttackSequence {
  uid: string | undefined;
  description: string | undefined;
  /** In time order: first seen, then last seen, then uid (a signal without a usable time goes last). */
  signals: SequenceSignal[];
  actors: SequenceActor[];
  endpoints: SequenceEndpoint[];
  resources: SequenceResource[];
  indicators: SequenceIndicator[];
  additionalTypes: string[];
}


/** The readable entries of a list, each read with its position in the list. */
export function each<T>(value: unknown, read: (raw: Obj, index: number) => T | undefined): T[] {
  if (!Array.isArray(value)) return [];
  const out: T[] = [];
  (value as unknown[]).forEach((item, index) => {
    const raw = asRecord(item);
    const entry = raw ? read(raw, index) : undefined;
    if (entry !== undefined) out.push(entry);
  });
  return out;
}

export function toSignal(raw: Obj, index: number): SequenceSignal | undefined {
  const uid = text(raw.Uid);
  const name = text(raw.Name);
  if (uid === undefined && name === undefined) return undefined;
  return {
    index,
    uid: uid ?? '',
    type: text(raw.Type) ?? 'UNKNOWN',
    name: name ?? uid ?? '',
    description: text(raw.Description),
    createdAt: text(raw.CreatedAt),
    updatedAt: text(raw.UpdatedAt),
    firstSeenAt: text(raw.FirstSeenAt),
    lastSeenAt: text(raw.LastSeenAt),
    severity: num(raw.Severity),
    count: num(raw.Count),
    resourceUids: texts(raw.ResourceUids),
    actorIds: texts(raw.ActorIds),
    endpointIds: texts(raw.EndpointIds),
    indicators: indicators(raw.SignalIndicators),
  };
}

export function toActor(raw: Obj, index: number): SequenceActor | undefined {
  const id = text(raw.Id);
  if (id === undefined) return undefined;
  const user = asRecord(raw.User);
  const account = asRecord(user?.Account);
  const session = asRecord(raw.Session);
  const process = asRecord(raw.Process);
  return {
    index,
    id,
    userName: text(user?.Name),
    userUid: text(user?.Uid),
    userType: text(user?.Type),
    credentialUid: text(user?.CredentialUid),
    accountUid: text(account?.Uid),
    accountName: text(account?.Name),
    sessionUid: text(session?.Uid),
    mfaStatus: text(session?.MfaStatus),
    sessionCreated: text(session?.CreatedTime),
    sessionIssuer: text(session?.Issuer),
    processName: text(process?.Name),
    processPath: text(process?.Path),
    processSha256: text(process?.Sha256),
  };
}

export function toEndpoint(raw: Obj, index: number): SequenceEndpoint | undefined {
  const id = text(raw.Id);
  if (id === undefined) return undefined;
  const location = asRecord(raw.Location);
  const as = asRecord(raw.AutonomousSystem);
  return {
    index,
    id,
    ip: text(raw.Ip),
    domain: text(raw.Domain),
    port: num(raw.Port),
    city: text(location?.City),
    country: text(location?.Country),
    latitude: num(location?.Latitude),
    longitude: num(location?.Longitude),
    asName: text(as?.Name),
    asNumber: num(as?.Number),
    direction: text(asRecord(raw.Connection)?.Direction),
  };
}

export function toResource(raw: Obj, index: number): SequenceResource | undefined {
  const uid = text(raw.Uid);
  if (uid === undefined) return undefined;
  const type = text(raw.ResourceType);
  const name = text(raw.Name);
  const tags = asRecords(raw.Tags)
    .map((t) => (text(t.Key) === undefined ? undefined : `${text(t.Key)}=${text(t.Value) ?? ''}`))
    .filter((t): t is string => t !== undefined);
  return {
    index,
    uid,
    name,
    type,
    accountId: text(raw.AccountId),
    region: text(raw.Region),
    service: text(raw.Service),
    tags: tags.length > 0 ? tags.join(', ') : undefined,
    bucketName: type === 'S3_BUCKET' ? (name ?? bucketFromArn(uid)) : undefined,
  };
}

function bucketFromArn(uid: string): string | undefined {
  const match = /^arn:[\w-]+:s3:::([^/]+)$/.exec(uid);
  return match ? match[1] : undefined;
}

export function indicators(value: unknown): SequenceIndicator[] {
  return (Array.isArray(value) ? (value as unknown[]) : [])
    .map((item, index): SequenceIndicator | undefined => {
      const raw = asRecord(item);
      const key = text(raw?.Key);
      return key === undefined ? undefined : { index, key, title: text(raw?.Title), values: texts(raw?.Values) };
    })
    .filter((i): i is SequenceIndicator => i !== undefined);
}

export function text(value: unknown): string | undefined {
  return nonBlank(value)?.trim();
}

export function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.map(text).filter((t): t is string => t !== undefined) : [];
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
