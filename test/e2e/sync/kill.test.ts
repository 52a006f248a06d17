import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../helpers/wait.js';
import { CLI, startHarness, type Harness } from '../../helpers/harness.js';
import { changeFinding, incidentOf, laterNotes, newFinding } from '../../helpers/sync-helpers.js';

/**
 * The daemon (the built CLI) killed with SIGKILL at a chosen instant of a sync path: SOAR has acted
 * and holds its answer back while the process dies. The next run must finish the path.
 */

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** Runs `once` and kills it as soon as `reached()` holds (polled), while SOAR holds back `operation`'s answer. */
async function killWhen(operation: string, reached: () => boolean): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const fault = h.soar.addFault({ operations: [operation], answerDelayMs: 30_000 });
  let pid = 0;
  const run = h.cli(['once', '--config', h.configPath], { onSpawn: (p) => (pid = p) });
  await until(reached, `${operation} reaching SOAR`, { everyMs: 10 });
  process.kill(pid, 'SIGKILL');
  expect((await run).code).toBe(128);
  h.soar.removeFault(fault.id);
}

describe('killed in the middle of a sync path', () => {
  it('after the reopen of a recurrence reached SOAR: the daemon follows the reopened incident (and closes it when archived)', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_archive_on_close: 'false' } });
    const finding = newFinding(h);
    await h.once();
    const id = incidentOf(h, finding.id).id;
    h.soar.closeIncident(id);
    await h.once();
    h.aws.updateFinding(finding.id, { recur: 2 });
    await killWhen('PATCH /rest/orgs/{org}/incidents/{id}', () => h.soar.getIncident(id)?.planStatus === 'A');
    // GuardDuty archives the finding before the daemon runs again: the listing will not return it.
    h.aws.archiveFindings([finding.id]);
    expect((await h.once()).code).toBe(0);
    const incident = incidentOf(h, finding.id);
    expect(incident.planStatus).toBe('C');
    expect(incident.properties.aws_guardduty_archived).toBe('True');
    expect(laterNotes(incident)).toEqual([expect.stringContaining('incident reopened')]);
  });

  it('after the create reached SOAR, and a responder closed the new incident before the next run: its finding is archived', async () => {
    h = await startHarness({ findings: 0 });
    const finding = newFinding(h);
    await killWhen('POST /rest/orgs/{org}/incidents', () => h.incidentFor(finding.id) !== undefined);
    h.soar.closeIncident(incidentOf(h, finding.id).id, { summary: 'Seen it, known scanner.' });
    expect((await h.once()).code).toBe(0);
    const incident = incidentOf(h, finding.id);
    expect(h.incidents()).toHaveLength(1);
    expect(h.aws.getFinding(finding.id)?.service.archived).toBe(true);
    expect(incident.resolutionSummary).toBe('Seen it, known scanner.');
    expect(laterNotes(incident)).toEqual([expect.stringContaining(`archived GuardDuty finding ${finding.id}`)]);
  });

  it('after a new row of an update reached SOAR: no row twice, the change note once', async () => {
    h = await startHarness({ findings: 0 });
    const finding = newFinding(h);
    await h.once();
    const id = incidentOf(h, finding.id).id;
    changeFinding(h, finding.id, (f) => {
      f.service.count += 5;
    });
    const rowsBefore = h.soar.getIncident(id)?.tables.gd_finding_overview?.length ?? 0;
    await killWhen(
      'POST /rest/orgs/{org}/incidents/{id}/table_data/{table}/row_data',
      () => (h.soar.getIncident(id)?.tables.gd_finding_overview?.length ?? 0) > rowsBefore,
    );
    expect((await h.once()).code).toBe(0);
    expect((await h.once()).code).toBe(0);
    const incident = incidentOf(h, finding.id);
    expect(incident.tables.gd_finding_overview?.map((r) => r.cells.count)).toEqual(['1', '6']);
    for (const [table, rows] of Object.entries(incident.tables)) {
      const contents = rows.map((r) => JSON.stringify({ ...r.cells, query_execution_date: undefined }));
      expect(new Set(contents).size, table).toBe(contents.length);
    }
    expect(laterNotes(incident)).toEqual([expect.stringContaining('AWS GuardDuty Count: 1 → 6')]);
  });
});
