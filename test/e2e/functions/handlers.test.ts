import { afterEach, describe, expect, it } from 'vitest';
import { FUNCTION } from '../../../src/functions/definitions.js';
import { until } from '../../helpers/wait.js';
import { at, invoke, startFunctionsRun, stopFunctionsRun } from '../support/functions-run.js';
import { logLines } from '../../helpers/harness.js';
import { changeFinding, findingOf, incidentOf, laterNotes, newFinding, rowCounts, soarCalls } from '../../helpers/sync-helpers.js';

/**
 * IBM's twelve functions end to end: the daemon (`run`, in-process) subscribed to the SOAR
 * emulator's STOMP broker over TLS, invocations sent the way a playbook step sends them (inputs in
 * SOAR's wire shapes), the real handlers acting on the AWS emulator and SOAR, and the final reply
 * read back from the broker.
 */

afterEach(stopFunctionsRun);

const RESPONSE_METADATA = { RequestId: expect.any(String), HTTPStatusCode: 200, HTTPHeaders: expect.any(Object), RetryAttempts: 0 };

describe('a responder\'s functions on a GuardDuty incident, through STOMP', () => {
  it('refresh updates the incident and answers IBM\'s content; archive archives it and answers {"status":"ok"}', async () => {
    let findingId = '';
    const { h: harness } = await startFunctionsRun({
      before: async (hh) => {
        findingId = newFinding(hh, 'us-east-1', { serviceCount: 3 }).id;
        expect((await hh.once()).code).toBe(0);
      },
    });
    const incident = incidentOf(harness, findingId);
    changeFinding(harness, findingId, (f) => (f.service.count = 8));

    const refreshed = await invoke(harness, FUNCTION.refreshFinding, { ...at(harness), aws_gd_finding_id: findingId, incident_id: incident.id });
    expect(refreshed).toMatchObject({ message_type: 0, complete: true, results: { version: '1.0', success: true } });
    const content = refreshed.results?.content;
    expect(Object.keys(content).sort()).toEqual(['data_tables', 'finding', 'payload', 'region', 'timestamp']);
    expect(content.payload.properties).toMatchObject({ aws_guardduty_count: '8', aws_guardduty_finding_id: findingId });
    expect(content.finding.Id).toBe(findingId);
    expect(incidentOf(harness, findingId).properties.aws_guardduty_count).toBe('8');
    expect(laterNotes(incidentOf(harness, findingId))).toEqual([expect.stringMatching(/AWS GuardDuty Count: 3 → 8/)]);

    const archived = await invoke(harness, FUNCTION.archiveFinding, { ...at(harness), aws_gd_finding_id: findingId });
    expect(archived.results).toMatchObject({ success: true, content: { status: 'ok' } });
    expect(findingOf(harness, findingId).service.archived).toBe(true);
    expect(incidentOf(harness, findingId).properties.aws_guardduty_archived).toBe('True');
  });

  it('a refresh racing the daemon\'s first cycle on the same finding: one consistent update', async () => {
    let findingId = '';
    const { h: harness, io } = await startFunctionsRun({
      afterCycle: false,
      before: async (hh) => {
        findingId = newFinding(hh, 'us-east-1', { serviceCount: 1 }).id;
        expect((await hh.once()).code).toBe(0);
        changeFinding(hh, findingId, (f) => (f.service.count = 5));
        // Slow PATCHes: whichever writes first is still writing when the other arrives.
        hh.soar.addFault({ operations: ['PATCH /rest/orgs/{org}/incidents/{id}'], latencyMs: 250 });
        hh.soar.resetCalls();
      },
    });
    const incident = incidentOf(harness, findingId);
    const rowsBefore = rowCounts(incident).gd_finding_overview ?? 0;
    const refreshed = await invoke(harness, FUNCTION.refreshFinding, { ...at(harness), aws_gd_finding_id: findingId, incident_id: incident.id });
    expect(refreshed.results?.success).toBe(true);
    await until(() => logLines(io.out()).some((l) => l.message === 'Cycle finished'), 'the first cycle', { timeoutMs: 15_000 });
    const after = incidentOf(harness, findingId);
    expect(after.properties.aws_guardduty_count).toBe('5');
    expect(rowCounts(after).gd_finding_overview).toBe(rowsBefore + 1);
    expect(soarCalls(harness, 'PATCH /incidents/{id}')).toBe(1);
  });

  it('a missing input is an error reply naming it; what AWS refuses is IBM\'s result; nothing changes', async () => {
    const { h: harness } = await startFunctionsRun();
    const base = { ...at(harness), aws_gd_format: { id: 1, name: 'TXT' }, aws_gd_name: 'Blocked', aws_gd_activate: true };
    const reply = await invoke(harness, FUNCTION.createIpSet, { ...base, aws_gd_location: null });
    expect(reply).toMatchObject({ message_type: 1, complete: true });
    expect(reply.message).toMatch(/^Input aws_gd_location: expected a value/);
    // IBM's app sends the location to AWS, and answers its refusal in the content (success, {status: "error"}).
    const refused = await invoke(harness, FUNCTION.createIpSet, { ...base, aws_gd_location: 'https://example.com/blocked.txt' });
    expect(refused.results).toMatchObject({ success: true, reason: null, content: { status: 'error', msg: expect.stringMatching(/CreateIPSet operation: .*parameter location/) } });
    const unknown = await invoke(harness, FUNCTION.refreshFinding, { aws_gd_region: 'ap-south-1', aws_gd_detector_id: 'x', aws_gd_finding_id: 'y', incident_id: 1 });
    expect(unknown.message).toMatch(/^Input aws_gd_region: expected a region where guardduty-soar polls a detector/);
    expect(harness.aws.threatLists()).toEqual([]);
  });
});

