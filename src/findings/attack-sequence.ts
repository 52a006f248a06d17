import { asRecord } from './finding-values.js';
import {
  each, indicators, text, texts, toActor, toEndpoint, toResource, toSignal,
  type AttackSequence, type SequenceSignal,
} from './attack-sequence-parts.js';
import type { Finding } from './finding.js';

export type { AttackSequence, SequenceActor, SequenceEndpoint, SequenceIndicator, SequenceResource, SequenceSignal } from './attack-sequence-parts.js';

/**
 * An attack sequence (`Service.Detection.Sequence`, guardduty 2017-11-28) read defensively into our
 * terms: GuardDuty's Extended Threat Detection correlates signals (other findings, and raw activity
 * from CloudTrail, S3 data events, EKS audit logs, flow logs, DNS logs, Runtime Monitoring) over hours
 * or days, with the actors, endpoints and resources involved. Every string is attacker-influenced.
 *
 * Readers never throw: a member missing or of another type is left out, and indicator keys AWS adds
 * after the model we read (it lists 22) are kept as they come.
 */

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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function time(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

