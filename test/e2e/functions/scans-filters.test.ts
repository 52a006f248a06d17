import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/commands/run.js';
import { FUNCTION } from '../../../src/functions/definitions.js';
import { logLines, startHarness, type CapturedIo, type Harness, type HarnessOptions } from '../../helpers/harness.js';
import { findingOf, incidentOf, laterNotes, newFinding } from '../../helpers/sync-helpers.js';
import { until } from '../../helpers/wait.js';

/**
 * Issue 21 end to end, through STOMP: the daemon (`run`, in-process, polling every 1.2 s) subscribed
 * to the SOAR emulator's broker, the functions invoked as a playbook step invokes them, acting on the
 * AWS emulator's malware scans, filters and coverage, and what a responder then sees in the incident.
 */

let h: Harness | undefined;
let stopRun: (() => Promise<number>) | undefined;
afterEach(async () => {
  await stopRun?.();
  stopRun = undefined;
  await h?.close();
  h = undefined;
});

/** `run` against the emulators, polling every 1.2 s; resolves once its first cycle is done. */
async function startRun(options: HarnessOptions & { before?: (h: Harness) => void } = {}): Promise<{ h: Harness; io: CapturedIo }> {
  const harness = await startHarness({ findings: 0, ...options, config: { aws_gd_regions: '^(us-east-1|eu-west-1)$', aws_gd_polling_interval: '0.02', ...options.config } });
  h = harness;
  options.before?.(harness);
  const io = harness.io();
  let stop: (signal: string) => void = () => undefined;
  const running = runCommand(io, { config: harness.configPath, healthHost: '127.0.0.1', signals: { onStop: (fn) => (stop = fn) } });
  stopRun = () => {
    stop('SIGTERM');
    return running;
  };
  await until(() => logLines(io.out()).some((l) => l.message === 'Cycle finished'), 'the first cycle', { timeoutMs: 20_000 });
  return { h: harness, io };
}

type Reply = { message_type: number; message?: string; results?: { success: boolean; reason: string | null; content: any } };

async function invoke(harness: Harness, name: string, inputs: Record<string, unknown>): Promise<Reply> {
  const { invocationId } = harness.soar.invoke({ function: name, inputs });
  const outcome = await harness.soar.waitForInvocation(invocationId, { timeoutMs: 20_000 });
  expect(outcome).toMatchObject({ acked: true, finalReplies: 1 });
  return outcome.result as never;
}

const at = (harness: Harness, region = 'us-east-1'): Record<string, string> => ({
  aws_gd_region: region, aws_gd_detector_id: harness.aws.detectorsOf()[region] ?? '',
});

const instanceArn = (finding: { region: string; accountId: string; resource: any }): string =>
  `arn:aws:ec2:${finding.region}:${finding.accountId}:instance/${String(finding.resource.instanceDetails.instanceId)}`;

const SHA = 'e'.repeat(64);

