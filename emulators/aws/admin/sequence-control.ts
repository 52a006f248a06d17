import { AdminError } from './control-types.js';
import { buildFinding } from '../guardduty/samples/sample-findings.js';
import { SEQUENCE_RECIPES, sequenceRecipe, type SequenceRecipe } from '../guardduty/samples/sample-sequence-recipes.js';
import { bindMembers, memberSignal, sequenceOf } from '../guardduty/samples/sample-sequences.js';
import type { EmulatorState } from '../state/state.js';
import { epochSeconds, isJsonObject, type JsonObject, type JsonValue, type WireFinding } from '../protocol/wire.js';

/** Admin and test control of attack sequences: a sequence with its members, a sequence that grows. */

export interface SequenceRequest {
  /** One of the AttackSequence types (default AttackSequence:S3/CompromisedData). */
  type?: string;
  account?: string;
  region?: string;
  /** The sequence's updatedAt (ISO or epoch ms; default now); its members were updated before it. */
  updatedAt?: string | number;
  /** More activity signals (CloudTrail calls), up to the model's 100 signals in all. */
  extraSignals?: number;
  /** More actors (IAM users), up to the model's 400, each named by every extra signal. */
  extraActors?: number;
}

export interface GrowRequest {
  /** The type of the member finding the sequence gains (default: the recipe's). */
  memberType?: string;
  updatedAt?: string | number;
  /** The sequence's first signals observed again too, this many (count + 1, last seen at the update). */
  observeAgain?: number;
}

export interface SequenceResult {
  sequence: WireFinding;
  members: WireFinding[];
}

/** A sequence and one member finding per FINDING step of its recipe, all stored, members first in time. */
export function generateSequence(state: EmulatorState, account: string, req: SequenceRequest): SequenceResult {
  const recipe = recipeOf(req.type ?? 'AttackSequence:S3/CompromisedData');
  const region = req.region ?? 'us-east-1';
  const detector = detectorOf(state, account, region);
  const at = req.updatedAt === undefined ? state.now() : typeof req.updatedAt === 'number' ? req.updatedAt : Date.parse(req.updatedAt);
  const types = recipe.steps.flatMap((s) => (s.finding ? [s.finding] : []));
  const members = types.map((type, i) => buildFinding(state.prng, type, account, region, detector.id, at - (types.length - i) * 600_000, { count: 1 }));
  const sequence = buildFinding(state.prng, recipe.type, account, region, detector.id, at, { count: 1 });
  bindMembers(sequence, recipe, members, new Set());
  pad(sequence, req.extraSignals ?? 0, req.extraActors ?? 0, at);
  for (const f of [...members, sequence]) state.store.put(detector, f);
  return { sequence, members };
}

/**
 * GuardDuty adds a signal to a sequence: a new member finding (stored) and its FINDING signal, the
 * sequence's updatedAt and eventLastSeen moved to `updatedAt` (default now). Its other signals stay.
 */
export function growSequence(state: EmulatorState, id: string, req: GrowRequest): { sequence: WireFinding; member: WireFinding } {
  const held = state.store.get(id);
  const sequence = held ? sequenceOf(held.finding) : undefined;
  if (!held || !sequence) throw new AdminError(404, `no attack-sequence finding ${id}`);
  const recipe = sequenceRecipe(held.finding.type);
  const type = req.memberType ?? recipe?.grows ?? 'Recon:IAMUser/MaliciousIPCaller';
  const at = req.updatedAt === undefined ? state.now() : typeof req.updatedAt === 'number' ? req.updatedAt : Date.parse(req.updatedAt);
  const member = buildFinding(state.prng, type, held.finding.accountId, held.finding.region, held.detector.id, at - 60_000, { count: 1 });
  state.store.put(held.detector, member);
  const signals = Array.isArray(sequence.signals) ? sequence.signals : [];
  sequence.signals = [...signals.map((signal, i) => (i < (req.observeAgain ?? 0) ? observedAgain(signal, at) : signal)), memberSignal(member)];
  held.finding.updatedAt = new Date(at).toISOString();
  held.finding.service.eventLastSeen = held.finding.updatedAt;
  return { sequence: held.finding, member };
}

/** A signal GuardDuty saw once more: its count and last sighting move (epoch seconds on the wire). */
function observedAgain(signal: JsonValue, at: number): JsonValue {
  if (!isJsonObject(signal)) return signal;
  return { ...signal, count: (typeof signal.count === 'number' ? signal.count : 1) + 1, lastSeenAt: epochSeconds(at), updatedAt: epochSeconds(at) };
}

/** Extra activity signals and actors (the model's maxima are 100 signals and 400 actors). */
function pad(finding: WireFinding, extraSignals: number, extraActors: number, at: number): void {
  const sequence = sequenceOf(finding);
  if (!sequence) return;
  const actors = (Array.isArray(sequence.actors) ? sequence.actors : []).filter(isJsonObject);
  const added: JsonObject[] = Array.from({ length: Math.max(0, Math.min(extraActors, 400 - actors.length)) }, (_, i) => ({
    id: `actor-extra-${i + 1}`,
    user: { name: `svc-user-${i + 1}`, uid: `AIDAEXTRA${String(i + 1).padStart(11, '0')}`, type: 'IAMUser', account: { uid: finding.accountId } },
  }));
  sequence.actors = [...actors, ...added];
  const signals = (Array.isArray(sequence.signals) ? sequence.signals : []).filter(isJsonObject);
  const more = Math.max(0, Math.min(extraSignals, 100 - signals.length));
  const extra = Array.from({ length: more }, (_, i): JsonObject => {
    const first = epochSeconds(at - 6 * 3_600_000 + i * 60_000);
    return {
      uid: `cloud_trail-extra-${i + 1}`, type: 'CLOUD_TRAIL', name: `DescribeInstances (call ${i + 1})`, description: 'Enumeration with the compromised key.',
      createdAt: first, updatedAt: first + 30, firstSeenAt: first, lastSeenAt: first + 30, severity: 2, count: 1,
      actorIds: ['actor-1', ...added.map((_, j) => `actor-extra-${j + 1}`)], endpointIds: ['endpoint-1'], resourceUids: [],
      signalIndicators: [{ key: 'ATTACK_TACTIC', values: ['Discovery'] }, { key: 'ATTACK_TECHNIQUE', values: ['T1580'] }],
    };
  });
  sequence.signals = [...signals, ...extra];
}

function recipeOf(type: string): SequenceRecipe {
  const recipe = sequenceRecipe(type);
  if (!recipe) throw new AdminError(400, `not an attack-sequence type: ${type} (known: ${SEQUENCE_RECIPES.map((r) => r.type).join(', ')})`);
  return recipe;
}

function detectorOf(state: EmulatorState, account: string, region: string): NonNullable<ReturnType<EmulatorState['store']['detectorFor']>> {
  const detector = state.store.detectorFor(account, region);
  if (!detector) throw new AdminError(400, `account ${account} has no detector in ${region}`);
  return detector;
}
