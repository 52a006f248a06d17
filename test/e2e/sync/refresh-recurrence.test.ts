import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { findingOf, guardDutyCalls, incidentOf, laterNotes, newFinding, soarCalls } from '../../helpers/sync-helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const REFRESH = { aws_guardduty_trigger_refresh: true };

describe('manual refresh', () => {
  it('refreshes a requested incident from GetFindings at once, answers with a note and resets the flag', async () => {
    h = await startHarness({ findings: 0 });
    const finding = newFinding(h);
    await h.once();
    const id = incidentOf(h, finding.id).id;
    h.soar.setProperties(id, REFRESH);
    h.aws.resetCalls();
    expect((await h.once()).code).toBe(0);
    const incident = incidentOf(h, finding.id);
    expect(incident.properties.aws_guardduty_trigger_refresh).toBe(false);
    expect(laterNotes(incident)).toEqual([expect.stringMatching(/GuardDuty finding refreshed on request.*Nothing changed/s)]);
    // The listing's check batch, and one GetFindings for the refresh.
    expect(guardDutyCalls(h, 'GetFindings')).toBe(2);

    // The reset is the daemon's own change: no second refresh.
    await h.once();
    expect(laterNotes(incidentOf(h, finding.id))).toHaveLength(1);
    // A second request gets a second answer.
    h.soar.setProperties(id, REFRESH);
    await h.once();
    expect(laterNotes(incidentOf(h, finding.id))).toHaveLength(2);
  });

  it('brings a closed incident the daemon no longer follows up to date', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_archive_on_close: 'false', aws_gd_on_recurrence: 'ignore' } });
    const finding = newFinding(h, 'us-west-2', { serviceCount: 2 });
    await h.once();
    const id = incidentOf(h, finding.id).id;
    h.soar.closeIncident(id);
    await h.once();
    h.aws.updateFinding(finding.id, { recur: 5 });
    await h.once();
    expect(incidentOf(h, finding.id).properties.aws_guardduty_count).toBe('2');

    h.soar.setProperties(id, REFRESH);
    expect((await h.once()).code).toBe(0);
    const incident = incidentOf(h, finding.id);
    expect(incident.planStatus).toBe('C');
    expect(incident.properties).toMatchObject({ aws_guardduty_count: '7', aws_guardduty_trigger_refresh: false });
    expect(incident.tables.gd_finding_overview?.map((r) => r.cells.count)).toEqual(['2', '7']);
    expect(laterNotes(incident)).toEqual([expect.stringMatching(/refreshed on request.*AWS GuardDuty Count: 2 → 7/s)]);
  });

  it('answers a request on an incident it does not know, and on a finding GuardDuty no longer has', async () => {
    h = await startHarness({ findings: 0 });
    const finding = newFinding(h);
    await h.once();
    const linked = incidentOf(h, finding.id).id;
    h.aws.deleteFindings([finding.id]);
    h.soar.setProperties(linked, REFRESH);
    expect((await h.once()).code).toBe(0);
    const gone = incidentOf(h, finding.id);
    expect(gone.properties.aws_guardduty_trigger_refresh).toBe(false);
    expect(laterNotes(gone)).toEqual([expect.stringContaining(`GuardDuty no longer returns finding ${finding.id}`)]);
  });
});

