import { afterEach, describe, expect, it } from 'vitest';
import type { WireFinding } from '../../../emulators/aws/protocol/wire.js';
import { soarRest } from '../support/apphost-soar-rest.js';
import { logLines, startHarness, type Harness } from '../../helpers/harness.js';

/**
 * Moving from IBM's fn_aws_guardduty: the org already holds the incidents IBM's poller made (its
 * fields, its "AWS GuardDuty finding Payload" note, its data-table rows; open and closed). On its
 * first start the daemon adopts them by `aws_guardduty_finding_id` and creates no duplicate; later
 * finding updates land in the adopted incidents.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Finding = WireFinding & { type: string; title?: string; description?: string; createdAt: string; updatedAt: string; severity: number;
  resource?: { resourceType?: string }; service: { detectorId: string; count: number; archived: boolean } };

/** Python's repr of the finding, as IBM's note has it (pprint: single quotes, True/False). */
function pythonRepr(value: unknown): string {
  return JSON.stringify(value, null, 4).replace(/"/g, "'").replace(/\btrue\b/g, 'True').replace(/\bfalse\b/g, 'False');
}

/** The incident as IBM's poller creates it (ibm-app-behaviour.md §3, §4): POST /incidents, then one row per table. */
async function ibmIncident(harness: Harness, f: Finding, planStatus: 'A' | 'C' = 'A', archived = false): Promise<number> {
  const band = f.severity < 4 ? 'Low' : f.severity < 7 ? 'Medium' : 'High';
  const created = await soarRest(harness, 'POST', '/incidents?handle_format=names', {
    name: `AWS GuardDuty: ${f.title ?? ''}`,
    description: { format: 'text', content: f.description ?? 'AWS GuardDuty finding --' },
    discovered_date: Date.parse(f.createdAt),
    severity_code: band,
    properties: {
      aws_guardduty_finding_id: f.id,
      aws_guardduty_finding_arn: f.arn,
      aws_guardduty_finding_type: f.type,
      aws_guardduty_finding_updated_at: f.updatedAt,
      aws_guardduty_region: f.region,
      aws_guardduty_severity: String(f.severity),
      aws_guardduty_resource_type: f.resource?.resourceType ?? null,
      aws_guardduty_detector_id: f.service.detectorId,
      aws_guardduty_count: String(f.service.count),
      aws_guardduty_archived: archived ? 'True' : 'False',
    },
    comments: [{ text: { format: 'text', content: `AWS GuardDuty finding Payload:\n${pythonRepr(f)}` } }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  const id = created.body.id as number;
  const row = await soarRest(harness, 'POST', `/incidents/${id}/table_data/gd_finding_overview/row_data`, {
    cells: Object.fromEntries(Object.entries({
      query_execution_date: '2026-11-30 09:15:02', severity: String(f.severity), region: f.region, count: String(f.service.count),
      account_id: f.accountId, created_at: f.createdAt, updated_at: f.updatedAt,
    }).map(([k, v]) => [k, { value: v }])),
  });
  expect(row.status, JSON.stringify(row.body)).toBe(200);
  if (planStatus === 'C') harness.soar.closeIncident(id);
  return id;
}

const incidentsOf = (harness: Harness, findingId: string) => harness.incidents().filter((i) => i.properties.aws_guardduty_finding_id === findingId);

describe('adopting the incidents of IBM\'s fn_aws_guardduty', () => {
  it('one incident per finding after the first cycle; later updates land in the adopted incidents', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    // Copies: the emulator's updates change the objects it returned.
    const [upToDate, stale, closed, fresh] = structuredClone(h.aws.generateFindings({ count: 4, region: 'us-east-1' })) as Finding[];
    // IBM made `stale`'s incident from an older version; `closed`'s was closed and archived by IBM's playbook.
    const ids = {
      upToDate: await ibmIncident(h, upToDate),
      stale: await ibmIncident(h, { ...stale, updatedAt: '2026-01-01T00:00:00.000Z', service: { ...stale.service, count: 1 } }),
      closed: await ibmIncident(h, closed, 'C', true),
    };
    h.aws.archiveFindings([closed.id]);
    h.aws.updateFinding(stale.id, { recur: 4 });
    const before = h.incidents().length;

    const first = await h.cli(['once', '--config', h.configPath]);
    expect(first.code, first.stderr).toBe(0);
    expect(logLines(first.stdout).find((l) => l.message === 'Recovered state from SOAR')).toMatchObject({ adopted: 3 });
    for (const f of [upToDate, stale, closed, fresh]) expect(incidentsOf(h, f.id), f.id).toHaveLength(1);
    expect(h.incidents().length).toBe(before + 1);
    expect(incidentsOf(h, fresh.id)[0].id).not.toBe(ids.upToDate);
    // The stale one was brought up to date in place, IBM's note and row kept.
    const staleNow = h.soar.getIncident(ids.stale)!;
    expect(staleNow.properties.aws_guardduty_count).toBe(String(h.aws.getFinding(stale.id)!.service.count));
    expect(staleNow.notes[0]?.text).toMatch(/^AWS GuardDuty finding Payload:/);
    expect(staleNow.tables.gd_finding_overview?.[0]?.cells.query_execution_date).toBe('2026-11-30 09:15:02');
    // Nothing written to the incident that was already up to date, nor to the closed one.
    expect(h.soar.getIncident(ids.upToDate)!.notes).toHaveLength(1);
    expect(h.soar.getIncident(ids.closed)!.planStatus).toBe('C');

    // Later: the open one's finding recurs, and the closed one's finding comes back.
    const counts = { upToDate: h.aws.getFinding(upToDate.id)!.service.count, closed: h.aws.getFinding(closed.id)!.service.count };
    h.aws.updateFinding(upToDate.id, { recur: 3 });
    h.aws.unarchiveFindings([closed.id]);
    h.aws.updateFinding(closed.id, { recur: 1 });
    const second = await h.cli(['once', '--config', h.configPath]);
    expect(second.code, second.stderr).toBe(0);
    for (const f of [upToDate, stale, closed, fresh]) expect(incidentsOf(h, f.id), f.id).toHaveLength(1);
    const updated = h.soar.getIncident(ids.upToDate)!;
    expect(updated.properties.aws_guardduty_count).toBe(String(counts.upToDate + 3));
    expect(updated.notes.length).toBe(2);
    const reopened = h.soar.getIncident(ids.closed)!;
    expect(reopened.planStatus).toBe('A');
    expect(reopened.properties.aws_guardduty_count).toBe(String(counts.closed + 1));
  });
});
