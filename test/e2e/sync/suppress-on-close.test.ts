import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { findingOf, incidentOf, laterNotes, newFinding } from '../../helpers/sync-helpers.js';

/**
 * `aws_gd_suppress_on_resolution`: a responder closes an incident as a false positive, and the next
 * cycle proposes (default) or creates the suppression rule of its finding. A finding GuardDuty then
 * archives by that rule becomes no incident, and an incident that was open before the rule for a
 * finding the rule also matches stays open.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A copy of a finding under a new id: the same false positive on the same instance, seen again. */
function twinOf(harness: Harness, findingId: string): string {
  const twin = structuredClone(findingOf(harness, findingId)) as any;
  delete twin.id;
  delete twin.arn;
  twin.updatedAt = new Date().toISOString();
  const [stored] = harness.aws.addFindings([twin]);
  return String(stored?.id);
}

describe('a suppression rule when an incident is closed as a false positive', () => {
  it('off by default; proposed in a note with aws_gd_suppress_on_resolution, nothing created', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    const quiet = newFinding(h);
    expect((await h.once()).code).toBe(0);
    h.soar.closeIncident(incidentOf(h, quiet.id).id, { resolution: 'Not an Issue', summary: 'Our scanner.' });
    expect((await h.once()).code).toBe(0);
    expect(laterNotes(incidentOf(h, quiet.id)).some((n) => /suppression rule/i.test(n))).toBe(false);

    h.configure({ aws_gd_suppress_on_resolution: 'Not an Issue; False Positive' });
    const noisy = newFinding(h);
    expect((await h.once()).code).toBe(0);
    h.soar.closeIncident(incidentOf(h, noisy.id).id, { resolution: 'Not an Issue', summary: 'Our scanner.' });
    expect((await h.once()).code).toBe(0);
    const proposed = laterNotes(incidentOf(h, noisy.id)).filter((n) => n.includes('Suppression rule proposed'));
    expect(proposed).toEqual([expect.stringMatching(/^This incident was closed as "Not an Issue"\. Suppression rule proposed by guardduty-soar \(not created\): guardduty-soar-incident-\d+ .*"resource\.instanceDetails\.instanceId":\{"Equals":\["i-/)]);
    expect(h.aws.calls().counts['guardduty:CreateFilter']).toBeUndefined();
    // A later cycle proposes nothing more.
    expect((await h.once()).code).toBe(0);
    expect(laterNotes(incidentOf(h, noisy.id)).filter((n) => n.includes('Suppression rule proposed'))).toHaveLength(1);
  });

  it('created: the next twin becomes no incident, and the twin already open stays open with a note', async () => {
    h = await startHarness({
      findings: 0,
      config: { aws_gd_regions: '^us-east-1$', aws_gd_suppress_on_resolution: 'Not an Issue', aws_gd_suppress_mode: 'create' },
    });
    const first = newFinding(h);
    const openTwin = twinOf(h, first.id);
    expect((await h.once()).code).toBe(0);
    const closed = incidentOf(h, first.id);
    const stillOpen = incidentOf(h, openTwin);
    h.soar.closeIncident(closed.id, { resolution: 'Not an Issue', summary: 'A scheduled scanner.' });
    expect((await h.once()).code).toBe(0);
    expect(laterNotes(incidentOf(h, first.id))).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^guardduty-soar created the GuardDuty suppression rule guardduty-soar-incident-${closed.id} .*because this incident was closed as "Not an Issue"`)),
    ]));

    // GuardDuty sees the false positive again: a new twin (archived at birth) and a new occurrence of the open one.
    const lateTwin = twinOf(h, first.id);
    h.aws.updateFinding(openTwin, { recur: 1 });
    expect([findingOf(h, lateTwin).service.archived, findingOf(h, openTwin).service.archived]).toEqual([true, true]);
    expect((await h.once()).code).toBe(0);
    expect(h.incidentFor(lateTwin)).toBeUndefined();
    const after = incidentOf(h, openTwin);
    expect(after.id).toBe(stillOpen.id);
    expect(after.planStatus).toBe('A');
    expect(after.properties.aws_guardduty_archived).toBe('True');
    const kept = laterNotes(after).filter((n) => n.includes('leaves this incident open'));
    expect(kept).toEqual([expect.stringMatching(new RegExp(`by the suppression rule guardduty-soar-incident-${closed.id}, which guardduty-soar created from incident ${closed.id}`))]);
    // The next cycles leave it as it is: one note.
    expect((await h.once()).code).toBe(0);
    expect(laterNotes(incidentOf(h, openTwin)).filter((n) => n.includes('leaves this incident open'))).toHaveLength(1);
    expect(incidentOf(h, openTwin).planStatus).toBe('A');
  });
});
