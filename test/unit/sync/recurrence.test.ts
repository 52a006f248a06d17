import { describe, expect, it } from 'vitest';
import type { RecurrencePolicy } from '../../../src/config/app-config.js';
import type { Finding } from '../../../src/findings/finding.js';
import { detectClosedIncidents, runArchiveOps } from '../../../src/sync/archive-on-close.js';
import { syncFinding } from '../../../src/sync/finding-sync.js';
import { finishInterruptedWork } from '../../../src/sync/interrupted-work.js';
import { OP } from '../../helpers/fake-soar.js';
import { EAST, worlds, type SyncWorld } from '../../helpers/sync-world.js';

/**
 * A finding GuardDuty updates after a responder closed its incident: judged against the time SOAR
 * closed it, the activity recurs as `aws_gd_on_recurrence` says (reopen the incident, open a new one
 * pointing back at it, or ignore it); a version from before the close is added to the closed incident.
 */

const MIN = 60_000;
const world = worlds();

/**
 * One finding escalated 10 minutes ago (count 2), whose incident a responder closed now; the daemon
 * has learnt of the close. No archive follows (aws_gd_archive_on_close = false) unless `archiveOnClose`.
 */
async function closedByResponder(onRecurrence: RecurrencePolicy, archiveOnClose = false): Promise<{ s: SyncWorld; closedId: number }> {
  const s = world({ sync: { onRecurrence, archiveOnClose } });
  const first = s.finding('f-1', { updatedAt: s.clock.now() - 10 * MIN });
  s.gd.put(EAST, first);
  await syncFinding(s.deps, first, s.key('f-1'));
  const closedId = s.soar.incidentFor('f-1').id;
  s.soar.closeByResponder(closedId);
  expect(await detectClosedIncidents(s.deps, s.clock.now())).toBe(1);
  s.soar.calls.length = 0;
  return { s, closedId };
}

/** New activity 5 minutes after the close (count 3). */
function activityAfterClose(s: SyncWorld): Finding {
  s.clock.advance(5 * MIN);
  const later = s.finding('f-1', { updatedAt: s.clock.now(), count: 3 });
  s.gd.put(EAST, later);
  return later;
}

describe('activity after the close', () => {
  it('reopen: the same incident is reopened, with a note saying so and what changed', async () => {
    const { s, closedId } = await closedByResponder('reopen');
    expect(await syncFinding(s.deps, activityAfterClose(s), s.key('f-1'))).toBe('reopened');

    const [incident, ...others] = s.soar.incidentsFor('f-1');
    expect(others).toEqual([]);
    expect(incident).toMatchObject({ id: closedId, planStatus: 'A' });
    expect(incident?.properties.aws_guardduty_count).toBe('3');
    expect(incident?.notes.slice(1)).toEqual([
      expect.stringMatching(/^GuardDuty finding updated after the incident was closed: incident reopened.*AWS GuardDuty Count: 2 → 3/),
    ]);
    expect(s.store.links.get(s.key('f-1'))).toMatchObject({ incidentId: closedId, incidentState: 'open', count: 3 });
    expect(s.store.ops.countByKind()).toEqual({});
  });

  it('new: a second incident is opened, with a note naming the closed one, which stays as the responder left it', async () => {
    const { s, closedId } = await closedByResponder('new');
    const closedBefore = structuredClone(s.soar.incidentFor('f-1'));
    expect(await syncFinding(s.deps, activityAfterClose(s), s.key('f-1'))).toBe('created');

    const [old, fresh, ...more] = s.soar.incidentsFor('f-1');
    expect(more).toEqual([]);
    expect(old).toEqual(closedBefore);
    expect(fresh?.planStatus).toBe('A');
    expect(fresh?.properties.aws_guardduty_count).toBe('3');
    expect(fresh?.notes.slice(1)).toEqual([expect.stringContaining(`This GuardDuty finding recurred after incident ${closedId} was closed (count 2 → 3`)]);
    expect(s.store.links.get(s.key('f-1'))).toMatchObject({ incidentId: fresh?.id, incidentState: 'open' });
  });

  it('ignore: nothing is written, and the version is recorded so it costs nothing next time', async () => {
    const { s } = await closedByResponder('ignore');
    const later = activityAfterClose(s);
    expect(await syncFinding(s.deps, later, s.key('f-1'))).toBe('skipped');
    expect(await syncFinding(s.deps, structuredClone(later), s.key('f-1'))).toBe('unchanged');
    expect(s.soar.writes()).toEqual([]);
    expect(s.soar.incidentFor('f-1').planStatus).toBe('C');
  });

  it('in the close\'s own second (GuardDuty stamps whole seconds) counts as after the close', async () => {
    const { s } = await closedByResponder('reopen');
    const closedAt = s.store.links.get(s.key('f-1'))?.closedAt ?? 0;
    const sameSecond = s.finding('f-1', { updatedAt: Math.floor(closedAt / 1000) * 1000, count: 3 });
    expect(await syncFinding(s.deps, sameSecond, s.key('f-1'))).toBe('reopened');
  });
});

