import { afterEach, describe, expect, it } from 'vitest';
import { FUNCTION } from '../../../src/functions/definitions.js';
import { startDaemon, type DaemonProcess } from '../../helpers/daemon-process.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { incidentOf, newFinding } from '../../helpers/sync-helpers.js';
import { until } from '../../helpers/wait.js';

/**
 * Redelivery safety of a malware scan started from a case: a SIGKILL after the scan started and its
 * row reached SOAR, but before the daemon heard back; the broker redelivers the invocation to the
 * restarted daemon, whose second run starts no second scan (the ClientToken is the message id's) and
 * writes no second row (the row is found by its scan id).
 */

let h: Harness | undefined;
const daemons: DaemonProcess[] = [];
afterEach(async () => {
  for (const d of daemons.splice(0)) await d.stop();
  await h?.close();
  h = undefined;
});

function run(harness: Harness): DaemonProcess {
  const d = startDaemon(['run', '--config', harness.configPath], { cwd: harness.dir, env: harness.env });
  daemons.push(d);
  return d;
}

describe('a SIGKILL during a malware scan start', () => {
  it('the redelivered invocation follows the same scan: one scan in GuardDuty, one row in the incident', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    const harness = h;
    const finding = newFinding(harness);
    const first = run(harness);
    await first.waitFor((l) => l.message === 'Cycle finished', 30_000);
    const incident = incidentOf(harness, finding.id);

    const ROWS = 'POST /rest/orgs/{org}/incidents/{id}/table_data/{table}/row_data';
    harness.soar.addFault({ operations: [ROWS], answerDelayMs: 30_000 });
    const { invocationId } = harness.soar.invoke({
      function: FUNCTION.startMalwareScan,
      inputs: { aws_gd_region: 'us-east-1', aws_gd_detector_id: harness.aws.detectorsOf()['us-east-1'], incident_id: incident.id },
    });
    const rows = (): number => incidentOf(harness, finding.id).tables.gd_malware_scans?.length ?? 0;
    await until(() => rows() > 0, 'the scan\'s row in the incident');
    expect(rows()).toBe(1);
    first.signal('SIGKILL');
    await first.exited;
    harness.soar.clearFaults();

    run(harness);
    const outcome = await harness.soar.waitForInvocation(invocationId, { timeoutMs: 30_000 });
    expect(outcome).toMatchObject({ status: 'done', acked: true, deliveries: 2, finalReplies: 1 });
    const result = (outcome.result as { results: { success: boolean; content: { scan_id: string } } }).results;
    expect(result.success).toBe(true);
    expect(harness.aws.malwareScans().map((s) => s.scanId)).toEqual([result.content.scan_id]);
    expect(incidentOf(harness, finding.id).tables.gd_malware_scans?.map((r) => r.cells.scan_id)).toEqual([result.content.scan_id]);
  });
});
