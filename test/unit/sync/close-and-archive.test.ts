import { describe, expect, it } from 'vitest';
import { ARCHIVE_OP, detectClosedIncidents, runArchiveOps } from '../../../src/sync/archive-on-close.js';
import { syncFinding } from '../../../src/sync/finding-sync.js';
import type { Finding } from '../../../src/findings/finding.js';
import { OP } from '../../helpers/fake-soar.js';
import { EAST, worlds, type WorldOptions, type SyncWorld } from '../../helpers/sync-world.js';

/**
 * Both directions of a close: a finding archived in GuardDuty closes its incident (or only marks it,
 * with aws_gd_close_on_archive = false); an incident a responder closes in SOAR archives its finding
 * in GuardDuty, with the feedback its resolution maps to, and says so on the incident. Neither close
 * comes back as the other (no loop).
 */

const MIN = 60_000;
const world = worlds();

/** A world holding one escalated finding (`f-1`, count 2), also in GuardDuty. */
async function escalated(options: WorldOptions = {}): Promise<{ s: SyncWorld; finding: Finding; incidentId: number }> {
  const s = world(options);
  const finding = s.finding('f-1', { updatedAt: s.clock.now() - 10 * MIN });
  s.gd.put(EAST, finding);
  expect(await syncFinding(s.deps, finding, s.key('f-1'))).toBe('created');
  s.soar.calls.length = 0;
  return { s, finding, incidentId: s.soar.incidentFor('f-1').id };
}

/** The finding archived in GuardDuty (a new version, as GuardDuty stamps an archive). */
function archivedVersion(s: SyncWorld): Finding {
  const archived = s.finding('f-1', { updatedAt: s.clock.now() - MIN, archived: true });
  s.gd.put(EAST, archived);
  return archived;
}

describe('a finding archived in GuardDuty', () => {
  it('closes its incident with the close template, after recording aws_guardduty_archived = True', async () => {
    const { s, incidentId } = await escalated();
    expect(await syncFinding(s.deps, archivedVersion(s), s.key('f-1'))).toBe('closed');

    const incident = s.soar.incidentFor('f-1');
    expect(incident).toMatchObject({ id: incidentId, planStatus: 'C', resolutionId: 'Resolved' });
    expect(incident.properties.aws_guardduty_archived).toBe('True');
    expect(incident.fields.resolution_summary).toEqual(expect.stringContaining('archived'));
    // The archived field first, then a look for a responder's close, then the close itself.
    expect(s.soar.calls).toEqual([OP.patch, OP.get, OP.patch]);
    expect(s.store.links.get(s.key('f-1'))).toMatchObject({ incidentState: 'closed', archived: true, state: 'synced' });
  });

  it('with aws_gd_close_on_archive = false only marks the incident archived; it stays open', async () => {
    const { s } = await escalated({ sync: { closeOnArchive: false } });
    expect(await syncFinding(s.deps, archivedVersion(s), s.key('f-1'))).toBe('updated');
    const incident = s.soar.incidentFor('f-1');
    expect(incident.planStatus).toBe('A');
    expect(incident.properties.aws_guardduty_archived).toBe('True');
    expect(s.store.links.get(s.key('f-1'))).toMatchObject({ incidentState: 'open', archived: true });
  });

  it('is not closed when the org requires a field the close template does not set: the error names it and the template; the next sync tries again', async () => {
    const { s } = await escalated();
    s.soar.requiredOnClose = [{ name: 'confirmed', label: 'Confirmed', custom: false }];
    const archived = archivedVersion(s);
    await expect(syncFinding(s.deps, archived, s.key('f-1'))).rejects.toThrow(
      /SOAR requires Confirmed \(confirmed\) to close an incident.*aws_gd_close_incident_template \(.*close-incident\.json\.njk\)/,
    );
    expect(s.soar.incidentFor('f-1').planStatus).toBe('A');
    expect(s.store.links.get(s.key('f-1'))?.archived).toBe(false);

    s.soar.requiredOnClose = [];
    expect(await syncFinding(s.deps, structuredClone(archived), s.key('f-1'))).toBe('closed');
  });
});

