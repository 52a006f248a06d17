import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { findingOf, guardDutyCalls, incidentOf, laterNotes, newFinding, soarCalls } from '../../helpers/sync-helpers.js';

/**
 * New activity after a responder closed an incident is never archived unseen. The cycle runs the
 * region passes before it learns of closes in SOAR, so the new version is usually applied to the
 * (closed) incident as an update first; the close is learnt afterwards. Whichever side is seen first,
 * a finding updated after the time SOAR closed its incident is a recurrence (`aws_gd_on_recurrence`);
 * a version from before the close is added to the closed incident and the finding archived.
 */

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const UPDATED = /GuardDuty finding updated: .*AWS GuardDuty Count: 3 → 5/s;
const REOPENED = /incident reopened/;

/** A finding with an incident, closed by a responder; resolves to the incident and when SOAR closed it. */
async function escalatedThenClosed(config: Record<string, string> = {}, severity = 5): Promise<{ findingId: string; incidentId: number; closedAt: number }> {
  h = await startHarness({ findings: 0, config });
  const finding = newFinding(h, 'eu-west-1', { serviceCount: 3, severity });
  expect((await h.once()).code).toBe(0);
  const incidentId = incidentOf(h, finding.id).id;
  const closed = h.soar.closeIncident(incidentId, { resolution: 'Resolved', summary: 'Benign scanner.' });
  expect(closed.endDate).toEqual(expect.any(Number));
  return { findingId: finding.id, incidentId, closedAt: closed.endDate as number };
}

/** The listing of the finding's region fails for one cycle: the SOAR phase learns of the close first. */
function failListingOnce(): void {
  h.aws.setFault({ service: 'guardduty', operation: 'ListFindings', region: 'eu-west-1', failNext: 3, statuses: [500] });
}

