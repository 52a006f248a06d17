import { describe, expect, it } from 'vitest';
import { syncFinding } from '../../../src/sync/finding-sync.js';
import type { Finding } from '../../../src/findings/finding.js';
import { OP, type FakeIncident } from '../../helpers/fake-soar.js';
import { worlds, type SyncWorld } from '../../helpers/sync-world.js';

/**
 * One finding's sync, state by state: a new finding becomes one complete incident, a re-read one
 * costs nothing, a new version is one PATCH of what changed with a note saying so, and noise is not
 * escalated. SOAR and GuardDuty are fakes of their interfaces; the store is the real SQLite one.
 */

const MIN = 60_000;
const world = worlds();


const sync = (s: SyncWorld, finding: Finding): ReturnType<typeof syncFinding> => syncFinding(s.deps, finding, s.key(finding.Id));

const rowCounts = (incident: FakeIncident): Record<string, number> => Object.fromEntries(Object.entries(incident.rows).map(([t, rows]) => [t, rows.length]));

/** Notes after the first (the finding as JSON, posted with the create). */
const laterNotes = (s: SyncWorld, findingId: string): string[] => s.soar.incidentFor(findingId).notes.slice(1);

describe('a finding seen for the first time', () => {
  it('becomes one incident with its fields, its story note holding the finding, its artifacts and data-table rows; the link is synced', async () => {
    const s = world();
    const finding = s.finding('f-new');
    expect(await sync(s, finding)).toBe('created');

    const incident = s.soar.incidentFor('f-new');
    expect(incident.name).toBe('AWS GuardDuty: API DescribeInstances was invoked using root credentials.');
    expect(incident.planStatus).toBe('A');
    expect(incident.properties).toMatchObject({
      aws_guardduty_finding_id: 'f-new', aws_guardduty_region: 'us-east-1', aws_guardduty_count: '2', aws_guardduty_archived: 'False',
      aws_guardduty_finding_type: 'Policy:IAMUser/RootCredentialUsage', aws_guardduty_finding_updated_at: finding.UpdatedAt,
    });
    // One note: the story (what, who, when, where), then the whole finding as JSON.
    expect(incident.notes).toHaveLength(1);
    expect(incident.notes[0]).toMatch(/^API DescribeInstances was invoked using root credentials\. What: Policy:IAMUser\/RootCredentialUsage, severity 2 \(Low\)/);
    expect(incident.notes[0]).toContain('Who: Root Root with access key AKIAEXAMPLEROOT00001');
    expect(incident.notes[0]).toContain(`The whole finding as GuardDuty sent it (JSON): f-new, as of ${finding.UpdatedAt} { "AccountId": "210987654321"`);
    expect(incident.artifacts).toEqual([
      { type: 'DNS Name', value: 'ec2.amazonaws.com' }, { type: 'aws_iam_access_key_id', value: 'AKIAEXAMPLEROOT00001' }, { type: 'aws_iam_user_name', value: 'Root' },
    ]);
    expect(rowCounts(incident)).toEqual({ gd_finding_overview: 1, gd_resource_affected: 1, gd_access_key_details: 1, gd_action_details: 1 });
    expect(incident.rows.gd_finding_overview?.[0]).toMatchObject({ count: '2', region: 'us-east-1', updated_at: finding.UpdatedAt });
    // One create (note and artifacts inline), then one call per row: nothing else.
    expect(s.soar.calls).toEqual([OP.create, OP.addRow, OP.addRow, OP.addRow, OP.addRow]);
    expect(s.store.links.get(s.key('f-new'))).toMatchObject({ state: 'synced', incidentId: incident.id, incidentState: 'open', count: 2, archived: false });
  });

  it('is not escalated when it is a sample, of a type filtered out, or archived already: no SOAR call, no link', async () => {
    const s = world({ polling: { findingTypesExclude: /^Recon:/ } });
    const sample = s.finding('f-sample');
    if (sample.Service) sample.Service.AdditionalInfo = { Type: 'default', Value: '{"sample":true}' };
    const recon = { ...s.finding('f-recon'), Type: 'Recon:EC2/PortProbeUnprotectedPort' };
    const archived = s.finding('f-archived', { archived: true });

    for (const f of [sample, recon, archived]) expect(await sync(s, f)).toBe('skipped');
    expect(s.soar.calls).toEqual([]);
    expect(s.store.links.isEmpty()).toBe(true);
  });
});

