import { afterEach, describe, expect, it } from 'vitest';
import { FUNCTION } from '../../../src/functions/definitions.js';
import { at, invoke, startFunctionsRun, stopFunctionsRun, type FunctionReply, type FunctionsRunOptions } from '../support/functions-run.js';
import type { Harness } from '../../helpers/harness.js';
import { findingOf, newFinding } from '../../helpers/sync-helpers.js';

/**
 * Threat list and trusted list maintenance from SOAR, end to end: the daemon (`run`, in-process)
 * subscribed to the SOAR emulator's STOMP broker, the add/remove functions invoked as a playbook
 * step invokes them, editing the list object in the AWS emulator's S3 and having its GuardDuty
 * reload the set (the emulator records each load and the entries it read).
 */

afterEach(stopFunctionsRun);

/** The daemon with four function workers, so that concurrent invocations meet. */
const startRun = (options: FunctionsRunOptions = {}): ReturnType<typeof startFunctionsRun> =>
  startFunctionsRun({ ...options, config: { 'resilient.num_workers': '4', ...options.config } });

/** Creates a TXT list through IBM's create function; answers its id. */
async function createList(harness: Harness, fn: string, idMember: string, location: string, region = 'us-east-1'): Promise<string> {
  const created = await invoke(harness, fn, { ...at(harness, region), aws_gd_format: { id: 1, name: 'TXT' }, aws_gd_name: 'SOC list', aws_gd_activate: true, aws_gd_location: location });
  expect(created.results?.success).toBe(true);
  return created.results?.content[idMember] as string;
}

const s3Calls = (harness: Harness, op: string): number => harness.aws.calls().counts[`s3:${op}`] ?? 0;

describe('threat list maintenance from an IP artifact, through STOMP', () => {
  it('two concurrent additions to one threat list both land, GuardDuty reloads it, and a removal of an absent IP changes nothing', async () => {
    const { h: harness } = await startRun();
    harness.aws.createBucket({ name: 'soc-lists', region: 'us-east-1' });
    harness.aws.putObjectText('soc-lists', 'threats.txt', '# known bad\n192.0.2.10\n');
    const id = await createList(harness, FUNCTION.createThreatIntelSet, 'ThreatIntelSetId', 's3://soc-lists/threats.txt');
    const where = { ...at(harness), aws_gd_threat_intel_set_id: id };

    // Slow reads: both invocations read the same ETag before either writes, so one write loses.
    harness.aws.setFault({ service: 's3', operation: 'GetObject', latencyMs: 400 });
    harness.aws.resetCalls();
    const [a, b] = await Promise.all([
      invoke(harness, FUNCTION.addToThreatIntelSet, { ...where, aws_gd_ip_addresses: '203.0.113.7' }),
      invoke(harness, FUNCTION.addToThreatIntelSet, { ...where, aws_gd_ip_addresses: '198.51.100.0/24, 192.0.2.10/32' }),
    ]);
    harness.aws.clearFaults();
    expect(a.results).toMatchObject({ success: true, content: { status: 'ok', added: ['203.0.113.7'], already_present: [] } });
    expect(b.results).toMatchObject({ success: true, content: { status: 'ok', added: ['198.51.100.0/24'], already_present: ['192.0.2.10'] } });
    // The race happened and was retried: three conditional puts, one of which was refused.
    expect(s3Calls(harness, 'PutObject')).toBe(3);
    expect([a.results?.content.attempts, b.results?.content.attempts].sort()).toEqual([1, 2]);
    const object = harness.aws.getObjectText('soc-lists', 'threats.txt');
    expect(object?.text.split('\n').filter((l) => l !== '').sort()).toEqual(['# known bad', '192.0.2.10', '198.51.100.0/24', '203.0.113.7'].sort());
    const last = [a, b].find((r) => r.results?.content.attempts === 2);
    expect(last?.results?.content).toMatchObject({ etag: object?.etag, entries: 3, location: 's3://soc-lists/threats.txt' });
    const list = harness.aws.threatLists().find((l) => l.id === id);
    expect(list?.status).toBe('ACTIVE');
    expect(list?.lastLoad?.entries?.sort()).toEqual(['192.0.2.10', '198.51.100.0/24', '203.0.113.7']);

    harness.aws.resetCalls();
    const absent = await invoke(harness, FUNCTION.removeFromThreatIntelSet, { ...where, aws_gd_ip_addresses: '233.252.0.1' });
    expect(absent.results).toMatchObject({ success: true, content: { status: 'ok', removed: [], not_present: ['233.252.0.1'], entries: 3 } });
    expect(s3Calls(harness, 'PutObject')).toBe(0);
    expect(harness.aws.getObjectText('soc-lists', 'threats.txt')?.etag).toBe(object?.etag);

    const removed = await invoke(harness, FUNCTION.removeFromThreatIntelSet, { ...where, aws_gd_ip_addresses: '203.0.113.7/32' });
    expect(removed.results).toMatchObject({ success: true, content: { removed: ['203.0.113.7'], not_present: [], entries: 2 } });
    expect(harness.aws.threatLists().find((l) => l.id === id)?.lastLoad?.entries?.sort()).toEqual(['192.0.2.10', '198.51.100.0/24']);
  });

  it('an invalid CIDR is an error reply naming the entry, before anything is read or written', async () => {
    const { h: harness } = await startRun();
    harness.aws.createBucket({ name: 'soc-lists', region: 'us-east-1' });
    const id = await createList(harness, FUNCTION.createThreatIntelSet, 'ThreatIntelSetId', 's3://soc-lists/threats.txt');
    harness.aws.resetCalls();
    const reply = await invoke(harness, FUNCTION.addToThreatIntelSet, { ...at(harness), aws_gd_threat_intel_set_id: id, aws_gd_ip_addresses: '203.0.113.7, 10.0.0.5/24' });
    expect(reply).toMatchObject({ message_type: 1, complete: true });
    expect(reply.message).toMatch(/^Input aws_gd_ip_addresses: expected IP addresses or CIDR ranges \("10\.0\.0\.5\/24" is not a CIDR range: it has host bits set \(did you mean 10\.0\.0\.0\/24\?\)\)/);
    const bad = await invoke(harness, FUNCTION.addToThreatIntelSet, { ...at(harness), aws_gd_threat_intel_set_id: id, aws_gd_ip_addresses: '300.1.2.3' });
    expect(bad.message).toMatch(/"300\.1\.2\.3" is not an IPv4 or IPv6 address or CIDR range/);
    expect(Object.keys(harness.aws.calls().counts).filter((op) => op.startsWith('s3:') || op.includes('ThreatIntelSet'))).toEqual([]);
    expect(harness.aws.getObjectText('soc-lists', 'threats.txt')).toBeUndefined();
  });
});