describe('new activity after a close, applied by the region pass before the close was known', () => {
  it('reopen (the default): the incident is reopened with a note, the finding is not archived', async () => {
    const { findingId, incidentId, closedAt } = await escalatedThenClosed();
    h.aws.updateFinding(findingId, { recur: 2, updatedAt: closedAt + 2_000 });

    expect((await h.once()).code).toBe(0);

    const incident = incidentOf(h, findingId);
    expect(incident.id).toBe(incidentId);
    expect(incident.planStatus).toBe('A');
    // Open again with no resolution: never "open (Resolved)" with the old summary.
    expect(incident).toMatchObject({ resolution: null, resolutionSummary: null });
    expect(incident.properties.aws_guardduty_count).toBe('5');
    expect(laterNotes(incident)).toEqual([expect.stringMatching(UPDATED), expect.stringMatching(REOPENED)]);
    expect(findingOf(h, findingId).service.archived).toBe(false);

    // Settled: the next cycle writes nothing and archives nothing.
    h.aws.resetCalls();
    h.soar.resetCalls();
    expect((await h.once()).code).toBe(0);
    expect(guardDutyCalls(h, 'ArchiveFindings')).toBe(0);
    expect(soarCalls(h, 'PATCH /incidents/{id}')).toBe(0);
    expect(laterNotes(incidentOf(h, findingId))).toHaveLength(2);
    // Followed as an open incident again: archived in GuardDuty, closed by the daemon.
    h.aws.archiveFindings([findingId]);
    await h.once();
    expect(incidentOf(h, findingId).planStatus).toBe('C');
  });

  it('new: a new incident follows the finding, its note names the closed one; nothing is archived', async () => {
    const { findingId, incidentId, closedAt } = await escalatedThenClosed({ aws_gd_on_recurrence: 'new' });
    h.aws.updateFinding(findingId, { recur: 2, updatedAt: closedAt + 2_000 });

    expect((await h.once()).code).toBe(0);

    const all = h.incidents().filter((i) => i.properties.aws_guardduty_finding_id === findingId);
    expect(all.map((i) => [i.id === incidentId ? 'old' : 'new', i.planStatus])).toEqual([['old', 'C'], ['new', 'A']]);
    const fresh = all[1];
    expect(fresh.properties.aws_guardduty_count).toBe('5');
    expect(laterNotes(fresh)).toEqual([expect.stringContaining(`recurred after incident ${incidentId} was closed`)]);
    expect(findingOf(h, findingId).service.archived).toBe(false);
    h.aws.resetCalls();
    await h.once();
    expect(guardDutyCalls(h, 'ArchiveFindings')).toBe(0);
    expect(h.incidents()).toHaveLength(2);
  });

  it('ignore: the close stands and the finding is archived, the closed incident showing the activity', async () => {
    const { findingId, closedAt } = await escalatedThenClosed({ aws_gd_on_recurrence: 'ignore' });
    h.aws.updateFinding(findingId, { recur: 2, updatedAt: closedAt + 2_000 });

    expect((await h.once()).code).toBe(0);

    const incident = incidentOf(h, findingId);
    expect(incident.planStatus).toBe('C');
    expect(incident.properties.aws_guardduty_count).toBe('5');
    expect(findingOf(h, findingId).service.archived).toBe(true);
  });

  it('with aws_gd_archive_on_close = false the incident is reopened too', async () => {
    const { findingId, closedAt } = await escalatedThenClosed({ aws_gd_archive_on_close: 'false' });
    h.aws.updateFinding(findingId, { recur: 2, updatedAt: closedAt + 2_000 });

    expect((await h.once()).code).toBe(0);

    const incident = incidentOf(h, findingId);
    expect(incident.planStatus).toBe('A');
    expect(laterNotes(incident)).toEqual([expect.stringMatching(UPDATED), expect.stringMatching(REOPENED)]);
    h.soar.resetCalls();
    await h.once();
    expect(soarCalls(h, 'PATCH /incidents/{id}')).toBe(0);
  });

  it('activity stamped in the second of the close counts as after it (GuardDuty counts whole seconds)', async () => {
    const { findingId, closedAt } = await escalatedThenClosed();
    h.aws.updateFinding(findingId, { recur: 2, updatedAt: Math.floor(closedAt / 1000) * 1000 });

    expect((await h.once()).code).toBe(0);

    expect(incidentOf(h, findingId).planStatus).toBe('A');
    expect(findingOf(h, findingId).service.archived).toBe(false);
  });

  it('the version the responder closed, though stamped in the second of the close, is not taken for activity after it', async () => {
    let offsetMs = 0;
    h = await startHarness({ findings: 0, soar: { clock: () => Date.now() + offsetMs } });
    // GuardDuty's last activity at the start of a second just ahead; the daemon escalates it at once.
    const second = Math.ceil((Date.now() + 1_000) / 1000) * 1000;
    const [finding] = h.aws.generateFindings({ count: 1, region: 'eu-west-1', type: 'UnauthorizedAccess:EC2/SSHBruteForce', severity: 5, updatedAt: second });
    expect((await h.once()).code).toBe(0);
    // The responder closes it later, in that very second (by SOAR's clock).
    offsetMs = second + 500 - Date.now();
    const closed = h.soar.closeIncident(incidentOf(h, finding.id).id, { summary: 'Benign scanner.' });
    offsetMs = 0;
    expect(Math.floor((closed.endDate as number) / 1000) * 1000).toBe(second);

    expect((await h.once()).code).toBe(0);

    const incident = incidentOf(h, finding.id);
    expect(incident.planStatus).toBe('C');
    expect(laterNotes(incident)).toEqual([expect.stringContaining('archived GuardDuty finding')]);
    expect(findingOf(h, finding.id).service.archived).toBe(true);
  });

  it('a version from before the close is shown on the closed incident, which stays closed; the finding is archived', async () => {
    const { findingId, closedAt } = await escalatedThenClosed();
    h.aws.updateFinding(findingId, { recur: 2, updatedAt: closedAt - 10_000 });

    expect((await h.once()).code).toBe(0);

    const incident = incidentOf(h, findingId);
    expect(incident.planStatus).toBe('C');
    expect(incident.properties.aws_guardduty_count).toBe('5');
    expect(laterNotes(incident)).toEqual([expect.stringMatching(UPDATED), expect.stringContaining('archived GuardDuty finding')]);
    expect(findingOf(h, findingId).service.archived).toBe(true);
  });
});

