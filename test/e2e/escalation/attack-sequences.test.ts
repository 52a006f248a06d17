import { afterEach, describe, expect, it } from 'vitest';
import type { WireFinding } from '../../../emulators/aws/index.js';
import type { AdminIncident } from '../../../emulators/soar/index.js';
import { logLines, startHarness, type Harness } from '../../helpers/harness.js';
import { findingOf, incidentOf, laterNotes, rowCounts, soarWrites } from '../../helpers/sync-helpers.js';

/**
 * Issue 20, end to end: an attack sequence becomes one case that tells the story (tables of its
 * signals in time order, actors, endpoints, resources and indicators; artifacts; the story note),
 * linked both ways to the incidents of the findings it is made of, whichever arrives first and
 * across restarts; or, with `fold`, the members' details inside it.
 */

let h: Harness;
afterEach(async () => {
  await h?.close();
});

type Wire = Record<string, any>;
type Cells = Record<string, unknown>;
const rows = (incident: AdminIncident, table: string): Cells[] => (incident.tables[table] ?? []).map((r) => r.cells);
const sequenceOf = (f: WireFinding): Wire => ((f.service as Wire).detection as Wire).sequence as Wire;
const LINK_NOTE = /^Part of an attack sequence: incident (\d+)\./;

/** A cycle that changes nothing in SOAR. */
async function expectQuiet(): Promise<void> {
  h.soar.resetCalls();
  expect((await h.once()).code).toBe(0);
  expect(soarWrites(h)).toEqual([]);
}

/** The member incidents each point at the sequence's incident once: one note, the custom field. */
function expectMembersLinked(members: readonly WireFinding[], sequenceIncident: number): void {
  for (const m of members) {
    const incident = incidentOf(h, m.id);
    expect(incident.properties.aws_guardduty_sequence_incident, m.type).toBe(String(sequenceIncident));
    const links = laterNotes(incident).filter((n) => LINK_NOTE.test(n));
    expect(links, m.type).toHaveLength(1);
    expect(links[0]).toMatch(new RegExp(`^Part of an attack sequence: incident ${sequenceIncident}\\.`));
  }
}

/** The sequence incident's signal rows name each member's incident. */
function expectRowsNameMembers(sequenceIncident: AdminIncident, members: readonly WireFinding[]): void {
  const signals = rows(sequenceIncident, 'gd_sequence_signals');
  for (const m of members) {
    const mine = signals.filter((s) => s.signal_uid === m.arn);
    expect(mine, m.type).toHaveLength(1);
    expect(mine[0]?.member_incident, m.type).toBe(String(incidentOf(h, m.id).id));
  }
}

/** Takes findings out of GuardDuty (they arrive later), returning them for `bringBack`. */
function holdBack(findings: readonly WireFinding[]): WireFinding[] {
  const copies = findings.map((f) => structuredClone(f));
  h.aws.deleteFindings(findings.map((f) => f.id));
  return copies;
}

/** GuardDuty reports them now (their updatedAt moves past the cursor). */
function bringBack(findings: readonly WireFinding[]): void {
  const now = new Date().toISOString();
  h.aws.addFindings(findings.map((f) => ({ ...f, updatedAt: now, service: { ...f.service, eventLastSeen: now } })));
}