describe('trusted list maintenance, through STOMP', () => {
  it('creates the list object when the set has none yet, IPv6 normalised, and removes by any spelling', async () => {
    const { h: harness } = await startRun();
    harness.aws.createBucket({ name: 'soc-trusted', region: 'eu-west-1' });
    const location = 'https://soc-trusted.s3.eu-west-1.amazonaws.com/trusted.txt';
    const id = await createList(harness, FUNCTION.createIpSet, 'IpSetId', location, 'eu-west-1');
    const where = { ...at(harness, 'eu-west-1'), aws_gd_ip_set_id: id };

    const added = await invoke(harness, FUNCTION.addToIpSet, { ...where, aws_gd_ip_addresses: '2001:DB8:0:0:0:0:0:1\n2001:db8::1/128\n2001:db8:ab::/48' });
    expect(added.results).toMatchObject({ success: true, content: { added: ['2001:db8::1', '2001:db8:ab::/48'], already_present: [], entries: 2, attempts: 1 } });
    expect(harness.aws.getObjectText('soc-trusted', 'trusted.txt')?.text).toBe('2001:db8::1\n2001:db8:ab::/48\n');
    expect(harness.aws.threatLists().find((l) => l.id === id)).toMatchObject({ status: 'ACTIVE', lastLoad: { entries: ['2001:db8::1', '2001:db8:ab::/48'] } });

    const removed = await invoke(harness, FUNCTION.removeFromIpSet, { ...where, aws_gd_ip_addresses: '2001:0db8::0001' });
    expect(removed.results).toMatchObject({ success: true, content: { removed: ['2001:db8::1'], not_present: [], entries: 1 } });
    expect(harness.aws.getObjectText('soc-trusted', 'trusted.txt')?.text).toBe('2001:db8:ab::/48\n');
  });

  it('a list in another format than TXT is refused, naming the set', async () => {
    const { h: harness } = await startRun();
    harness.aws.createBucket({ name: 'soc-lists', region: 'us-east-1' });
    const created = await invoke(harness, FUNCTION.createThreatIntelSet, {
      ...at(harness), aws_gd_format: { id: 2, name: 'STIX' }, aws_gd_name: 'Feed', aws_gd_activate: false, aws_gd_location: 's3://soc-lists/feed.xml',
    });
    const id = created.results?.content.ThreatIntelSetId as string;
    const reply = await invoke(harness, FUNCTION.addToThreatIntelSet, { ...at(harness), aws_gd_threat_intel_set_id: id, aws_gd_ip_addresses: '203.0.113.7' });
    expect(reply).toMatchObject({ message_type: 1 });
    expect(reply.message).toMatch(/^Input aws_gd_threat_intel_set_id: expected a ThreatIntelSet in TXT format .*this one is STIX/);
  });
});

