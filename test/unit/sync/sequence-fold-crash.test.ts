import { describe, expect, it } from 'vitest';
import { mapRows } from '../../../src/datatables/map-rows.js';
import type { Finding } from '../../../src/findings/finding.js';
import { NOTE_OP } from '../../../src/sync/durable-note.js';
import { syncFinding } from '../../../src/sync/finding-sync.js';
import { archiveFoldedMembers } from '../../../src/sync/sequence-archive.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';
import { OP, type FakeIncident } from '../../helpers/fake-soar.js';
import { ACCOUNT, EAST, worlds, type SyncWorld } from '../../helpers/sync-world.js';

/**
 * aws_gd_sequence_members = fold when a step is cut short: nothing the interrupted attempt wrote is
 * written twice, and nothing it set out to say is lost.
 */

const MIN = 60_000;
/** A FINDING signal of the fixture's sequence whose uid is a bare finding id. */
const MEMBER = 'aaaa0000000000000000000000000001';
const world = worlds();

function sequenceIn(s: SyncWorld): Finding {
  const f = loadFinding('attack-sequence-s3-compromised-data');
  f.AccountId = ACCOUNT;
  f.Region = EAST.region;
  f.Arn = `arn:aws:guardduty:${EAST.region}:${ACCOUNT}:detector/${EAST.detectorId}/finding/${f.Id}`;
  f.UpdatedAt = new Date(s.clock.now() - 10 * MIN).toISOString();
  if (f.Service) f.Service.DetectorId = EAST.detectorId;
  return f;
}

const rowCount = (incident: FakeIncident): number => Object.values(incident.rows).flat().length;

function expectNoRowTwice(incident: FakeIncident): void {
  for (const [table, rows] of Object.entries(incident.rows)) {
    const contents = rows.map(({ query_execution_date: _date, ...cells }) => JSON.stringify(cells));
    expect(new Set(contents).size, table).toBe(contents.length);
  }
}

async function foldedWorld(options: { closeMembers?: boolean } = {}): Promise<{ s: SyncWorld; sequence: Finding; incident: FakeIncident }> {
  const s = world({ sync: { sequenceMembers: 'fold', closeSequenceMembers: options.closeMembers ?? false } });
  const sequence = sequenceIn(s);
  expect(await syncFinding(s.deps, sequence, s.key(sequence.Id))).toBe('created');
  return { s, sequence, incident: s.soar.incidentFor(sequence.Id) };
}

describe('a fold cut short', () => {
  it('after SOAR took a row whose answer was lost: the next attempt reads what SOAR holds and writes every other row and artifact once', async () => {
    const { s, incident } = await foldedWorld();
    const before = { rows: rowCount(incident), artifacts: incident.artifacts.length };
    s.soar.failNext(OP.addRow, 'lost');
    await expect(syncFinding(s.deps, s.finding(MEMBER), s.key(MEMBER))).rejects.toThrow(/504/);

    expect(await syncFinding(s.deps, s.finding(MEMBER), s.key(MEMBER))).toBe('updated');
    expect(s.soar.incidentsFor(MEMBER)).toEqual([]);
    expectNoRowTwice(incident);
    expect(rowCount(incident)).toBe(before.rows + mapRows(s.finding(MEMBER)).length);
    const artifacts = incident.artifacts.map((a) => `${a.type}:${a.value}`);
    expect(new Set(artifacts).size).toBe(artifacts.length);
    expect(incident.artifacts.length).toBeGreaterThan(before.artifacts);
    expect(incident.notes.filter((n) => n.includes('Member finding folded into this attack sequence'))).toHaveLength(1);
  });

  it('after SOAR took an artifact whose answer was lost: it is not added again', async () => {
    const { s, incident } = await foldedWorld();
    s.soar.failNext(OP.addArtifact, 'lost');
    await expect(syncFinding(s.deps, s.finding(MEMBER), s.key(MEMBER))).rejects.toThrow(/504/);

    expect(await syncFinding(s.deps, s.finding(MEMBER), s.key(MEMBER))).toBe('updated');
    const artifacts = incident.artifacts.map((a) => `${a.type}:${a.value}`);
    expect(new Set(artifacts).size).toBe(artifacts.length);
    expectNoRowTwice(incident);
  });
});

describe('the note naming folded members archived with their sequence', () => {
  it('is recorded with the archive: when posting it fails, the members stay archived and the note waits for the retry of pending notes', async () => {
    const { s, sequence, incident } = await foldedWorld({ closeMembers: true });
    expect(await syncFinding(s.deps, s.finding(MEMBER), s.key(MEMBER))).toBe('updated');
    // The sequence's incident closed and its finding archived (what the close-and-archive step records).
    s.store.links.setIncidentState(s.key(sequence.Id), 'closed', s.clock.now());
    s.store.links.setArchived(s.key(sequence.Id), true);
    s.soar.failNext(OP.addNote, 'refused');

    expect(await archiveFoldedMembers(s.deps, s.deps.sources)).toBe(1);
    expect(s.store.sequences.foldedToArchive()).toEqual([]);
    const pending = s.store.ops.due(NOTE_OP).filter((op) => op.key.startsWith('archived-members:'));
    expect(pending).toHaveLength(1);
    expect(incident.notes.filter((n) => n.includes('archived the finding folded into this attack sequence'))).toEqual([]);
    expect(s.log.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'The note naming the archived members of an attack sequence was not posted; retried by the next cycle',
    ]);
  });
});