describe.each([
  { label: 'IPSet', idMember: 'IpSetId', idInput: 'aws_gd_ip_set_id', create: FUNCTION.createIpSet, get: FUNCTION.getIpSet, list: FUNCTION.listIpSet, update: FUNCTION.updateIpSet, remove: FUNCTION.deleteIpSet },
  {
    label: 'ThreatIntelSet', idMember: 'ThreatIntelSetId', idInput: 'aws_gd_threat_intel_set_id', create: FUNCTION.createThreatIntelSet,
    get: FUNCTION.getThreatIntelSet, list: FUNCTION.listThreatIntelSet, update: FUNCTION.updateThreatIntelSet, remove: FUNCTION.deleteThreatIntelSet,
  },
])('$label from SOAR, through STOMP', (k) => {
  it('create, get, list, update and delete answer IBM\'s content', async () => {
    const { h: harness } = await startFunctionsRun();
    const created = await invoke(harness, k.create, {
      ...at(harness, 'eu-west-1'), aws_gd_format: { id: 2, name: 'TXT' }, aws_gd_name: 'Known scanners', aws_gd_activate: true,
      aws_gd_location: 's3://soc-lists/scanners.txt', aws_gd_tags: 'Owner: secops', aws_gd_client_token: null,
    });
    expect(created.results).toEqual({ ...created.results, success: true, content: { ResponseMetadata: RESPONSE_METADATA, [k.idMember]: expect.any(String), status: 'ok' } });
    const id = created.results?.content[k.idMember] as string;
    const where = { ...at(harness, 'eu-west-1'), [k.idInput]: id };

    expect((await invoke(harness, k.get, where)).results?.content).toEqual({
      Name: 'Known scanners', Format: 'TXT', Location: 's3://soc-lists/scanners.txt', Tags: { Owner: 'secops' }, Status: 'ACTIVE',
    });
    expect((await invoke(harness, k.list, { ...at(harness, 'eu-west-1'), aws_gd_max_results: 10, aws_gd_next_token: null })).results?.content).toEqual([id]);
    expect((await invoke(harness, k.update, { ...where, aws_gd_new_activate: false })).results?.content).toEqual({ ResponseMetadata: RESPONSE_METADATA, status: 'ok' });
    expect((await invoke(harness, k.get, where)).results?.content.Status).toBe('INACTIVE');
    expect((await invoke(harness, k.remove, where)).results?.content).toEqual({ ResponseMetadata: RESPONSE_METADATA, status: 'ok' });
    expect(harness.aws.threatLists()).toEqual([]);
  });
});
