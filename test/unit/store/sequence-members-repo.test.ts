import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src/store/store.js';

const base = { account: '111122223333', region: 'eu-west-1', detectorId: 'det1' };
const seq = { ...base, findingId: 'seq1' };
const snapshot = { findingAccount: '111122223333', updatedAt: '2026-01-01T00:00:00.000Z', count: 1, severity: 9, archived: false };

let dir: string;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function store(): Store {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gds-seq-'));
  return Store.open(path.join(dir, 'state.db'), () => 1_000);
}

/** A link with its incident, as a create leaves it. */
function linked(s: Store, findingId: string, incidentId: number): void {
  const key = { ...base, findingId };
  s.links.beginCreate(key, snapshot);
  s.links.attachIncident(key, incidentId, 'partial', {});
  s.links.markSynced(key, snapshot);
}

describe('sequence members', () => {
  it('records a sequence’s members once, whichever finding arrives first; a pair is unlinked until both have incidents', () => {
    const s = store();
    s.sequences.record(seq, { type: 'AttackSequence:S3/CompromisedData', title: 'T' }, [
      { memberId: 'm1', signalUid: 'u1', signalName: 'Recon:IAMUser/MaliciousIPCaller' }, { memberId: 'm2', signalUid: 'u2', signalName: 'X' },
    ]);
    s.sequences.record(seq, { type: 'AttackSequence:S3/CompromisedData', title: 'T2' }, [{ memberId: 'm1', signalUid: 'u1', signalName: 'Recon:IAMUser/MaliciousIPCaller' }]);
    expect(s.sequences.ofSequence(seq).map((m) => [m.memberId, m.sequenceTitle])).toEqual([['m1', 'T2'], ['m2', 'T']]);
    expect(s.sequences.unlinked()).toEqual([]);
    linked(s, 'm1', 11);
    expect(s.sequences.unlinked()).toEqual([]);
    linked(s, 'seq1', 20);
    const [pair] = s.sequences.unlinked();
    expect(pair).toMatchObject({ memberId: 'm1', memberIncident: 11, sequenceIncident: 20, notedMemberIncident: null, rowMemberIncident: null });
    s.sequences.markNoted(pair, 11, 20);
    expect(s.sequences.unlinked()).toHaveLength(1);
    s.sequences.markRowNamed(pair, 11);
    expect(s.sequences.unlinked()).toEqual([]);
    expect(s.sequences.sequenceIncidentsOf(11)).toEqual([20]);
    s.close();
  });

  it('walks the unlinked pairs a sequence’s members together, past the ones already taken (a pair left unlinked is not given twice)', () => {
    const s = store();
    for (const [sequence, incident, members] of [['seqB', 30, ['m3', 'm1']], ['seqA', 20, ['m2', 'm4', 'm5']]] as const) {
      s.sequences.record({ ...base, findingId: sequence }, { type: 'AttackSequence:S3/CompromisedData', title: null },
        members.map((m) => ({ memberId: m, signalUid: `u-${m}`, signalName: 'n' })));
      linked(s, sequence, incident);
    }
    for (const [m, i] of [['m1', 11], ['m2', 12], ['m3', 13], ['m4', 14], ['m5', 15]] as const) linked(s, m, i);
    const taken: string[] = [];
    let after;
    for (let page = s.sequences.unlinked(2); page.length > 0; page = s.sequences.unlinked(2, after)) {
      taken.push(...page.map((p) => `${p.sequenceId}/${p.memberId}`));
      after = page.at(-1);
      // None of them is linked (as if SOAR refused every one): the walk still ends, each pair taken once.
    }
    expect(taken).toEqual(['seqA/m2', 'seqA/m4', 'seqA/m5', 'seqB/m1', 'seqB/m3']);
    s.close();
  });

  it('fold target: the open sequence incident; archived with it once closed and archived', () => {
    const s = store();
    s.sequences.record(seq, { type: 'AttackSequence:S3/CompromisedData', title: null }, [{ memberId: 'm1', signalUid: 'u1', signalName: 'n' }]);
    const member = { ...base, findingId: 'm1' };
    expect(s.sequences.foldTarget(member)).toBeUndefined();
    linked(s, 'seq1', 20);
    const target = s.sequences.foldTarget(member);
    expect(target).toMatchObject({ sequenceIncident: 20, foldedInto: null });
    s.sequences.markFolded(target!, 20, 'v1');
    expect(s.sequences.foldedToArchive()).toEqual([]);
    s.links.setIncidentState(seq, 'closed', 5_000);
    expect(s.sequences.foldTarget(member)).toBeUndefined();
    s.links.setArchived(seq, true);
    const [due] = s.sequences.foldedToArchive();
    expect(due).toMatchObject({ memberId: 'm1', sequenceIncident: 20, foldedVersion: 'v1' });
    s.sequences.markArchived(due);
    expect(s.sequences.foldedToArchive()).toEqual([]);
    s.close();
  });
});
