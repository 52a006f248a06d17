import { afterEach, describe, expect, it } from 'vitest';
import { FUNCTION } from '../../../src/functions/definitions.js';
import { FunctionInputError } from '../../../src/functions/function-types.js';
import { changeFinding, incidentOf, laterNotes, newFinding, rowCounts, soarCalls, soarWrites } from '../../helpers/sync-helpers.js';
import { startHandlerWorld, type HandlerWorld } from './handler-world.js';

let w: HandlerWorld;
afterEach(async () => {
  await w?.close();
});

/** The inputs IBM's refresh playbook sends for the incident of a finding. */
function refreshInputs(findingId: string, incidentId: number, region = 'us-east-1'): Record<string, string | number> {
  return { ...w.at(region), aws_gd_finding_id: findingId, incident_id: incidentId };
}

describe('func_aws_guardduty_refresh_finding', () => {
  it('refreshes the incident as the daemon does and answers IBM\'s content; a repeat of the same invocation adds no second note', async () => {
    w = await startHandlerWorld();
    const finding = newFinding(w.h, 'us-east-1', { serviceCount: 2 });
    await w.cycle();
    const incident = incidentOf(w.h, finding.id);
    changeFinding(w.h, finding.id, (f) => (f.service.count = 9));
    w.h.soar.resetCalls();

    const outcome = await w.invoke(FUNCTION.refreshFinding, refreshInputs(finding.id, incident.id), 'ID:refresh-1');
    expect(outcome).toMatchObject({ success: true, reason: null, payloadVersion: 1 });
    const content = outcome.content as Record<string, any>;
    expect(Object.keys(content).sort()).toEqual(['data_tables', 'finding', 'payload', 'region', 'timestamp']);
    expect(content.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(content.region).toBe('us-east-1');
    expect(Object.keys(content.payload).sort()).toEqual(['artifacts', 'comments', 'description', 'discovered_date', 'name', 'properties', 'severity_code']);
    expect(content.payload.properties).toMatchObject({ aws_guardduty_finding_id: finding.id, aws_guardduty_count: '9' });
    // IBM's ten properties (const.CUSTOM_FIELDS_MAP), no more: a playbook copying them onto an incident of IBM's schema finds each field.
    expect(Object.keys(content.payload.properties)).toEqual([
      'aws_guardduty_finding_id', 'aws_guardduty_finding_arn', 'aws_guardduty_finding_type', 'aws_guardduty_finding_updated_at', 'aws_guardduty_region',
      'aws_guardduty_severity', 'aws_guardduty_resource_type', 'aws_guardduty_detector_id', 'aws_guardduty_count', 'aws_guardduty_archived',
    ]);
    expect(content.payload.severity_code).toBe('Medium');
    expect(content.payload.comments).toEqual([]);
    // The artifacts were all added with the create: none is new.
    expect(content.payload.artifacts).toEqual([]);
    expect(content.data_tables.gd_finding_overview).toEqual([{ cells: expect.objectContaining({ count: { value: '9' }, query_execution_date: { value: content.timestamp } }) }]);
    expect(content.finding).toMatchObject({ Id: finding.id, Service: expect.objectContaining({ Count: 9 }) });
    // IBM's six tables are all there, [] when the finding has no row for one (an EC2 finding: no S3 bucket).
    expect(Object.keys(content.data_tables).slice(0, 6)).toEqual(['gd_finding_overview', 'gd_action_details', 'gd_resource_affected', 'gd_s3_bucket_details', 'gd_instance_details', 'gd_access_key_details']);
    expect(content.data_tables.gd_s3_bucket_details).toEqual([]);
    // GuardDuty's Severity is a Double, a float in IBM's result (written 5.0, not 5): see test/e2e/functions/ibm-results.test.ts for the wire.

    const after = incidentOf(w.h, finding.id);
    expect(after.properties.aws_guardduty_count).toBe('9');
    expect(rowCounts(after).gd_finding_overview).toBe((rowCounts(incident).gd_finding_overview ?? 0) + 1);
    expect(laterNotes(after)).toEqual([expect.stringMatching(/refreshed on request.*AWS GuardDuty Count: 2 → 9/s)]);
    expect(w.statuses).toEqual([expect.stringContaining(`Refreshing incident ${incident.id}`)]);

    // The same invocation again (a redelivery after a crash): nothing new to write, and no second note.
    await w.invoke(FUNCTION.refreshFinding, refreshInputs(finding.id, incident.id), 'ID:refresh-1');
    expect(laterNotes(incidentOf(w.h, finding.id))).toHaveLength(1);
    // A new invocation is a new request: it is answered with a note of its own.
    await w.invoke(FUNCTION.refreshFinding, refreshInputs(finding.id, incident.id), 'ID:refresh-2');
    expect(laterNotes(incidentOf(w.h, finding.id))).toEqual([expect.any(String), expect.stringMatching(/Nothing changed/)]);
    expect(soarCalls(w.h, 'PATCH /incidents/{id}')).toBe(1);
  });

  it('answers {} for a finding GuardDuty no longer has, and marks the incident as the daemon does', async () => {
    w = await startHandlerWorld();
    const finding = newFinding(w.h);
    await w.cycle();
    const incident = incidentOf(w.h, finding.id);
    w.h.aws.deleteFindings([finding.id]);
    const outcome = await w.invoke(FUNCTION.refreshFinding, refreshInputs(finding.id, incident.id));
    expect(outcome).toEqual({ success: true, reason: null, content: {}, payloadVersion: 1 });
    expect(laterNotes(incidentOf(w.h, finding.id))).toEqual([expect.stringMatching(/GuardDuty no longer returns finding/)]);
  });

  it('fails (an error reply, as IBM\'s app) when the incident is gone, heals the finding as a cycle would, and names the new incident', async () => {
    w = await startHandlerWorld();
    const finding = newFinding(w.h);
    await w.cycle();
    const deleted = incidentOf(w.h, finding.id).id;
    w.h.soar.deleteIncidents([deleted]);

    const failure = (): Promise<unknown> => w.invoke(FUNCTION.refreshFinding, refreshInputs(finding.id, deleted)).then(() => undefined, (e: unknown) => e);
    const error = await failure();
    const healed = incidentOf(w.h, finding.id);
    expect(healed.id).not.toBe(deleted);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      `Incident ${deleted} no longer exists in SOAR (it was deleted, or the org was restored from an older backup). ` +
        `GuardDuty finding ${finding.id} now has incident ${healed.id}, whose note names incident ${deleted}; refresh that one.`,
    );
    expect(laterNotes(healed)).toEqual([expect.stringContaining(`previous incident ${deleted} no longer exists in SOAR`)]);
    // Asked again about the deleted incident: the same answer, and nothing created twice.
    expect(((await failure()) as Error).message).toBe((error as Error).message);
    expect(w.h.incidents().filter((i) => i.properties.aws_guardduty_finding_id === finding.id)).toHaveLength(1);
  });

  it('with aws_gd_deleted_incident = forget, fails saying the deleted incident is gone and the finding is no longer escalated', async () => {
    w = await startHandlerWorld({ config: { aws_gd_deleted_incident: 'forget' } });
    const finding = newFinding(w.h);
    await w.cycle();
    const deleted = incidentOf(w.h, finding.id).id;
    w.h.soar.deleteIncidents([deleted]);
    const error = await w.invoke(FUNCTION.refreshFinding, refreshInputs(finding.id, deleted)).then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).toMatch(new RegExp(`^Incident ${deleted} no longer exists in SOAR .*guardduty-soar no longer escalates GuardDuty finding ${finding.id} \\(aws_gd_deleted_incident = forget\\)\\.$`));
    expect(w.h.incidents()).toEqual([]);
  });

  it('refuses missing inputs and an incident that is not the finding\'s, naming the input, and changes nothing; an id GuardDuty does not hold is {}', async () => {
    w = await startHandlerWorld();
    const finding = newFinding(w.h);
    const other = newFinding(w.h);
    await w.cycle();
    const incident = incidentOf(w.h, finding.id);
    const good = refreshInputs(finding.id, incident.id);
    const eu = w.at('eu-west-1');
    w.h.soar.resetCalls();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...good, aws_gd_finding_id: null }, 'aws_gd_finding_id', /expected a value/],
      [{ ...good, aws_gd_region: '' }, 'aws_gd_region', /expected the AWS region/],
      [{ ...good, aws_gd_detector_id: undefined }, 'aws_gd_detector_id', /expected the id of a GuardDuty detector/],
      [{ ...good, incident_id: undefined }, 'incident_id', /expected the id of a SOAR incident/],
      [{ ...good, incident_id: 'twelve' }, 'incident_id', /whole number.*found "twelve"/],
      [{ ...good, aws_gd_region: 'ap-south-1' }, 'aws_gd_region', /a region where guardduty-soar polls a detector \(.*eu-west-1.*us-east-1.*\), found "ap-south-1"/],
      [{ ...good, aws_gd_detector_id: eu.aws_gd_detector_id }, 'aws_gd_detector_id', new RegExp(`polls in us-east-1: ${good.aws_gd_detector_id}`)],
      [{ ...good, incident_id: incidentOf(w.h, other.id).id }, 'incident_id', new RegExp(`incident ${incident.id}, the one linked to finding`)],
    ];
    for (const [inputs, input, message] of cases) {
      const error = await w.invoke(FUNCTION.refreshFinding, inputs as never).then(() => undefined, (e: unknown) => e);
      expect(error, input).toBeInstanceOf(FunctionInputError);
      expect((error as FunctionInputError).input).toBe(input);
      expect((error as Error).message).toMatch(message);
    }
    // IBM's app answers {} for a finding GuardDuty does not hold, and writes nothing.
    expect(await w.invoke(FUNCTION.refreshFinding, { ...good, aws_gd_finding_id: 'f00dfeedf00dfeedf00dfeedf00dfeed' })).toEqual({ success: true, reason: null, content: {}, payloadVersion: 1 });
    expect(soarWrites(w.h)).toEqual([]);
    expect(w.statuses).toEqual([]);
  });

  it('never races a cycle on the same finding: run together, the incident is updated once and consistently', async () => {
    w = await startHandlerWorld();
    const findings = [newFinding(w.h, 'us-east-1', { serviceCount: 1 }), newFinding(w.h, 'us-east-1', { serviceCount: 1 })];
    await w.cycle();
    // A slow PATCH: whichever of the two writes first is still writing when the other arrives.
    w.h.soar.addFault({ operations: ['PATCH /rest/orgs/{org}/incidents/{id}'], latencyMs: 250 });
    for (let round = 2; round <= 4; round++) {
      for (const f of findings) changeFinding(w.h, f.id, (c) => (c.service.count = round));
      const before = findings.map((f) => rowCounts(incidentOf(w.h, f.id)).gd_finding_overview ?? 0);
      w.h.soar.resetCalls();
      const target = findings[round % 2] ?? findings[0];
      await Promise.all([
        w.cycle(),
        w.invoke(FUNCTION.refreshFinding, refreshInputs(target.id, incidentOf(w.h, target.id).id)),
      ]);
      // One PATCH per incident (a second, from a stale read, would be a conflict or a revert).
      expect(soarCalls(w.h, 'PATCH /incidents/{id}')).toBe(findings.length);
      findings.forEach((f, i) => {
        const incident = incidentOf(w.h, f.id);
        expect(incident.properties.aws_guardduty_count).toBe(String(round));
        expect(rowCounts(incident).gd_finding_overview).toBe((before[i] ?? 0) + 1);
      });
    }
    expect(w.deps.locks.size).toBe(0);
  });
});