describe('a malware scan from a case, through STOMP', () => {
  it('starts on the incident\'s instance, shows RUNNING, and writes its verdict into the incident by itself', async () => {
    let findingId = '';
    const { h: harness } = await startRun({ before: (hh) => (findingId = newFinding(hh).id) });
    const incident = incidentOf(harness, findingId);
    const arn = instanceArn(findingOf(harness, findingId));
    harness.aws.planMalwareScan(arn, {
      outcome: 'THREATS_FOUND', polls: 3,
      threats: [{ name: 'Trojan.Linux.Miner', hash: SHA, paths: ['/tmp/.x/xmrig', '/var/tmp/kworker'] }],
    });

    const started = await invoke(harness, FUNCTION.startMalwareScan, { ...at(harness), incident_id: incident.id, aws_gd_resource_arn: null });
    expect(started.results).toMatchObject({ success: true, content: { status: 'ok', resource_arn: arn, scan_status: 'RUNNING', adopted: false, incident_id: incident.id } });
    const scanId = started.results?.content.scan_id as string;
    expect(incidentOf(harness, findingId).tables.gd_malware_scans).toEqual([
      expect.objectContaining({ cells: expect.objectContaining({ scan_id: scanId, resource_arn: arn, scan_status: 'RUNNING', scan_type: 'ON_DEMAND' }) }),
    ]);

    // Nobody polls: the daemon's cycles read the scan until it is over and write the verdict.
    await until(() => laterNotes(incidentOf(harness, findingId)).some((n) => n.includes(`malware scan ${scanId}`)), 'the verdict in the incident', { timeoutMs: 20_000 });
    const after = incidentOf(harness, findingId);
    expect(after.tables.gd_malware_scans).toHaveLength(1);
    expect(after.tables.gd_malware_scans?.[0]?.cells).toMatchObject({
      scan_id: scanId, scan_result: 'THREATS_FOUND', threat_count: '1', threats: `Trojan.Linux.Miner (${SHA}): /tmp/.x/xmrig, /var/tmp/kworker`,
    });
    expect(after.artifacts.map((a) => [a.type, a.value])).toEqual(expect.arrayContaining([
      ['Malware SHA-256 Hash', SHA], ['File Path', '/tmp/.x/xmrig'], ['File Path', '/var/tmp/kworker'],
    ]));
    const verdicts = laterNotes(after).filter((n) => n.includes(`malware scan ${scanId}`));
    expect(verdicts).toEqual([expect.stringMatching(/THREATS FOUND\. Trojan\.Linux\.Miner \(SHA-256 e{64}\) in \/tmp\/\.x\/xmrig, \/var\/tmp\/kworker/)]);
    expect(harness.aws.malwareScans()).toEqual([expect.objectContaining({ scanId, status: 'COMPLETED' })]);

    // Get and list answer what GuardDuty holds.
    const got = await invoke(harness, FUNCTION.getMalwareScan, { ...at(harness), aws_gd_scan_id: scanId });
    expect(got.results).toMatchObject({ success: true, content: { ScanId: scanId, ScanStatus: 'COMPLETED', ScanResultDetails: { ScanResultStatus: 'THREATS_FOUND' } } });
    const listed = await invoke(harness, FUNCTION.listMalwareScans, { ...at(harness), aws_gd_resource_arn: arn, aws_gd_scan_status: { id: 2, name: 'COMPLETED' } });
    expect(listed.results?.content).toEqual({
      scans: [{ scan_id: scanId, resource_arn: arn, resource_type: 'EC2_INSTANCE', scan_status: 'COMPLETED', scan_result: 'THREATS_FOUND', scan_type: 'ON_DEMAND', started_at: expect.any(String), completed_at: expect.any(String) }],
      next_token: null,
    });
    const none = await invoke(harness, FUNCTION.listMalwareScans, { ...at(harness), aws_gd_scan_status: 'FAILED' });
    expect(none.results?.content).toEqual({ scans: [], next_token: null });
  });

  it('follows the scan GuardDuty already runs for the finding instead of starting another; a clean verdict says so', async () => {
    let findingId = '';
    const { h: harness } = await startRun({ before: (hh) => (findingId = newFinding(hh).id) });
    const incident = incidentOf(harness, findingId);
    const initiated = harness.aws.startGuardDutyScan(findingId);
    const adopted = await invoke(harness, FUNCTION.startMalwareScan, { ...at(harness), incident_id: incident.id });
    expect(adopted.results?.content).toMatchObject({ scan_id: initiated.scanId, adopted: true });
    expect(harness.aws.malwareScans()).toHaveLength(1);
    await until(() => laterNotes(incidentOf(harness, findingId)).some((n) => n.includes(initiated.scanId)), 'the verdict', { timeoutMs: 20_000 });
    const after = incidentOf(harness, findingId);
    expect(after.tables.gd_malware_scans?.[0]?.cells).toMatchObject({ scan_type: 'GUARDDUTY_INITIATED', scan_result: 'NO_THREATS_FOUND', threat_count: '0' });
    expect(laterNotes(after).filter((n) => n.includes(initiated.scanId))).toEqual([expect.stringMatching(/finished at .*: no threats found\.$/)]);
  });

  it('bad input is an error reply; an S3 object scan needs a protected bucket', async () => {
    let findingId = '';
    const { h: harness } = await startRun({ before: (hh) => (findingId = newFinding(hh).id) });
    const incident = incidentOf(harness, findingId);
    const bad = await invoke(harness, FUNCTION.startMalwareScan, { ...at(harness), incident_id: incident.id, aws_gd_resource_arn: 'arn:aws:s3:::bucket' });
    expect(bad).toMatchObject({ message_type: 1 });
    expect(bad.message).toMatch(/^Input aws_gd_resource_arn: expected the ARN of an EC2 instance/);
    expect(harness.aws.malwareScans()).toEqual([]);

    harness.aws.createBucket({ name: 'uploads', region: 'us-east-1' });
    const object = { ...at(harness), aws_gd_bucket: 'uploads', aws_gd_object_key: 'inbox/invoice.pdf', aws_gd_version_id: null };
    const refused = await invoke(harness, FUNCTION.scanS3Object, object);
    expect(refused.results).toMatchObject({ success: false, content: {} });
    expect(refused.results?.reason).toMatch(/no Malware Protection plan/);
    harness.aws.protectBucket('uploads');
    const sent = await invoke(harness, FUNCTION.scanS3Object, object);
    expect(sent.results).toMatchObject({ success: true, content: { status: 'ok', bucket: 'uploads', key: 'inbox/invoice.pdf', version_id: null, object_arn: 'arn:aws:s3:::uploads/inbox/invoice.pdf' } });
    expect(harness.aws.objectScans()).toEqual([expect.objectContaining({ bucket: 'uploads', key: 'inbox/invoice.pdf' })]);
  });
});