describe('a finding listed again', () => {
  it('with the version the link records: unchanged, and SOAR is not called at all', async () => {
    const s = world();
    const finding = s.finding('f-same');
    await sync(s, finding);
    const calls = s.soar.calls.length;
    expect(await sync(s, structuredClone(finding))).toBe('unchanged');
    expect(s.soar.calls).toHaveLength(calls);
  });

  it('older than the version the link records (read before a refresh wrote a newer one): unchanged, not written back', async () => {
    const s = world();
    const newer = s.finding('f-race', { updatedAt: s.clock.now() - MIN, count: 4 });
    await sync(s, newer);
    const calls = s.soar.calls.length;
    expect(await sync(s, s.finding('f-race', { updatedAt: s.clock.now() - 5 * MIN, count: 3 }))).toBe('unchanged');
    expect(s.soar.calls).toHaveLength(calls);
    expect(s.soar.incidentFor('f-race').properties.aws_guardduty_count).toBe('4');
  });
});

describe('a new version of a finding', () => {
  it('PATCHes only what changed, adds a row only to the table whose content changed, and one note saying old → new', async () => {
    const s = world();
    await sync(s, s.finding('f-upd', { updatedAt: s.clock.now() - 10 * MIN, count: 2 }));
    const incidentId = s.soar.incidentFor('f-upd').id;
    s.soar.calls.length = 0;

    const later = s.finding('f-upd', { updatedAt: s.clock.now() - MIN, count: 5 });
    expect(await sync(s, later)).toBe('updated');

    const after = s.soar.incidentFor('f-upd');
    expect(after.id).toBe(incidentId);
    expect(after.properties).toMatchObject({ aws_guardduty_count: '5', aws_guardduty_finding_updated_at: later.UpdatedAt });
    expect(rowCounts(after)).toEqual({ gd_finding_overview: 2, gd_resource_affected: 1, gd_access_key_details: 1, gd_action_details: 1 });
    expect(after.rows.gd_finding_overview?.[1]).toMatchObject({ count: '5', updated_at: later.UpdatedAt });
    expect(s.soar.calls).toEqual([OP.patch, OP.addRow, OP.addNote]);
    expect(laterNotes(s, 'f-upd')).toEqual([expect.stringMatching(/^GuardDuty finding updated.*AWS GuardDuty Count: 2 → 5.*1 new row in GuardDuty Finding Overview/)]);
    expect(s.store.links.get(s.key('f-upd'))).toMatchObject({ state: 'synced', count: 5, updatedAt: later.UpdatedAt });
  });

  it('cut short after its row reached SOAR (the answer lost): the repeat reads the rows back, adds no second one, and posts the note once', async () => {
    const s = world();
    await sync(s, s.finding('f-cut', { updatedAt: s.clock.now() - 10 * MIN, count: 2 }));
    const later = s.finding('f-cut', { updatedAt: s.clock.now() - MIN, count: 3 });
    s.soar.failNext(OP.addRow, 'lost');
    await expect(sync(s, later)).rejects.toThrow(/504/);
    expect(s.store.links.get(s.key('f-cut'))?.count).toBe(2);

    expect(await sync(s, structuredClone(later))).toBe('updated');
    const incident = s.soar.incidentFor('f-cut');
    expect(rowCounts(incident).gd_finding_overview).toBe(2);
    expect(incident.properties.aws_guardduty_count).toBe('3');
    expect(laterNotes(s, 'f-cut')).toEqual([expect.stringContaining('AWS GuardDuty Count: 2 → 3')]);
    expect(s.store.links.get(s.key('f-cut'))).toMatchObject({ state: 'synced', count: 3 });
    expect(await sync(s, structuredClone(later))).toBe('unchanged');
  });
});