describe('new activity after a close, the close seen first (the region pass did not get to the finding)', () => {
  it('activity the listing will never return (below the severity threshold) reopens the incident in the same cycle, and is never archived', async () => {
    const { findingId } = await escalatedThenClosed({ aws_gd_severity_threshold: '4' });
    h.aws.updateFinding(findingId, { recur: 2, severity: 2 });
    failListingOnce();

    expect((await h.once()).code).toBe(1);
    let incident = incidentOf(h, findingId);
    expect(incident.planStatus).toBe('A');
    expect(incident.properties.aws_guardduty_count).toBe('5');
    expect(laterNotes(incident)).toEqual([expect.stringMatching(/incident reopened.*AWS GuardDuty Count: 3 → 5/s)]);

    for (let i = 0; i < 2; i++) expect((await h.once()).code).toBe(0);
    incident = incidentOf(h, findingId);
    expect(incident.planStatus).toBe('A');
    expect(laterNotes(incident)).toHaveLength(1);
    expect(findingOf(h, findingId).service.archived).toBe(false);
  });

  it('a version from before the close is added to the closed incident, not taken for a recurrence; the finding is archived', async () => {
    const { findingId, closedAt } = await escalatedThenClosed();
    h.aws.updateFinding(findingId, { recur: 2, updatedAt: closedAt - 10_000 });
    failListingOnce();

    await h.once();
    expect((await h.once()).code).toBe(0);

    const incident = incidentOf(h, findingId);
    expect(incident.planStatus).toBe('C');
    expect(incident.resolutionSummary).toBe('Benign scanner.');
    expect(laterNotes(incident)).toEqual([expect.stringMatching(UPDATED), expect.stringContaining('archived GuardDuty finding')]);
    expect(findingOf(h, findingId).service.archived).toBe(true);
    // What the daemon recorded as written is what the incident holds: a refresh finds nothing to change.
    h.soar.setProperties(incident.id, { aws_guardduty_trigger_refresh: true });
    expect((await h.once()).code).toBe(0);
    expect(laterNotes(incidentOf(h, findingId)).at(-1)).toMatch(/refreshed on request.*Nothing changed/s);
  });
});

describe('across a restart', () => {
  it('the follow-up of the close could not read the finding: the next run (a new process) reopens, nothing is archived', async () => {
    const { findingId, closedAt } = await escalatedThenClosed();
    h.aws.updateFinding(findingId, { recur: 2, updatedAt: closedAt + 2_000 });
    // The region pass reads the finding (and applies the new version); the SOAR phase's read fails.
    h.aws.setFault({ service: 'guardduty', operation: 'GetFindings', skipFirst: 1, failNext: 3, statuses: [500] });

    await h.once();
    expect(incidentOf(h, findingId).planStatus).toBe('C');
    expect(findingOf(h, findingId).service.archived).toBe(false);
    h.aws.clearFaults();

    const restarted = await h.cli(['once', '--config', h.configPath]);
    expect(restarted.code, restarted.stderr).toBe(0);
    const incident = incidentOf(h, findingId);
    expect(incident.planStatus).toBe('A');
    expect(laterNotes(incident)).toEqual([expect.stringMatching(UPDATED), expect.stringMatching(REOPENED)]);
    expect(findingOf(h, findingId).service.archived).toBe(false);
  });

  it('the reopen failed: the next run (a new process) reopens, with one note, and nothing is archived meanwhile', async () => {
    const { findingId, closedAt } = await escalatedThenClosed();
    h.aws.updateFinding(findingId, { recur: 2, updatedAt: closedAt + 2_000 });
    // The region pass's update PATCH goes through; every attempt of the reopen's PATCH fails.
    h.soar.addFault({ operations: ['PATCH /rest/orgs/{org}/incidents/{id}'], skipFirst: 1, failNext: 5, statuses: [503] });

    await h.once();
    expect(incidentOf(h, findingId).planStatus).toBe('C');
    expect(findingOf(h, findingId).service.archived).toBe(false);
    h.soar.clearFaults();

    const restarted = await h.cli(['once', '--config', h.configPath]);
    expect(restarted.code, restarted.stderr).toBe(0);
    const incident = incidentOf(h, findingId);
    expect(incident.planStatus).toBe('A');
    expect(laterNotes(incident)).toEqual([expect.stringMatching(UPDATED), expect.stringMatching(REOPENED)]);
    expect(findingOf(h, findingId).service.archived).toBe(false);
  });
});
