import { describe, expect, it } from 'vitest';
import type { DeletedIncidentPolicy } from '../../../src/config/app-config.js';
import { syncFinding } from '../../../src/sync/finding-sync.js';
import { finishInterruptedWork } from '../../../src/sync/interrupted-work.js';
import { OP } from '../../helpers/fake-soar.js';
import { worlds, type SyncWorld } from '../../helpers/sync-world.js';

/**
 * An incident deleted in SOAR by an administrator: the first write that meets SOAR's 404 heals the
 * link in the same sync, per `aws_gd_deleted_incident` (recreate: a new incident naming the lost one;
 * forget: the finding is no longer escalated, and costs no call again).
 */

const MIN = 60_000;
const world = worlds();

/** One escalated finding (count 2) whose incident an administrator then deleted. */
async function deleted(onDeletedIncident: DeletedIncidentPolicy): Promise<{ s: SyncWorld; lost: number }> {
  const s = world({ sync: { onDeletedIncident } });
  await syncFinding(s.deps, s.finding('f-1', { updatedAt: s.clock.now() - 10 * MIN }), s.key('f-1'));
  const lost = s.soar.incidentFor('f-1').id;
  s.soar.delete(lost);
  s.soar.calls.length = 0;
  return { s, lost };
}

const warnings = (s: SyncWorld): unknown[] => s.log.filter((l) => l.level === 'warn').map((l) => l.message);

describe('recreate (the default)', () => {
  it('a new version meets the 404 and a new incident is made in the same sync, with a note naming the lost one', async () => {
    const { s, lost } = await deleted('recreate');
    expect(await syncFinding(s.deps, s.finding('f-1', { count: 3 }), s.key('f-1'))).toBe('recreated');

    const incident = s.soar.incidentFor('f-1');
    expect(incident.id).not.toBe(lost);
    expect(incident.properties.aws_guardduty_count).toBe('3');
    expect(Object.values(incident.rows).flat()).toHaveLength(4);
    expect(incident.notes.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^guardduty-soar opened this incident for GuardDuty finding f-1 .* because its previous incident ${lost} no longer exists in SOAR`)),
    ]);
    expect(s.soar.calls[0]).toBe(OP.patch);
    expect(s.soar.count(OP.create)).toBe(1);
    expect(s.store.links.get(s.key('f-1'))).toMatchObject({ incidentId: incident.id, deletedIncidentId: lost, state: 'synced', incidentState: 'open' });
    expect(warnings(s)).toEqual(['Linked incident no longer exists in SOAR; recreated it']);
  });

  it('not for a finding archived meanwhile: the link is orphaned and nothing is created', async () => {
    const { s } = await deleted('recreate');
    expect(await syncFinding(s.deps, s.finding('f-1', { archived: true }), s.key('f-1'))).toBe('skipped');
    expect(s.soar.incidents.size).toBe(0);
    expect(s.store.links.get(s.key('f-1'))).toMatchObject({ state: 'orphaned', incidentState: 'closed' });
  });

  it('a recreate whose answer is lost is finished by the next sync from the incident it made: one new incident, and its note once', async () => {
    const { s, lost } = await deleted('recreate');
    const later = s.finding('f-1', { count: 3 });
    s.soar.failNext(OP.create, 'lost');
    await expect(syncFinding(s.deps, later, s.key('f-1'))).rejects.toThrow(/504/);

    expect(await syncFinding(s.deps, structuredClone(later), s.key('f-1'))).toBe('resumed');
    await finishInterruptedWork(s.deps);
    const incident = s.soar.incidentFor('f-1');
    expect(s.soar.count(OP.create)).toBe(1);
    expect(incident.notes.slice(1)).toEqual([expect.stringContaining(`previous incident ${lost} no longer exists`)]);
    expect(s.store.ops.countByKind()).toEqual({});
  });
});

describe('forget', () => {
  it('the link is orphaned, said once; later versions are skipped without a SOAR call', async () => {
    const { s, lost } = await deleted('forget');
    expect(await syncFinding(s.deps, s.finding('f-1', { count: 3 }), s.key('f-1'))).toBe('skipped');
    expect(s.soar.incidents.size).toBe(0);
    expect(s.store.links.get(s.key('f-1'))).toMatchObject({ state: 'orphaned', deletedIncidentId: lost, incidentId: null });
    s.soar.calls.length = 0;

    s.clock.advance(MIN);
    expect(await syncFinding(s.deps, s.finding('f-1', { count: 4 }), s.key('f-1'))).toBe('skipped');
    expect(s.soar.calls).toEqual([]);
    expect(warnings(s)).toEqual(['Linked incident no longer exists in SOAR; the finding is not escalated again']);
  });
});