describe('a member account', () => {
  const ADMIN = '111111111111';
  const MEMBER = '222222222222';
  it('may not change its administrator\'s threat list (refused before the object is written) nor unarchive findings', async () => {
    const { h: harness } = await startRun({
      aws: {
        accounts: [
          { accountId: ADMIN, accessKeys: ['AKIAADMIN00000000001'], regions: ['us-east-1'] },
          { accountId: MEMBER, accessKeys: ['AKIAMEMBER0000000001'], regions: ['us-east-1'], administrator: ADMIN },
        ],
      },
      config: { aws_gd_regions: '^us-east-1$', aws_gd_access_key_id: 'AKIAMEMBER0000000001' },
    });
    harness.aws.createBucket({ name: 'admin-lists', account: ADMIN, region: 'us-east-1', allowAccounts: [MEMBER] });
    harness.aws.putObjectText('admin-lists', 'threats.txt', '192.0.2.10\n');
    const memberDetector = harness.aws.detectorsOf(MEMBER)['us-east-1'] ?? '';
    harness.aws.resetCalls();
    const reply = await invoke(harness, FUNCTION.addToThreatIntelSet, {
      aws_gd_region: 'us-east-1', aws_gd_detector_id: memberDetector, aws_gd_threat_intel_set_id: 'anything', aws_gd_ip_addresses: '203.0.113.7',
    });
    expect(reply.results).toMatchObject({ success: false, content: {} });
    expect(reply.results?.reason).toBe(`Account ${MEMBER} is a GuardDuty member of administrator account ${ADMIN}: only the administrator manages ThreatIntelSets in us-east-1; run this with the administrator's detector`);
    expect(s3Calls(harness, 'PutObject')).toBe(0);
    expect(harness.aws.getObjectText('admin-lists', 'threats.txt')?.text).toBe('192.0.2.10\n');

    const [finding] = harness.aws.generateFindings({ account: MEMBER, count: 1, updatedAt: Date.now() });
    const unarchive = await invoke(harness, FUNCTION.unarchiveFindings, { aws_gd_region: 'us-east-1', aws_gd_detector_id: memberDetector, aws_gd_finding_ids: String(finding?.id) });
    expect(unarchive.results).toMatchObject({ success: false, content: {} });
    expect(unarchive.results?.reason).toMatch(new RegExp(`only the administrator account unarchive findings, and detector ${memberDetector} \\(us-east-1\\) belongs to member account ${MEMBER}`));
  });
});