describe('the case a responder opens', () => {
  it('a sequence and its members in one cycle: the story, the tables in time order, artifacts, and the links both ways', async () => {
    h = await startHarness({ findings: 0 });
    const { sequence, members } = h.aws.generateSequence({ type: 'AttackSequence:S3/CompromisedData', region: 'us-east-1' });
    expect((await h.once()).code).toBe(0);

    const seq = sequenceOf(sequence);
    const incident = incidentOf(h, sequence.id);
    expect(h.incidents()).toHaveLength(1 + members.length);
    expect(incident.name).toBe(`AWS GuardDuty: ${String(sequence.title)}`);
    // The timeline: one row per signal, in the order the activity happened.
    const signals = rows(incident, 'gd_sequence_signals');
    const byTime = [...(seq.signals as Wire[])].sort((a, b) => Number(a.firstSeenAt) - Number(b.firstSeenAt));
    expect(signals.map((s) => s.name)).toEqual(byTime.map((s): unknown => s.name));
    expect(signals.map((s) => s.signal_type)).toEqual(byTime.map((s): unknown => s.type));
    expect(signals[0]).toMatchObject({ first_seen: new Date(Number(byTime[0]?.firstSeenAt) * 1000).toISOString(), actors: expect.stringContaining('(IAMUser)') });
    expectRowsNameMembers(incident, members);
    expect(rows(incident, 'gd_sequence_actors')).toEqual([expect.objectContaining({ user_name: seq.actors[0].user.name, session_mfa: 'DISABLED' })]);
    expect(rows(incident, 'gd_sequence_endpoints')).toEqual([expect.objectContaining({ ip: seq.endpoints[0].ip, country: 'Germany', asn: '64500' })]);
    expect(rows(incident, 'gd_sequence_resources').map((r) => r.resource_type)).toEqual(['S3_BUCKET', 'ACCESS_KEY']);
    expect(rows(incident, 'gd_sequence_indicators')).toContainEqual(expect.objectContaining({
      found_in: 'Attack sequence', indicator_key: 'ATTACK_TACTIC', indicator_values: (seq.sequenceIndicators[0].values as string[]).join(', '),
    }));
    // Artifacts from every part of the sequence, each once, each saying where it came from.
    const artifact = (type: string, value: unknown) => incident.artifacts.find((a) => a.type === type && a.value === value);
    expect(artifact('IP Address', seq.endpoints[0].ip)?.description).toMatch(/Sequence\.Endpoints\[0\]\.Ip \(network endpoint endpoint-1 of the attack sequence\)$/);
    expect(artifact('aws_iam_user_name', seq.actors[0].user.name)).toBeDefined();
    expect(artifact('aws_resource_arn', seq.resources[0].uid)).toBeDefined();
    expect(artifact('aws_s3_bucket_name', seq.resources[0].name)).toBeDefined();
    const pairs = incident.artifacts.map((a) => `${a.type}|${a.value}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    // The first note is the story, the timeline in it.
    const story = incident.notes[0]?.text ?? '';
    expect(story).toContain(`An attack sequence of ${signals.length} signals over `);
    expect(story).toContain(`(${members.length} GuardDuty findings, ${signals.length - members.length} activity signals)`);
    expect(story).toMatch(/MITRE ATT&CK: tactics Discovery, Defense Evasion, Collection, Exfiltration; techniques T1580/);
    expect(story.indexOf('Timeline')).toBeLessThan(story.indexOf(`${String(byTime[byTime.length - 1]?.name)} (`));
    // Each member's incident points at the sequence's, once.
    expectMembersLinked(members, incident.id);
    expect(laterNotes(incident)).toEqual([]);
    await expectQuiet();
  });

  it('an IAM anomaly finding says what was unusual and against which profile', async () => {
    h = await startHarness({ findings: 0 });
    const [finding] = h.aws.generateFindings({ type: 'Discovery:IAMUser/AnomalousBehavior', region: 'eu-west-1', updatedAt: Date.now() });
    expect((await h.once()).code).toBe(0);
    const incident = incidentOf(h, String(finding?.id));
    expect(rows(incident, 'gd_anomaly_details')).toContainEqual(expect.objectContaining({
      profile: 'USER', feature: 'api', unusual: 'ListBuckets', frequency: 'UNSEEN', usual: 'GetObject, PutObject, DescribeInstances',
    }));
    expect(incident.notes[0]?.text).toMatch(/Unusual: api ListBuckets \(UNSEEN for USER; usually GetObject, PutObject, DescribeInstances\)/);
  });
});

describe('linked once, whichever arrives first', () => {
  it('the members first, the sequence a cycle later in a new process: each member’s incident gets one note and the field', async () => {
    h = await startHarness({ findings: 0 });
    const { sequence, members } = h.aws.generateSequence({ type: 'AttackSequence:IAM/CompromisedCredentials', region: 'eu-west-1' });
    const [later] = holdBack([sequence]);
    expect((await h.once()).code).toBe(0);
    for (const m of members) expect(incidentOf(h, m.id).properties.aws_guardduty_sequence_incident).toBeNull();

    bringBack([later]);
    const run = await h.cli(['once', '--config', h.configPath]);
    expect(run.code, run.stderr).toBe(0);
    const incident = incidentOf(h, sequence.id);
    expectMembersLinked(members, incident.id);
    // Written with the member incidents already known: the rows name them from the start.
    expectRowsNameMembers(incident, members);
    await expectQuiet();
    expectMembersLinked(members, incident.id);
  });

  it('the sequence first, its members a cycle later: the signal rows come to name their incidents, in place', async () => {
    h = await startHarness({ findings: 0 });
    const { sequence, members } = h.aws.generateSequence({ type: 'AttackSequence:EC2/CompromisedInstanceGroup', region: 'us-east-2' });
    const later = holdBack(members);
    expect((await h.once()).code).toBe(0);
    const before = incidentOf(h, sequence.id);
    const findingRows = rows(before, 'gd_sequence_signals').filter((s) => s.signal_type === 'FINDING');
    expect(findingRows).toHaveLength(members.length);
    for (const row of findingRows) expect(row.member_incident ?? null).toBeNull();

    bringBack(later);
    const run = await h.cli(['once', '--config', h.configPath]);
    expect(run.code, run.stderr).toBe(0);
    const after = incidentOf(h, sequence.id);
    expect(rowCounts(after)).toEqual(rowCounts(before));
    expectRowsNameMembers(after, members);
    expectMembersLinked(members, after.id);
    expect(laterNotes(after)).toEqual([]);
    await expectQuiet();
  });

  it('a member whose link SOAR refuses holds up no other: the rest are linked, and the next cycle links it, once', async () => {
    h = await startHarness({ findings: 0 });
    const { sequence, members } = h.aws.generateSequence({ type: 'AttackSequence:IAM/CompromisedCredentials', region: 'eu-west-1' });
    expect(members.length).toBeGreaterThan(1);
    const [later] = holdBack([sequence]);
    expect((await h.once()).code).toBe(0);

    bringBack([later]);
    // The first member incident's field is refused (400, not retried): the link step goes on with the others.
    const refused = h.soar.addFault({ operations: ['PATCH /rest/orgs/{org}/incidents/{id}'], failNext: 1, statuses: [400] });
    const run = await h.once();
    expect(h.soar.faults().find((f) => f.id === refused.id)?.triggered).toBe(1);
    const incident = incidentOf(h, sequence.id);
    const pointing = members.filter((m) => incidentOf(h, m.id).properties.aws_guardduty_sequence_incident === String(incident.id));
    expect(pointing).toHaveLength(members.length - 1);
    expect(logLines(run.stdout).filter((l) => l.message === 'An attack-sequence link was not made; the next cycle tries again')).toHaveLength(1);

    expect((await h.once()).code).toBe(0);
    expectMembersLinked(members, incident.id);
    expectRowsNameMembers(incidentOf(h, sequence.id), members);
  });

  it('separate: no link either way', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_sequence_members: 'separate' } });
    const { sequence, members } = h.aws.generateSequence({ region: 'us-east-1' });
    expect((await h.once()).code).toBe(0);
    for (const m of members) {
      expect(incidentOf(h, m.id).properties.aws_guardduty_sequence_incident).toBeNull();
      expect(laterNotes(incidentOf(h, m.id))).toEqual([]);
    }
    for (const row of rows(incidentOf(h, sequence.id), 'gd_sequence_signals')) expect(row.member_incident ?? null).toBeNull();
  });
});

describe('fold: the members inside the sequence’s case', () => {
  it('members reported after the sequence get no incident; their rows, artifacts and a note go into the sequence’s; an update adds only what changed', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_sequence_members: 'fold' } });
    const { sequence, members } = h.aws.generateSequence({ type: 'AttackSequence:S3/CompromisedData', region: 'us-east-1' });
    const later = holdBack(members);
    expect((await h.once()).code).toBe(0);
    bringBack(later);
    expect((await h.once()).code).toBe(0);

    expect(h.incidents()).toHaveLength(1);
    const incident = incidentOf(h, sequence.id);
    const folded = laterNotes(incident);
    expect(folded).toHaveLength(members.length);
    for (const m of members) {
      expect(folded.filter((n) => n.startsWith(`Member finding folded into this attack sequence: GuardDuty finding ${m.id} (${m.type})`))).toHaveLength(1);
      expect(rows(incident, 'gd_finding_overview')).toContainEqual(expect.objectContaining({ count: String(m.service.count), updated_at: findingOf(h, m.id).updatedAt }));
    }
    expect(rows(incident, 'gd_finding_overview')).toHaveLength(1 + members.length);
    expect(incident.artifacts.filter((a) => a.description?.startsWith('Folded member finding'))).not.toHaveLength(0);
    await expectQuiet();

    // GuardDuty updates one member: one note and its changed rows, nothing else.
    const [first] = members;
    const before = rowCounts(incidentOf(h, sequence.id));
    h.aws.updateFinding(String(first?.id), { recur: 3 });
    expect((await h.once()).code).toBe(0);
    const updated = incidentOf(h, sequence.id);
    expect(laterNotes(updated).slice(members.length)).toEqual([expect.stringMatching(new RegExp(`^Member finding updated: GuardDuty finding ${String(first?.id)}`))]);
    // Its overview and action rows are histories of count and last seen, as for every finding.
    expect(rowCounts(updated)).toEqual({
      ...before, gd_finding_overview: (before.gd_finding_overview ?? 0) + 1, gd_action_details: (before.gd_action_details ?? 0) + 1,
    });
    expect(h.incidents()).toHaveLength(1);
    await expectQuiet();
  });

  it('members listed with their sequence fold into it in the same cycle; with close_members, closing the case archives them all', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_sequence_members: 'fold', aws_gd_sequence_close_members: 'true' } });
    const { sequence, members } = h.aws.generateSequence({ type: 'AttackSequence:ECS/CompromisedCluster', region: 'eu-west-1' });
    expect((await h.once()).code).toBe(0);
    expect(h.incidents()).toHaveLength(1);
    const incident = incidentOf(h, sequence.id);
    expect(laterNotes(incident)).toHaveLength(members.length);

    h.soar.closeIncident(incident.id, { resolution: 'Resolved', summary: 'Cluster rebuilt.' });
    expect((await h.once()).code).toBe(0);
    expect(findingOf(h, sequence.id).service.archived).toBe(true);
    for (const m of members) expect(findingOf(h, m.id).service.archived, m.type).toBe(true);
    expect(laterNotes(incidentOf(h, sequence.id)).at(-1)).toMatch(/archived the 2 findings folded into this attack sequence/);
    await expectQuiet();
  });
});

describe('a sequence GuardDuty grows, and one at the model’s maxima', () => {
  it('a grown sequence adds only the new signal’s row and a note naming it; the new member is linked', async () => {
    h = await startHarness({ findings: 0 });
    const { sequence } = h.aws.generateSequence({ type: 'AttackSequence:IAM/CompromisedCredentials', region: 'us-east-1', updatedAt: Date.now() - 3_600_000 });
    expect((await h.once()).code).toBe(0);
    const before = incidentOf(h, sequence.id);
    const { member } = h.aws.growSequence(sequence.id);
    expect((await h.once()).code).toBe(0);

    const after = incidentOf(h, sequence.id);
    expect(rowCounts(after)).toEqual({
      ...rowCounts(before),
      gd_sequence_signals: (rowCounts(before).gd_sequence_signals ?? 0) + 1,
      // The overview and action rows are histories of count and last seen, as for every finding.
      gd_finding_overview: (rowCounts(before).gd_finding_overview ?? 0) + 1,
      gd_action_details: (rowCounts(before).gd_action_details ?? 0) + 1,
    });
    const added = rows(after, 'gd_sequence_signals').filter((s) => !rows(before, 'gd_sequence_signals').some((b) => b.signal_uid === s.signal_uid));
    expect(added).toEqual([expect.objectContaining({ signal_uid: member.arn, name: member.type, member_incident: String(incidentOf(h, member.id).id) })]);
    expect(laterNotes(after)).toEqual([expect.stringContaining(`The attack sequence has 1 new signal: ${member.type} (GuardDuty finding, first seen `)]);
    expectMembersLinked([member], after.id);
    await expectQuiet();
  });

  it('a signal observed again is said so, apart from the new one: its count and last sighting, not counted as new', async () => {
    h = await startHarness({ findings: 0 });
    const { sequence } = h.aws.generateSequence({ type: 'AttackSequence:S3/CompromisedData', region: 'us-east-1', updatedAt: Date.now() - 3_600_000 });
    expect((await h.once()).code).toBe(0);
    const before = incidentOf(h, sequence.id);
    const { member } = h.aws.growSequence(sequence.id, { observeAgain: 1 });
    expect((await h.once()).code).toBe(0);

    const after = incidentOf(h, sequence.id);
    // One row for the new signal, one for the new version of the signal observed again.
    expect(rowCounts(after).gd_sequence_signals).toBe((rowCounts(before).gd_sequence_signals ?? 0) + 2);
    const notes = laterNotes(after);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(`The attack sequence has 1 new signal: ${member.type} (GuardDuty finding, first seen `);
    expect(notes[0]).toMatch(/A signal was observed again: [^<]+ \(count 2, last seen /);
    expect(notes[0]).not.toContain('2 new signals');
    await expectQuiet();
  });

  it('100 signals and 400 actors: one complete incident, every row, the story within the note limit', async () => {
    h = await startHarness({ findings: 0 });
    const { sequence, members } = h.aws.generateSequence({ type: 'AttackSequence:S3/CompromisedData', region: 'us-east-1', extraSignals: 100, extraActors: 400 });
    expect(sequenceOf(sequence).signals).toHaveLength(100);
    expect(sequenceOf(sequence).actors).toHaveLength(400);
    expect((await h.once()).code).toBe(0);

    expect(h.incidents().filter((i) => i.properties.aws_guardduty_finding_id === sequence.id)).toHaveLength(1);
    const incident = incidentOf(h, sequence.id);
    expect(rows(incident, 'gd_sequence_signals')).toHaveLength(100);
    expect(rows(incident, 'gd_sequence_actors')).toHaveLength(400);
    expect(incident.artifacts.filter((a) => a.type === 'aws_iam_user_name')).toHaveLength(400);
    const story = incident.notes[0]?.text ?? '';
    expect(story).toContain('An attack sequence of 100 signals');
    expect(story).toMatch(/Who: \S+ \(IAMUser\); svc-user-1 \(IAMUser\); .*and 395 more/);
    expectRowsNameMembers(incident, members);
    await expectQuiet();
  });
});
