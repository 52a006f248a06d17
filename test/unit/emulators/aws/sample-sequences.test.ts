import { Finding$, GetFindingsCommand } from '@aws-sdk/client-guardduty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEQUENCE_RECIPES, startAwsEmulator, type AwsEmulator, type WireFinding } from '../../../../emulators/aws/index.js';
import { clients } from './sdk-clients.js';
import { unknownWireKeys, wireToSdk } from './sdk-schema.js';

type Wire = Record<string, any>;
const sequenceOf = (f: WireFinding): Wire => ((f.service as Wire).detection as Wire).sequence as Wire;
const findingSignals = (f: WireFinding): Wire[] => (sequenceOf(f).signals as Wire[]).filter((s) => s.type === 'FINDING');

describe('emulator attack sequences', () => {
  let emu: AwsEmulator;
  beforeAll(async () => {
    emu = await startAwsEmulator({ regions: ['us-east-1', 'eu-west-1'], seed: 11 });
  });
  afterAll(() => emu.close());

  it('every sequence type, shaped as the model says, its FINDING signals naming its members held in its account and region', () => {
    for (const recipe of SEQUENCE_RECIPES) {
      const { sequence, members } = emu.generateSequence({ type: recipe.type, region: 'eu-west-1' });
      expect(sequence.type).toBe(recipe.type);
      expect(sequence.severity).toBeGreaterThanOrEqual(9);
      expect(members.length).toBe(recipe.steps.filter((s) => s.finding).length);
      for (const f of [sequence, ...members]) expect(unknownWireKeys(Finding$, f), f.type).toEqual([]);
      expect(findingSignals(sequence).map((s): unknown => s.uid)).toEqual(members.map((m) => m.arn));
      expect(findingSignals(sequence).map((s): unknown => s.name)).toEqual(members.map((m) => m.type));
      for (const m of members) expect(emu.getFinding(m.id)).toMatchObject({ accountId: sequence.accountId, region: 'eu-west-1' });
      const seq = sequenceOf(sequence);
      expect(new Set((seq.signals as Wire[]).map((s): unknown => s.type)).size).toBeGreaterThan(1);
      expect((seq.sequenceIndicators as Wire[]).map((i): unknown => i.key)).toEqual(expect.arrayContaining(['ATTACK_TACTIC', 'ATTACK_TECHNIQUE', 'MALICIOUS_IP']));
      expect(seq.actors[0].user).toMatchObject({ type: 'IAMUser', account: { uid: sequence.accountId } });
      expect(seq.endpoints[0]).toMatchObject({ location: { country: 'Germany' }, autonomousSystem: { number: 64500 } });
      for (const s of seq.signals as Wire[]) expect((s.signalIndicators as Wire[]).map((i): unknown => i.key)).toEqual(expect.arrayContaining(['ATTACK_TACTIC', 'ATTACK_TECHNIQUE']));
    }
  });

  it('the SDK reads a sequence exactly as the PascalCase mapping of its wire JSON (timestamps as Dates)', async () => {
    const { sequence } = emu.generateSequence({ type: 'AttackSequence:EKS/CompromisedCluster', region: 'us-east-1', extraSignals: 3, extraActors: 2 });
    const out = await clients(emu.url).gd.send(new GetFindingsCommand({ DetectorId: emu.detectors['us-east-1'], FindingIds: [sequence.id] }));
    const parsed = out.Findings?.[0];
    expect(parsed).toEqual(wireToSdk(Finding$, sequence));
    expect(parsed?.Service?.Detection?.Sequence?.Signals?.[0]?.FirstSeenAt).toBeInstanceOf(Date);
    expect(parsed?.Service?.Detection?.Sequence?.Actors?.[0]?.User?.Account?.Name).toBe('production');
  });

  it('generated in a batch, a sequence names only findings held in its own account and region', () => {
    const batch = emu.generateFindings({ count: 60, region: 'us-east-1' });
    const sequences = batch.filter((f) => f.type.startsWith('AttackSequence:'));
    expect(sequences.length).toBeGreaterThan(0);
    const named = sequences.flatMap(findingSignals);
    expect(named.length).toBeGreaterThan(0);
    for (const signal of named) {
      const id = String(signal.uid).split('/').pop() ?? '';
      expect(emu.getFinding(id), signal.uid).toMatchObject({ region: 'us-east-1', type: signal.name });
    }
    // Each held finding is a member of at most one sequence of the batch.
    expect(new Set(named.map((s): unknown => s.uid)).size).toBe(named.length);
  });

  it('a sequence grows by a signal naming a new member; its updatedAt moves and its other signals stay', () => {
    const { sequence } = emu.generateSequence({ type: 'AttackSequence:IAM/CompromisedCredentials', updatedAt: Date.now() - 3_600_000 });
    const before = structuredClone(sequenceOf(sequence).signals) as Wire[];
    const { sequence: grown, member } = emu.growSequence(sequence.id, { updatedAt: Date.now() });
    const signals = sequenceOf(grown).signals as Wire[];
    expect(signals.slice(0, before.length)).toEqual(before);
    expect(signals.slice(before.length)).toEqual([expect.objectContaining({ type: 'FINDING', uid: member.arn, name: 'Persistence:IAMUser/AnomalousBehavior' })]);
    expect(Date.parse(grown.updatedAt)).toBeGreaterThan(Date.parse(sequence.createdAt));
    expect(emu.getFinding(member.id)).toBeDefined();
  });

  it('pads to the model’s maxima: 100 signals and 400 actors', () => {
    const { sequence } = emu.generateSequence({ extraSignals: 100, extraActors: 400 });
    expect(sequenceOf(sequence).signals).toHaveLength(100);
    expect(sequenceOf(sequence).actors).toHaveLength(400);
  });

  it('IAM anomaly findings say what was unusual against which profile', () => {
    const [finding] = emu.generateFindings({ type: 'Discovery:IAMUser/AnomalousBehavior', region: 'us-east-1' });
    const anomaly = ((finding?.service as Wire).detection as Wire).anomaly as Wire;
    expect(anomaly.unusual.behavior.USER.api).toEqual({ profileType: 'FREQUENCY', profileSubtype: 'UNSEEN', observations: { text: ['ListBuckets'] } });
    expect(anomaly.profiles.USER.api[0].observations.text).toContain('GetObject');
  });

  it('the admin API generates and grows sequences', async () => {
    const post = async (path: string, body: unknown): Promise<{ status: number; json: Wire }> => {
      const res = await fetch(`${emu.url}/__admin/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as Wire };
    };
    const made = await post('sequences', { type: 'AttackSequence:ECS/CompromisedCluster', region: 'eu-west-1' });
    expect(made.status).toBe(200);
    expect(made.json.members).toHaveLength(2);
    const grown = await post(`sequences/${made.json.sequence.id}/grow`, { memberType: 'UnauthorizedAccess:Runtime/TorClient' });
    expect(grown.json.member.type).toBe('UnauthorizedAccess:Runtime/TorClient');
    expect((await post('sequences', { type: 'Recon:EC2/Portscan' })).status).toBe(400);
    expect((await post(`sequences/${'f'.repeat(32)}/grow`, {})).status).toBe(404);
  });
});