describe('an incident a responder closes in SOAR', () => {
  it('archives its finding in GuardDuty after the feedback its resolution maps to, and says so on the incident', async () => {
    const { s, incidentId } = await escalated({ sync: { feedbackMap: { 'Not an Issue': 'NOT_USEFUL' } } });
    s.clock.advance(MIN);
    s.soar.closeByResponder(incidentId, 'Not an Issue');

    expect(await detectClosedIncidents(s.deps, s.clock.now())).toBe(1);
    expect(s.store.links.get(s.key('f-1'))).toMatchObject({ incidentState: 'closed', closedAt: s.clock.now() });
    const archived = await runArchiveOps(s.deps, s.deps.sources);

    expect([...archived]).toEqual([['us-east-1', 1]]);
    expect(s.gd.get(EAST, 'f-1')?.Service?.Archived).toBe(true);
    expect(s.gd.feedback).toEqual([{ ids: ['f-1'], feedback: 'NOT_USEFUL' }]);
    const incident = s.soar.incidentFor('f-1');
    expect(incident.properties.aws_guardduty_archived).toBe('True');
    expect(incident.notes.slice(1)).toEqual([
      `guardduty-soar archived GuardDuty finding f-1 (detector ${EAST.detectorId}, us-east-1) because this incident was closed.`,
    ]);
    expect(s.store.ops.countByKind()).toEqual({});

    // The next cycle's query sees the same closed incident: nothing happens twice.
    s.clock.advance(10 * MIN);
    expect(await detectClosedIncidents(s.deps, s.clock.now())).toBe(0);
    expect((await runArchiveOps(s.deps, s.deps.sources)).size).toBe(0);
    expect(s.gd.count('ArchiveFindings')).toBe(1);
  });

  it('with aws_gd_archive_on_close = false is recorded as closed, and the finding is left as it is', async () => {
    const { s, incidentId } = await escalated({ sync: { archiveOnClose: false } });
    s.clock.advance(MIN);
    s.soar.closeByResponder(incidentId);
    expect(await detectClosedIncidents(s.deps, s.clock.now())).toBe(1);
    expect((await runArchiveOps(s.deps, s.deps.sources)).size).toBe(0);
    expect(s.gd.count('ArchiveFindings')).toBe(0);
    expect(s.store.links.get(s.key('f-1'))?.incidentState).toBe('closed');
  });

  it('an ArchiveFindings that fails is retried by a later cycle, and the finding is archived once', async () => {
    const { s, incidentId } = await escalated();
    s.clock.advance(MIN);
    s.soar.closeByResponder(incidentId);
    await detectClosedIncidents(s.deps, s.clock.now());
    s.gd.failNext('ArchiveFindings');
    expect((await runArchiveOps(s.deps, s.deps.sources)).size).toBe(0);
    expect(s.store.ops.countByKind()).toEqual({ [ARCHIVE_OP]: 1 });

    expect([...(await runArchiveOps(s.deps, s.deps.sources))]).toEqual([['us-east-1', 1]]);
    expect(s.gd.get(EAST, 'f-1')?.Service?.Archived).toBe(true);
    expect(s.soar.incidentFor('f-1').notes.slice(1)).toHaveLength(1);
    expect(s.store.ops.countByKind()).toEqual({});
  });
});

describe('no loop', () => {
  it('an incident the daemon closed for an archived finding is not taken for a responder\'s close', async () => {
    const { s } = await escalated();
    expect(await syncFinding(s.deps, archivedVersion(s), s.key('f-1'))).toBe('closed');
    s.clock.advance(MIN);
    expect(await detectClosedIncidents(s.deps, s.clock.now())).toBe(0);
    expect((await runArchiveOps(s.deps, s.deps.sources)).size).toBe(0);
    expect(s.gd.count('ArchiveFindings')).toBe(0);
    expect(s.gd.feedback).toEqual([]);
  });
});
