import { asRecord, asRecords, nonBlank, type Obj } from '../incidents/finding-values.js';
import type { Finding } from './finding.js';

/**
 * An attack sequence (`Service.Detection.Sequence`, guardduty 2017-11-28) read defensively into our
 * terms: GuardDuty's Extended Threat Detection correlates signals (other findings, and raw activity
 * from CloudTrail, S3 data events, EKS audit logs, flow logs, DNS logs, Runtime Monitoring) over hours
 * or days, with the actors, endpoints and resources involved. Every string is attacker-influenced.
 *
 * Readers never throw: a member missing or of another type is left out, and indicator keys AWS adds
 * after the model we read (it lists 22) are kept as they come.
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

/** The finding's attack sequence; undefined when it is not one (or GuardDuty sent no usable sequence). */
export function attackSequence(finding: Finding): AttackSequence | undefined {
  const raw = asRecord(asRecord(asRecord(finding.Service)?.Detection)?.Sequence);
  if (!raw) return undefined;
  return {
    uid: text(raw.Uid),
    description: text(raw.Description),
    signals: inTimeOrder(each(raw.Signals, toSignal)),
    actors: each(raw.Actors, toActor),
    endpoints: each(raw.Endpoints, toEndpoint),
    resources: each(raw.Resources, toResource),
    indicators: indicators(raw.SequenceIndicators),
    additionalTypes: texts(raw.AdditionalSequenceTypes),
  };
}

/** True for findings GuardDuty's Extended Threat Detection made (by type, or by carrying a sequence). */
export function isAttackSequence(finding: Finding): boolean {
  return String(finding.Type).startsWith('AttackSequence:') || attackSequence(finding) !== undefined;
}

const ARN = /^arn:[\w-]+:guardduty:([\w-]+):(\d{12}):detector\/[^/]+\/finding\/([^/]+)$/;

/**
 * The finding a FINDING signal names. The model says only that the signal's `Uid` identifies the
 * signal and that its `Name` is the finding type. We assume the uid is the member finding's id or
 * its ARN, and that the member lives in the sequence's own account and region (GuardDuty correlates
 * within one account and region): an ARN naming another account or region is not a member we can
 * find, and anything else with a slash or a colon is not a finding id.
 */
export function memberFindingId(signal: Pick<SequenceSignal, 'type' | 'uid'>, sequence: Pick<Finding, 'AccountId' | 'Region'>): string | undefined {
  if (signal.type !== 'FINDING') return undefined;
  const arn = ARN.exec(signal.uid);
  if (arn) return arn[1] === sequence.Region && arn[2] === sequence.AccountId ? arn[3] : undefined;
  return /^[\w.-]+$/.test(signal.uid) ? signal.uid : undefined;
}

/** Member finding id → the signal naming it, for every FINDING signal whose uid names a finding (first signal wins). */
export function memberSignals(finding: Finding): Map<string, SequenceSignal> {
  const out = new Map<string, SequenceSignal>();
  for (const signal of attackSequence(finding)?.signals ?? []) {
    const id = memberFindingId(signal, finding);
    if (id !== undefined && id !== finding.Id && !out.has(id)) out.set(id, signal);
  }
  return out;
}

/** Epoch ms of a signal's first sighting (first seen, else created); undefined when neither parses. */
export function signalStart(signal: SequenceSignal): number | undefined {
  return time(signal.firstSeenAt) ?? time(signal.createdAt);
}

/** Epoch ms of a signal's last sighting (last seen, else updated, else its start). */
export function signalEnd(signal: SequenceSignal): number | undefined {
  return time(signal.lastSeenAt) ?? time(signal.updatedAt) ?? signalStart(signal);
}

function inTimeOrder(signals: SequenceSignal[]): SequenceSignal[] {
  const key = (s: SequenceSignal): [number, number] => [signalStart(s) ?? Infinity, signalEnd(s) ?? Infinity];
  return signals
    .map((s, i) => ({ s, i, k: key(s) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || compare(a.s.uid, b.s.uid) || a.i - b.i)
    .map((x) => x.s);
}

/** The readable entries of a list, each read with its position in the list. */
function each<T>(value: unknown, read: (raw: Obj, index: number) => T | undefined): T[] {
  if (!Array.isArray(value)) return [];
  const out: T[] = [];
  (value as unknown[]).forEach((item, index) => {
    const raw = asRecord(item);
    const entry = raw ? read(raw, index) : undefined;
    if (entry !== undefined) out.push(entry);
  });
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function time(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

function toSignal(raw: Obj, index: number): SequenceSignal | undefined {
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

function toActor(raw: Obj, index: number): SequenceActor | undefined {
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

function toEndpoint(raw: Obj, index: number): SequenceEndpoint | undefined {
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

function toResource(raw: Obj, index: number): SequenceResource | undefined {
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

function indicators(value: unknown): SequenceIndicator[] {
  return (Array.isArray(value) ? (value as unknown[]) : [])
    .map((item, index): SequenceIndicator | undefined => {
      const raw = asRecord(item);
      const key = text(raw?.Key);
      return key === undefined ? undefined : { index, key, title: text(raw?.Title), values: texts(raw?.Values) };
    })
    .filter((i): i is SequenceIndicator => i !== undefined);
}

function text(value: unknown): string | undefined {
  return nonBlank(value)?.trim();
}

function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.map(text).filter((t): t is string => t !== undefined) : [];
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
