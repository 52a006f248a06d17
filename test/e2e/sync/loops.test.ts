import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { findingOf, guardDutyCalls, incidentOf, laterNotes, newFinding, soarWrites } from '../../helpers/sync-helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** Runs cycles and expects each one to write nothing anywhere (a loop would keep writing). */
async function expectQuiet(h: Harness, cycles: number): Promise<void> {
  for (let i = 0; i < cycles; i++) {
    h.aws.resetCalls();
    h.soar.resetCalls();
    expect((await h.once()).code).toBe(0);
    expect(guardDutyCalls(h, 'ArchiveFindings'), `ArchiveFindings in quiet cycle ${i + 1}`).toBe(0);
    expect(soarWrites(h), `SOAR writes in quiet cycle ${i + 1}`).toEqual([]);
  }
}

describe('no loop between the two directions', () => {
  it('both directions in one cycle: each side changes once and then nothing moves', async () => {
    h = await startHarness({ findings: 0 });
    const archivedInGd = newFinding(h, 'us-east-1');
    const closedInSoar = newFinding(h, 'us-east-1');
    await h.once();
    h.aws.archiveFindings([archivedInGd.id]);
    h.soar.closeIncident(incidentOf(h, closedInSoar.id).id);
    h.aws.resetCalls();
    expect((await h.once()).code).toBe(0);
    // Only the finding whose incident a responder closed was archived by the daemon.
    expect(guardDutyCalls(h, 'ArchiveFindings')).toBe(1);
    expect(findingOf(h, closedInSoar.id).service.archived).toBe(true);
    const closedByDaemon = incidentOf(h, archivedInGd.id);
    expect(closedByDaemon.planStatus).toBe('C');
    expect(laterNotes(closedByDaemon)).toEqual([]);
    expect(laterNotes(incidentOf(h, closedInSoar.id))).toHaveLength(1);
    // Both incidents were modified just now (inside the closed-incident query's overlap window).
    await expectQuiet(h, 3);
  });

  it("closed by a responder and archived in GuardDuty in the same interval: the responder's resolution stands", async () => {
    h = await startHarness({ findings: 0 });
    const finding = newFinding(h, 'us-east-1');
    await h.once();
    h.soar.closeIncident(incidentOf(h, finding.id).id, { resolution: 'Not an Issue', summary: 'Pen test, agreed with the owner.' });
    h.aws.archiveFindings([finding.id]);
    h.aws.resetCalls();
    expect((await h.once()).code).toBe(0);
    const incident = incidentOf(h, finding.id);
    expect(incident).toMatchObject({ planStatus: 'C', resolution: 'Not an Issue', resolutionSummary: 'Pen test, agreed with the owner.' });
    expect(incident.properties.aws_guardduty_archived).toBe('True');
    expect(guardDutyCalls(h, 'ArchiveFindings')).toBe(0);
    await expectQuiet(h, 2);
  });

  it("the daemon's own writes to a closed incident (archived field, refresh reset) are not taken for a responder's close", async () => {
    h = await startHarness({ findings: 0 });
    const finding = newFinding(h, 'eu-west-1');
    await h.once();
    h.aws.archiveFindings([finding.id]);
    await h.once();
    const id = incidentOf(h, finding.id).id;
    // A responder asks for a refresh of the closed incident: the daemon writes to it again.
    h.soar.setProperties(id, { aws_guardduty_trigger_refresh: true });
    h.aws.resetCalls();
    expect((await h.once()).code).toBe(0);
    expect(guardDutyCalls(h, 'ArchiveFindings')).toBe(0);
    expect(incidentOf(h, finding.id).properties.aws_guardduty_trigger_refresh).toBe(false);
    await expectQuiet(h, 2);
  });

  it('a responder reopening an incident after either sync is left to work: not closed again, not archived again', async () => {
    h = await startHarness({ findings: 0 });
    const closedInSoar = newFinding(h, 'us-east-2');
    const archivedInGd = newFinding(h, 'us-east-2');
    await h.once();
    h.soar.closeIncident(incidentOf(h, closedInSoar.id).id);
    h.aws.archiveFindings([archivedInGd.id]);
    await h.once();
    expect(findingOf(h, closedInSoar.id).service.archived).toBe(true);
    expect(incidentOf(h, archivedInGd.id).planStatus).toBe('C');
    for (const id of [closedInSoar.id, archivedInGd.id]) h.soar.reopenIncident(incidentOf(h, id).id);
    await expectQuiet(h, 2);
    for (const id of [closedInSoar.id, archivedInGd.id]) expect(incidentOf(h, id).planStatus).toBe('A');
  });
});