describe('unarchive, feedback and get findings, through STOMP', () => {
  it('unarchives every id given (duplicates once), sends feedback, reads findings, and bad input is an error reply', async () => {
    const { h: harness } = await startRun();
    const ids = [newFinding(harness).id, newFinding(harness).id];
    for (const id of ids) {
      const archived = await invoke(harness, FUNCTION.archiveFinding, { ...at(harness), aws_gd_finding_id: id });
      expect(archived.results?.content).toEqual({ status: 'ok' });
      expect(findingOf(harness, id).service.archived).toBe(true);
    }
    harness.aws.resetCalls();
    const reply = await invoke(harness, FUNCTION.unarchiveFindings, { ...at(harness), aws_gd_finding_ids: `${ids[0]}, ${ids[1]},${ids[0]}` });
    expect(reply.results).toMatchObject({ success: true, content: { status: 'ok', finding_ids: ids } });
    expect(ids.map((id) => findingOf(harness, id).service.archived)).toEqual([false, false]);
    expect(harness.aws.calls().counts['guardduty:UnarchiveFindings']).toBe(1);

    const feedback = await invoke(harness, FUNCTION.updateFindingsFeedback, {
      ...at(harness), aws_gd_finding_ids: ids.join(','), aws_gd_feedback: { id: 2, name: 'NOT_USEFUL' }, aws_gd_comments: 'Our scanner <b>x</b>',
    });
    expect(feedback.results).toMatchObject({ success: true, content: { status: 'ok', finding_ids: ids, feedback: 'NOT_USEFUL' } });
    expect(harness.aws.calls().counts['guardduty:UpdateFindingsFeedback']).toBe(1);
    expect(ids.map((id) => (findingOf(harness, id).service as { userFeedback?: string }).userFeedback)).toEqual(['NOT_USEFUL', 'NOT_USEFUL']);
    const wrong = await invoke(harness, FUNCTION.updateFindingsFeedback, { ...at(harness), aws_gd_finding_ids: ids[0], aws_gd_feedback: 'meh' });
    expect(wrong.message).toBe('Input aws_gd_feedback: expected one of USEFUL, NOT_USEFUL, found "meh"');

    const got = await invoke(harness, FUNCTION.getFindings, { ...at(harness), aws_gd_finding_ids: `${ids[1]}, not-a-finding` });
    expect(got.results).toMatchObject({ success: true, content: { not_found: ['not-a-finding'] } });
    expect(got.results?.content.findings).toEqual([expect.objectContaining({ Id: ids[1], Type: 'UnauthorizedAccess:EC2/SSHBruteForce', Service: expect.objectContaining({ Archived: false }) })]);
    const many = await invoke(harness, FUNCTION.getFindings, { ...at(harness), aws_gd_finding_ids: Array.from({ length: 51 }, (_, i) => `f${i}`).join(',') });
    expect(many.message).toBe('Input aws_gd_finding_ids: expected at most 50 finding ids (GuardDuty\'s GetFindings limit); 51 were given');

    const bad = await invoke(harness, FUNCTION.unarchiveFindings, { aws_gd_region: 'us-east-1', aws_gd_detector_id: 'nope', aws_gd_finding_ids: ids[0] });
    expect(bad).toMatchObject({ message_type: 1 });
    expect(bad.message).toMatch(/^Input aws_gd_detector_id: expected a detector guardduty-soar polls in us-east-1/);
  });
});