describe('a version from before the close', () => {
  it('that the incident does not show yet is added to it, and the incident stays closed', async () => {
    const { s } = await closedByResponder('reopen');
    const beforeClose = s.finding('f-1', { updatedAt: s.clock.now() - 2 * MIN, count: 3 });
    expect(await syncFinding(s.deps, beforeClose, s.key('f-1'))).toBe('updated');
    const incident = s.soar.incidentFor('f-1');
    expect(incident.planStatus).toBe('C');
    expect(incident.properties.aws_guardduty_count).toBe('3');
    expect(incident.notes.slice(1)).toEqual([expect.stringMatching(/^GuardDuty finding updated : f-1 .*AWS GuardDuty Count: 2 → 3/)]);
    expect(s.store.links.get(s.key('f-1'))?.incidentState).toBe('closed');
  });
});

describe('activity after the close, found when the close is followed up (aws_gd_archive_on_close = true)', () => {
  it('reopens the incident instead of archiving the finding nobody saw', async () => {
    const { s, closedId } = await closedByResponder('reopen', true);
    activityAfterClose(s);
    expect((await runArchiveOps(s.deps, s.deps.sources)).size).toBe(0);
    expect(s.gd.count('ArchiveFindings')).toBe(0);
    expect(s.gd.get(EAST, 'f-1')?.Service?.Archived).toBe(false);
    expect(s.soar.incidentFor('f-1')).toMatchObject({ id: closedId, planStatus: 'A' });
    expect(s.store.ops.countByKind()).toEqual({});
  });
});

describe('a new incident for a recurrence whose create was cut short', () => {
  it('is not taken to be the closed incident (same finding id) by the lookup before the create is sent again', async () => {
    const { s, closedId } = await closedByResponder('new');
    const later = activityAfterClose(s);
    s.soar.failNext(OP.create, 'down');
    await expect(syncFinding(s.deps, later, s.key('f-1'))).rejects.toThrow(/503/);
    expect(s.store.links.get(s.key('f-1'))?.state).toBe('creating');

    expect(await syncFinding(s.deps, structuredClone(later), s.key('f-1'))).toBe('created');
    // The lookup ran, found only the closed incident, and did not adopt it.
    expect(s.soar.count(OP.query)).toBe(1);
    const [old, fresh, ...more] = s.soar.incidentsFor('f-1');
    expect(more).toEqual([]);
    expect(old).toMatchObject({ id: closedId, planStatus: 'C' });
    expect(s.store.links.get(s.key('f-1'))).toMatchObject({ incidentId: fresh?.id, state: 'synced' });

    // The note pointing back is posted by the sweep of interrupted work.
    await finishInterruptedWork(s.deps);
    expect(fresh && s.soar.incidents.get(fresh.id)?.notes.slice(1)).toEqual([expect.stringContaining(`recurred after incident ${closedId} was closed`)]);
    expect(s.store.ops.countByKind()).toEqual({});
  });
});