describe('recurrence: the finding is updated after its incident was closed (and not archived)', () => {
  async function closedThenRecurred(policy: string): Promise<{ findingId: string; closedId: number }> {
    h = await startHarness({ findings: 0, config: { aws_gd_archive_on_close: 'false', aws_gd_on_recurrence: policy } });
    const finding = newFinding(h, 'us-east-1', { serviceCount: 3 });
    await h.once();
    const closedId = incidentOf(h, finding.id).id;
    h.soar.closeIncident(closedId, { summary: 'False positive, for now.' });
    await h.once();
    h.aws.updateFinding(finding.id, { recur: 2 });
    expect((await h.once()).code).toBe(0);
    return { findingId: finding.id, closedId };
  }

  it('reopen (the default): plan status back to active, with a note; followed as before afterwards', async () => {
    const { findingId, closedId } = await closedThenRecurred('reopen');
    const incident = incidentOf(h, findingId);
    expect(incident.id).toBe(closedId);
    expect(incident.planStatus).toBe('A');
    expect(incident.properties.aws_guardduty_count).toBe('5');
    expect(laterNotes(incident)).toEqual([expect.stringMatching(/incident reopened.*AWS GuardDuty Count: 3 → 5/s)]);
    h.soar.resetCalls();
    await h.once();
    expect(soarCalls(h, 'PATCH /incidents/{id}')).toBe(0);
    // Archived now: the reopened incident is closed again by the daemon.
    h.aws.archiveFindings([findingId]);
    await h.once();
    expect(incidentOf(h, findingId).planStatus).toBe('C');
  });

  it('new: a new incident, linked and followed, with a note pointing to the old one', async () => {
    const { findingId, closedId } = await closedThenRecurred('new');
    const all = h.incidents().filter((i) => i.properties.aws_guardduty_finding_id === findingId);
    expect(all).toHaveLength(2);
    const old = all.find((i) => i.id === closedId)!;
    const fresh = all.find((i) => i.id !== closedId)!;
    expect(old.planStatus).toBe('C');
    expect(laterNotes(old)).toEqual([]);
    expect(fresh.planStatus).toBe('A');
    expect(fresh.properties.aws_guardduty_count).toBe('5');
    expect(laterNotes(fresh)).toEqual([expect.stringContaining(`recurred after incident ${closedId} was closed`)]);
    // The link moved: the next update goes to the new incident only.
    h.aws.updateFinding(findingId, { recur: 1 });
    await h.once();
    expect(h.soar.getIncident(fresh.id)?.properties.aws_guardduty_count).toBe('6');
    expect(h.soar.getIncident(closedId)?.properties.aws_guardduty_count).toBe('3');
  });

  it('ignore: the closed incident stays as it is', async () => {
    const { findingId, closedId } = await closedThenRecurred('ignore');
    const all = h.incidents().filter((i) => i.properties.aws_guardduty_finding_id === findingId);
    expect(all.map((i) => i.id)).toEqual([closedId]);
    expect(all[0]?.planStatus).toBe('C');
    expect(all[0]?.properties.aws_guardduty_count).toBe('3');
    expect(laterNotes(all[0])).toEqual([]);
  });
  it('a recurrence the daemon has not seen yet when a responder closes the incident is not swallowed by the archive', async () => {
    h = await startHarness({ findings: 0 });
    const finding = newFinding(h, 'eu-west-1', { serviceCount: 3 });
    await h.once();
    const incidentId = incidentOf(h, finding.id).id;
    // The responder closes while GuardDuty sees the activity again, and this cycle's listing of the
    // region fails: the SOAR phase learns of the close before any region pass has seen the new version.
    h.soar.closeIncident(incidentId, { resolution: 'Resolved', summary: 'Handled.' });
    h.aws.updateFinding(finding.id, { recur: 2 });
    h.aws.setFault({ service: 'guardduty', operation: 'ListFindings', region: 'eu-west-1', failNext: 3, statuses: [500] });
    expect((await h.once()).code).toBe(1);
    expect(findingOf(h, finding.id).service.archived).toBe(false);

    // The next cycle sees the recurrence first: the incident reopens with the new count, nothing is archived.
    expect((await h.once()).code).toBe(0);
    const incident = incidentOf(h, finding.id);
    expect(incident.planStatus).toBe('A');
    expect(incident.properties.aws_guardduty_count).toBe('5');
    expect(laterNotes(incident)).toEqual([expect.stringMatching(/incident reopened.*AWS GuardDuty Count: 3 → 5/s)]);
    expect(findingOf(h, finding.id).service.archived).toBe(false);
    h.aws.resetCalls();
    await h.once();
    expect(guardDutyCalls(h, 'ArchiveFindings')).toBe(0);
  });
});

describe('vanished finding', () => {
  it('one note, the link marked gone, the incident left as it is; never checked again', async () => {
    h = await startHarness({ findings: 0 });
    const finding = newFinding(h, 'eu-west-1');
    const kept = newFinding(h, 'eu-west-1');
    await h.once();
    h.aws.deleteFindings([finding.id]);
    expect((await h.once()).code).toBe(0);
    const incident = incidentOf(h, finding.id);
    expect(incident.planStatus).toBe('A');
    expect(laterNotes(incident)).toEqual([expect.stringMatching(/no longer returns finding.*will not update this incident again/)]);
    for (let i = 0; i < 2; i++) await h.once();
    expect(incidentOf(h, finding.id).notes).toHaveLength(incident.notes.length);
    expect(findingOf(h, kept.id).service.archived).toBe(false);
    expect(laterNotes(incidentOf(h, kept.id))).toEqual([]);
  });
});
