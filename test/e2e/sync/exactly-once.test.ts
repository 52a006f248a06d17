import { afterEach, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../../emulators/soar/faults/faults.js';
import { logLines, startHarness, type Harness } from '../../helpers/harness.js';
import { changeFinding, incidentOf, laterNotes, newFinding } from '../../helpers/sync-helpers.js';

/**
 * Exactly once when SOAR's answer is lost: every create (incident, note, artifact, data-table row) is
 * answered with a retryable failure *after* SOAR processed it. The daemon must look before it sends
 * again, in the same cycle: one incident per finding, each note, artifact and row once.
 */

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const CREATES = {
  incident: 'POST /rest/orgs/{org}/incidents',
  note: 'POST /rest/orgs/{org}/incidents/{id}/comments',
  artifact: 'POST /rest/orgs/{org}/incidents/{id}/artifacts',
  row: 'POST /rest/orgs/{org}/incidents/{id}/table_data/{table}/row_data',
};

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1'];

/**
 * N findings escalated, then each updated with new activity (count and a new remote IP: a PATCH, a
 * new overview row, a new artifact and a change note), every create faulted by `fault` after SOAR
 * processed it. Returns the finding ids.
 */
async function escalateAndUpdateUnder(fault: Omit<FaultRule, 'operations'>, findings: number, config: Record<string, string> = {}): Promise<string[]> {
  h = await startHarness({ findings: 0, config });
  const ids = Array.from({ length: findings }, (_, i) => newFinding(h, REGIONS[i % REGIONS.length], { serviceCount: 1 }).id);
  // One rule per kind of create, so each kind is shown to have been answered after processing.
  for (const operation of Object.values(CREATES)) h.soar.addFault({ operations: [operation], mode: 'after', ...fault });

  const first = await h.once();
  // In the same cycle: one incident per finding, complete with its overview row, and nothing failed.
  expect(h.incidents().map((i) => i.properties.aws_guardduty_finding_id).sort()).toEqual([...ids].sort());
  for (const incident of h.incidents()) expect(incident.tables.gd_finding_overview, `rows of incident ${incident.id}`).toHaveLength(1);
  expect(first.code).toBe(0);
  for (const [i, id] of ids.entries()) {
    changeFinding(h, id, (f) => {
      f.service.count += 2;
      (f.service.action as any).networkConnectionAction.remoteIpDetails.ipAddressV4 = `203.0.113.${10 + i}`;
    });
  }
  const second = await h.once();
  expect(second.code).toBe(0);
  h.soar.clearFaults();
  // Each kind of create had its answer lost at least once and was found in SOAR instead of re-sent.
  const found = logLines(first.stdout + second.stdout).filter((l) => l.message === 'SOAR had acted on a create whose answer was lost; not sent again');
  for (const operation of ['POST /incidents', 'POST /incidents/{id}/comments', 'POST /incidents/{id}/artifacts', 'POST /incidents/{id}/table_data/{table}/row_data']) {
    expect(found.filter((l) => l.operation === operation).length, operation).toBeGreaterThan(0);
  }
  return ids;
}

/** What a responder sees: one incident per finding, the finding note and one change note, nothing twice. */
function expectExactlyOnce(ids: string[]): void {
  expect(h.incidents()).toHaveLength(ids.length);
  for (const [i, id] of ids.entries()) {
    expect(h.incidents().filter((x) => x.properties.aws_guardduty_finding_id === id), id).toHaveLength(1);
    const incident = incidentOf(h, id);
    expect(incident.properties.aws_guardduty_count).toBe('3');
    expect(incident.notes[0]?.text).toContain(id);
    expect(laterNotes(incident)).toEqual([expect.stringContaining('AWS GuardDuty Count: 1 → 3')]);
    const artifacts = incident.artifacts.map((a) => `${a.type} ${a.value}`);
    expect(new Set(artifacts).size, `artifacts of ${id}`).toBe(artifacts.length);
    expect(artifacts).toContain(`IP Address 203.0.113.${10 + i}`);
    for (const [table, rows] of Object.entries(incident.tables)) {
      const contents = rows.map((r) => JSON.stringify({ ...r.cells, query_execution_date: undefined }));
      expect(new Set(contents).size, `${table} of ${id}`).toBe(contents.length);
    }
    expect(incident.tables.gd_finding_overview?.map((r) => r.cells.count)).toEqual(['1', '3']);
  }
}

describe('every create answered with a retryable failure after SOAR processed it', () => {
  it.each([429, 502, 503])('answered %i: N findings give N incidents in the same cycle, each note, artifact and row once', async (status) => {
    const ids = await escalateAndUpdateUnder({ errorRate: 0.5, statuses: [status] }, 6);
    expectExactlyOnce(ids);
  });

  it('the connection reset after processing: the same', async () => {
    const ids = await escalateAndUpdateUnder({ resetRate: 0.5 }, 6);
    expectExactlyOnce(ids);
  });

  it('the answer later than [resilient] timeout: the same', async () => {
    // Every create is processed at once and answered 1.5 s later; the daemon gives up after 1 s.
    const ids = await escalateAndUpdateUnder({ answerDelayMs: 1_500 }, 2, { 'resilient.timeout': '1' });
    expectExactlyOnce(ids);
  });
});
