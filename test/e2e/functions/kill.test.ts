import { afterEach, describe, expect, it } from 'vitest';
import { FUNCTION } from '../../../src/functions/definitions.js';
import { until } from '../../helpers/wait.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { changeFinding, incidentOf, laterNotes, newFinding, rowCounts } from '../../helpers/sync-helpers.js';

/**
 * A SIGKILL in the middle of a function, with the built daemon as a child process: the refresh
 * has written to SOAR but not recorded it; after the restart the broker redelivers the invocation,
 * and the second run finishes the refresh without doubling anything the first one wrote.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const message = (text: string) => (line: Record<string, unknown>): boolean => line.message === text;

describe('a SIGKILL during a refresh function', () => {
  it('the redelivered invocation finishes the refresh: one row per table, one note, the incident current', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    const harness = h;
    harness.configure({ 'resilient.stomp_port': String(harness.soar.stompPort), 'resilient.stomp_cafile': harness.soar.caPath ?? '' });
    const finding = newFinding(harness, 'us-east-1', { serviceCount: 2 });
    const first = harness.daemon();
    await first.waitFor(message('Cycle finished'), 30_000);
    const incident = incidentOf(harness, finding.id);
    const rowsBefore = rowCounts(incident);

    changeFinding(harness, finding.id, (f) => (f.service.count = 6));
    // The overview row reaches SOAR, but its answer never reaches the daemon before the kill.
    const ROWS = 'POST /rest/orgs/{org}/incidents/{id}/table_data/{table}/row_data';
    const overviewRows = (): number => rowCounts(incidentOf(harness, finding.id)).gd_finding_overview ?? 0;
    const posted = overviewRows();
    harness.soar.addFault({ operations: [ROWS], answerDelayMs: 30_000 });
    const { invocationId } = harness.soar.invoke({
      function: FUNCTION.refreshFinding,
      inputs: { aws_gd_region: 'us-east-1', aws_gd_detector_id: harness.aws.detectorsOf()['us-east-1'], aws_gd_finding_id: finding.id, incident_id: incident.id },
    });
    await until(() => overviewRows() !== posted, 'the refresh\'s overview row reaching SOAR');
    expect(overviewRows()).toBe(posted + 1);
    first.signal('SIGKILL');
    await first.exited;
    harness.soar.clearFaults();

    harness.daemon();
    const outcome = await harness.soar.waitForInvocation(invocationId, { timeoutMs: 30_000 });
    expect(outcome).toMatchObject({ status: 'done', acked: true, deliveries: 2, finalReplies: 1 });
    expect((outcome.result as { results: { success: boolean } }).results.success).toBe(true);

    const after = incidentOf(harness, finding.id);
    expect(after.properties.aws_guardduty_count).toBe('6');
    for (const [table, count] of Object.entries(rowCounts(after))) {
      const added = count - (rowsBefore[table] ?? 0);
      expect(added, table).toBeLessThanOrEqual(1);
    }
    expect(rowCounts(after).gd_finding_overview).toBe((rowsBefore.gd_finding_overview ?? 0) + 1);
    expect(laterNotes(after).filter((n) => /refreshed on request/.test(n))).toHaveLength(1);
  });
});
