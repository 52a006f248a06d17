import { describe, expect, it } from 'vitest';
import { syncFinding } from '../../../src/sync/finding-sync.js';
import { OP } from '../../helpers/fake-soar.js';
import { worlds, type SyncWorld } from '../../helpers/sync-world.js';

/**
 * One incident per finding, whatever happens to a create: its answer lost after SOAR made the
 * incident (the next attempt looks it up by finding id and adopts it, sending no second create), a
 * create that never reached SOAR (looked up, not found, sent), a create cut short before its rows.
 */

const MIN = 60_000;
const world = worlds();


const rowsOf = (s: SyncWorld, findingId: string): number => Object.values(s.soar.incidentFor(findingId).rows).flat().length;

describe('a create whose answer was lost', () => {
  it('after SOAR made the incident: the next attempt looks it up once, adopts and completes it, and sends no second create', async () => {
    const s = world();
    const finding = s.finding('f-1');
    s.soar.failNext(OP.create, 'lost');
    await expect(syncFinding(s.deps, finding, s.key('f-1'))).rejects.toThrow(/504/);
    expect(s.store.links.get(s.key('f-1'))).toMatchObject({ state: 'creating', incidentId: null });
    expect(s.soar.incidentsFor('f-1')).toHaveLength(1);

    expect(await syncFinding(s.deps, structuredClone(finding), s.key('f-1'))).toBe('resumed');
    expect(s.soar.count(OP.create)).toBe(1);
    expect(s.soar.count(OP.query)).toBe(1);
    const incident = s.soar.incidentFor('f-1');
    expect(rowsOf(s, 'f-1')).toBe(4);
    expect(incident.notes).toHaveLength(1);
    expect(s.store.links.get(s.key('f-1'))).toMatchObject({ state: 'synced', incidentId: incident.id });
    expect(await syncFinding(s.deps, structuredClone(finding), s.key('f-1'))).toBe('unchanged');
  });

  it('before SOAR made anything: the lookup finds nothing and the create is sent again, once', async () => {
    const s = world();
    const finding = s.finding('f-2');
    s.soar.failNext(OP.create, 'down');
    await expect(syncFinding(s.deps, finding, s.key('f-2'))).rejects.toThrow(/503/);
    expect(s.soar.incidentsFor('f-2')).toEqual([]);

    expect(await syncFinding(s.deps, structuredClone(finding), s.key('f-2'))).toBe('created');
    expect(s.soar.calls.slice(0, 3)).toEqual([OP.create, OP.query, OP.create]);
    expect(s.soar.incidentsFor('f-2')).toHaveLength(1);
    expect(rowsOf(s, 'f-2')).toBe(4);
  });

  it('and the finding changed before the next attempt: the adopted incident is updated to the new version, with its note', async () => {
    const s = world();
    s.soar.failNext(OP.create, 'lost');
    await expect(syncFinding(s.deps, s.finding('f-3', { updatedAt: s.clock.now() - 10 * MIN, count: 2 }), s.key('f-3'))).rejects.toThrow();

    expect(await syncFinding(s.deps, s.finding('f-3', { updatedAt: s.clock.now() - MIN, count: 6 }), s.key('f-3'))).toBe('resumed');
    const incident = s.soar.incidentFor('f-3');
    expect(incident.properties.aws_guardduty_count).toBe('6');
    expect(incident.notes.slice(1)).toEqual([expect.stringContaining('AWS GuardDuty Count: 2 → 6')]);
    expect(s.soar.count(OP.create)).toBe(1);
  });

  it('and the finding archived before the next attempt: a create that never happened is not made, and nothing is linked', async () => {
    const s = world();
    s.soar.failNext(OP.create, 'down');
    await expect(syncFinding(s.deps, s.finding('f-4', { updatedAt: s.clock.now() - 10 * MIN }), s.key('f-4'))).rejects.toThrow();

    expect(await syncFinding(s.deps, s.finding('f-4', { archived: true }), s.key('f-4'))).toBe('skipped');
    expect(s.soar.incidentsFor('f-4')).toEqual([]);
    expect(s.store.links.get(s.key('f-4'))).toBeUndefined();
  });
});

describe('a create cut short before its rows', () => {
  it('is finished by the next attempt without a lookup or a second create: the rows missing are added, none twice', async () => {
    const s = world();
    const finding = s.finding('f-5');
    // The second row is refused: the incident and its first row exist.
    s.soar.failNext(OP.addRow, 'down', 1);
    await expect(syncFinding(s.deps, finding, s.key('f-5'))).rejects.toThrow(/503/);
    expect(s.store.links.get(s.key('f-5'))?.state).toBe('partial');
    expect(rowsOf(s, 'f-5')).toBe(1);

    expect(await syncFinding(s.deps, structuredClone(finding), s.key('f-5'))).toBe('resumed');
    expect(s.soar.count(OP.create)).toBe(1);
    expect(s.soar.count(OP.query)).toBe(0);
    expect(rowsOf(s, 'f-5')).toBe(4);
    expect(s.store.links.get(s.key('f-5'))?.state).toBe('synced');
  });
});