describe('list findings with criteria, sample findings and detectors, through STOMP', () => {
  it('pages the matching ids with the token it answers, lists a sample finding it had made, reads, updates and lists detectors, and refuses criteria the config key would refuse', async () => {
    const { h: harness } = await startRun();
    const high = [newFinding(harness, 'us-east-1', { severity: 8 }).id, newFinding(harness, 'us-east-1', { severity: 7.5 }).id];
    newFinding(harness, 'us-east-1', { severity: 2 });
    const criteria = '{"severity": {"greaterThanOrEqual": 7}}';
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const page: FunctionReply = await invoke(harness, FUNCTION.listFindings, { ...at(harness), aws_gd_finding_criteria: criteria, aws_gd_max_results: 1, aws_gd_next_token: token });
      expect(page.results?.success).toBe(true);
      seen.push(...(page.results?.content.finding_ids as string[]));
      token = page.results?.content.next_token as string | null;
      pages++;
    } while (token !== null && pages < 5);
    expect(seen.sort()).toEqual([...high].sort());
    expect(pages).toBeGreaterThanOrEqual(2);

    const all = await invoke(harness, FUNCTION.listFindings, at(harness));
    expect(all.results?.content.finding_ids).toHaveLength(3);
    const sample = await invoke(harness, FUNCTION.createSampleFindings, { ...at(harness), aws_gd_finding_types: 'Recon:EC2/PortProbeUnprotectedPort' });
    expect(sample.results).toMatchObject({ success: true, content: { status: 'ok', finding_types: ['Recon:EC2/PortProbeUnprotectedPort'] } });
    const after = await invoke(harness, FUNCTION.listFindings, { ...at(harness), aws_gd_finding_criteria: '{"type": {"equals": ["Recon:EC2/PortProbeUnprotectedPort"]}}' });
    expect(after.results?.content.finding_ids).toHaveLength(1);
    const badType = await invoke(harness, FUNCTION.createSampleFindings, { ...at(harness), aws_gd_finding_types: 'not a type' });
    expect(badType.message).toMatch(/^Input aws_gd_finding_types: expected GuardDuty finding types/);

    const detector = await invoke(harness, FUNCTION.getDetector, at(harness));
    expect(detector.results).toMatchObject({
      success: true, content: { Status: 'ENABLED', FindingPublishingFrequency: 'SIX_HOURS', DetectorId: at(harness).aws_gd_detector_id, AccountId: expect.stringMatching(/^\d{12}$/) },
    });
    expect(detector.results?.content.CreatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const updated = await invoke(harness, FUNCTION.updateDetector, {
      ...at(harness), aws_gd_finding_publishing_frequency: { id: 1, name: 'FIFTEEN_MINUTES' }, aws_gd_features: 's3_data_events: disabled', aws_gd_enable: null,
    });
    expect(updated.results).toMatchObject({ success: true, content: { status: 'ok', findingPublishingFrequency: 'FIFTEEN_MINUTES', features: { S3_DATA_EVENTS: 'DISABLED' } } });
    const reread = (await invoke(harness, FUNCTION.getDetector, at(harness))).results?.content;
    expect(reread.FindingPublishingFrequency).toBe('FIFTEEN_MINUTES');
    expect(reread.Features).toEqual(expect.arrayContaining([expect.objectContaining({ Name: 'S3_DATA_EVENTS', Status: 'DISABLED' })]));
    const nothing = await invoke(harness, FUNCTION.updateDetector, at(harness));
    expect(nothing.message).toMatch(/^Input aws_gd_enable: expected at least one change/);

    const detectors = await invoke(harness, FUNCTION.listDetectors, { aws_gd_region: 'eu-west-1' });
    expect(detectors.results?.content).toEqual({ region: 'eu-west-1', detectors: [{ account: expect.stringMatching(/^\d{12}$/), detector_id: at(harness, 'eu-west-1').aws_gd_detector_id }] });

    const bad = await invoke(harness, FUNCTION.listFindings, { ...at(harness), aws_gd_finding_criteria: '{"severity": {"biggerThan": 7}}' });
    expect(bad).toMatchObject({ message_type: 1 });
    expect(bad.message).toMatch(/^Input aws_gd_finding_criteria: expected a JSON object of field/);
  });
});

describe('tags of GuardDuty resources, through STOMP', () => {
  it('tags, lists and untags the detector and a threat list; an ARN of another detector is an error reply', async () => {
    const { h: harness } = await startRun();
    const tagged = await invoke(harness, FUNCTION.tagResource, { ...at(harness), aws_gd_tags: 'Owner: secops, Env: prod' });
    expect(tagged.results).toMatchObject({ success: true, content: { status: 'ok', tags: { Owner: 'secops', Env: 'prod' } } });
    const arn = tagged.results?.content.resource_arn as string;
    expect(arn).toMatch(new RegExp(`^arn:aws:guardduty:us-east-1:\\d{12}:detector/${at(harness).aws_gd_detector_id}$`));
    expect((await invoke(harness, FUNCTION.listTags, at(harness))).results?.content).toEqual({ resource_arn: arn, tags: { Owner: 'secops', Env: 'prod' } });
    const untagged = await invoke(harness, FUNCTION.untagResource, { ...at(harness), aws_gd_tag_keys: 'Env' });
    expect(untagged.results).toMatchObject({ success: true, content: { removed: ['Env'] } });
    expect((await invoke(harness, FUNCTION.listTags, at(harness))).results?.content.tags).toEqual({ Owner: 'secops' });

    harness.aws.createBucket({ name: 'soc-lists', region: 'us-east-1' });
    await createList(harness, FUNCTION.createThreatIntelSet, 'ThreatIntelSetId', 's3://soc-lists/t.txt');
    const listArn = harness.aws.threatLists()[0]?.arn ?? '';
    await invoke(harness, FUNCTION.tagResource, { ...at(harness), aws_gd_resource_arn: listArn, aws_gd_tags: 'Source: soar' });
    expect(harness.aws.threatLists()[0]?.tags).toEqual({ Source: 'soar' });

    const other = await invoke(harness, FUNCTION.listTags, { ...at(harness), aws_gd_resource_arn: arn.replace(/detector\/.*/, 'detector/0123abcd') });
    expect(other.message).toMatch(/^Input aws_gd_resource_arn: expected the ARN of detector /);
  });
});