describe('suppression rules from a case, through STOMP', () => {
  it('shows the rule first; created, it archives the next finding like this one, which becomes no incident', async () => {
    let findingId = '';
    const { h: harness } = await startRun({ before: (hh) => (findingId = newFinding(hh).id) });
    const incident = incidentOf(harness, findingId);
    const finding = findingOf(harness, findingId);
    const instance = String((finding.resource as any).instanceDetails.instanceId);
    const inputs = { ...at(harness), incident_id: incident.id, aws_gd_suppress_by: { id: 1, name: 'resource' } };
    const criteria = {
      type: { Equals: ['UnauthorizedAccess:EC2/SSHBruteForce'] }, accountId: { Equals: [finding.accountId] },
      'resource.instanceDetails.instanceId': { Equals: [instance] },
    };

    const shown = await invoke(harness, FUNCTION.suppressLikeThis, inputs);
    expect(shown.results).toMatchObject({ success: true, content: { status: 'dry_run', dry_run: true, filter_name: `guardduty-soar-incident-${incident.id}`, action: 'ARCHIVE', criteria } });
    expect(laterNotes(incidentOf(harness, findingId))).toEqual(expect.arrayContaining([expect.stringMatching(/^Suppression rule proposed by guardduty-soar \(not created\)/)]));
    const listedBefore = await invoke(harness, FUNCTION.listFilters, at(harness));
    expect(listedBefore.results?.content).toEqual({ filter_names: [], next_token: null });

    const created = await invoke(harness, FUNCTION.suppressLikeThis, { ...inputs, aws_gd_dry_run: false });
    expect(created.results).toMatchObject({ success: true, content: { status: 'ok', dry_run: false, existed: false, criteria } });
    const again = await invoke(harness, FUNCTION.suppressLikeThis, { ...inputs, aws_gd_dry_run: 'false' });
    expect(again.results?.content).toMatchObject({ status: 'ok', existed: true });
    const rule = await invoke(harness, FUNCTION.getFilter, { ...at(harness), aws_gd_filter_name: `guardduty-soar-incident-${incident.id}` });
    expect(rule.results?.content).toMatchObject({ Name: `guardduty-soar-incident-${incident.id}`, Action: 'ARCHIVE', FindingCriteria: { Criterion: criteria } });
    expect(laterNotes(incidentOf(harness, findingId)).filter((n) => n.startsWith('guardduty-soar created the GuardDuty suppression rule'))).toHaveLength(1);

    // The same false positive again on that instance: GuardDuty archives it, and no incident is made.
    const twin = structuredClone(finding) as any;
    delete twin.id;
    delete twin.arn;
    twin.updatedAt = new Date().toISOString();
    const [next] = harness.aws.addFindings([twin]);
    const other = newFinding(harness);
    expect(findingOf(harness, String(next?.id)).service.archived).toBe(true);
    await until(() => harness.incidentFor(other.id) !== undefined, 'the other finding\'s incident', { timeoutMs: 20_000 });
    expect(harness.incidentFor(String(next?.id))).toBeUndefined();
  });

  it('create, update, list, get and delete a filter; its criteria are checked before any call', async () => {
    const { h: harness } = await startRun();
    const bad = await invoke(harness, FUNCTION.createFilter, { ...at(harness), aws_gd_filter_name: 'scanners', aws_gd_finding_criteria: '{"service.archived": {"equals": ["true"]}}' });
    expect(bad).toMatchObject({ message_type: 1 });
    expect(bad.message).toMatch(/^Input aws_gd_finding_criteria: expected/);
    const criteria = '{"type": {"equals": ["Recon:EC2/PortProbeUnprotectedPort"]}, "severity": {"lessThan": 4}}';
    const created = await invoke(harness, FUNCTION.createFilter, { ...at(harness), aws_gd_filter_name: 'scanners', aws_gd_finding_criteria: criteria, aws_gd_filter_description: 'Known scanners', aws_gd_tags: 'Owner: soc' });
    expect(created.results).toMatchObject({ success: true, content: { status: 'ok', filter_name: 'scanners', action: 'ARCHIVE', existed: false } });
    const updated = await invoke(harness, FUNCTION.updateFilter, { ...at(harness), aws_gd_filter_name: 'scanners', aws_gd_filter_action: { id: 2, name: 'NOOP' }, aws_gd_filter_rank: 1 });
    expect(updated.results).toMatchObject({ success: true, content: { status: 'ok', filter_name: 'scanners', action: 'NOOP', rank: 1 } });
    expect((await invoke(harness, FUNCTION.getFilter, { ...at(harness), aws_gd_filter_name: 'scanners' })).results?.content).toMatchObject({
      Name: 'scanners', Action: 'NOOP', Rank: 1, Description: 'Known scanners', Tags: { Owner: 'soc' },
    });
    expect((await invoke(harness, FUNCTION.listFilters, { ...at(harness), aws_gd_max_results: 10 })).results?.content).toEqual({ filter_names: ['scanners'], next_token: null });
    expect((await invoke(harness, FUNCTION.deleteFilter, { ...at(harness), aws_gd_filter_name: 'scanners' })).results?.content).toEqual({ status: 'ok', filter_name: 'scanners', deleted: true });
    expect((await invoke(harness, FUNCTION.deleteFilter, { ...at(harness), aws_gd_filter_name: 'scanners' })).results?.content).toEqual({ status: 'ok', filter_name: 'scanners', deleted: false });
    const missing = await invoke(harness, FUNCTION.getFilter, { ...at(harness), aws_gd_filter_name: 'scanners' });
    expect(missing.results).toMatchObject({ success: false, content: {} });
  });
});

describe('coverage, through STOMP', () => {
  it('lists unhealthy resources with why, and counts them', async () => {
    const { h: harness } = await startRun();
    harness.aws.addCoverage({ resourceId: 'i-0aaa1111', coverageStatus: 'HEALTHY' });
    harness.aws.addCoverage({ resourceId: 'i-0bbb2222', coverageStatus: 'UNHEALTHY', issue: 'No agent reporting' });
    const unhealthy = await invoke(harness, FUNCTION.listCoverage, { ...at(harness), aws_gd_coverage_status: { id: 2, name: 'UNHEALTHY' } });
    expect(unhealthy.results).toMatchObject({
      success: true,
      content: { resources: [{ ResourceId: 'i-0bbb2222', CoverageStatus: 'UNHEALTHY', Issue: 'No agent reporting', ResourceDetails: { ResourceType: 'EC2' } }], next_token: null },
    });
    const stats = await invoke(harness, FUNCTION.getCoverageStatistics, at(harness));
    expect(stats.results?.content).toEqual({ CountByCoverageStatus: { HEALTHY: 1, UNHEALTHY: 1 }, CountByResourceType: { EC2: 2 } });
  });
});
