import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_REQUIRED_ON_CLOSE } from '../../../emulators/soar/index.js';
import { logLines, startHarness, type Harness } from '../../helpers/harness.js';
import { findingOf, guardDutyCalls, incidentOf, laterNotes, makeRetriesDue, newFinding, soarCalls, withStore } from '../../helpers/sync-helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('incident closed in SOAR: its finding is archived in GuardDuty', () => {
  it('archives in batches of 50 per detector, notes it on each incident and marks it archived, once', async () => {
    h = await startHarness({ findings: 0 });
    // More closed incidents than one page of the closed-incident query (500).
    h.aws.generateFindings({ count: 510, region: 'us-east-1' });
    h.aws.generateFindings({ count: 3, region: 'eu-west-1' });
    expect((await h.once()).code).toBe(0);
    const incidents = h.incidents();
    expect(incidents).toHaveLength(513);
    for (const incident of incidents) h.soar.closeIncident(incident.id, { resolution: 'Resolved', summary: 'Handled by the SOC.' });

    h.aws.resetCalls();
    h.soar.resetCalls();
    expect((await h.once()).code).toBe(0);
    // 510 findings of one detector: 11 calls of at most 50; 3 of another: 1 call.
    expect(guardDutyCalls(h, 'ArchiveFindings')).toBe(12);
    // Two pages of closed incidents and one refresh query.
    expect(soarCalls(h, 'POST /incidents/query_paged')).toBe(3);
    for (const incident of h.incidents()) {
      const findingId = String(incident.properties.aws_guardduty_finding_id);
      expect(findingOf(h, findingId).service.archived).toBe(true);
      expect(incident.planStatus).toBe('C');
      expect(incident.resolutionSummary).toBe('Handled by the SOC.');
      expect(incident.properties.aws_guardduty_archived).toBe('True');
      // (Members of the attack sequences among them also point at their sequence's incident.)
      const notes = laterNotes(incident).filter((n) => !n.startsWith('Part of an attack sequence'));
      expect(notes).toEqual([expect.stringContaining(`archived GuardDuty finding ${findingId}`)]);
    }

    // Nothing more to do: not archived again, not closed again, no second note.
    h.aws.resetCalls();
    h.soar.resetCalls();
    expect((await h.once()).code).toBe(0);
    expect(guardDutyCalls(h, 'ArchiveFindings')).toBe(0);
    expect(soarCalls(h, 'PATCH /incidents/{id}')).toBe(0);
    expect(soarCalls(h, 'POST /incidents/{id}/comments')).toBe(0);
  });

  it('with aws_gd_archive_on_close = false the finding stays as it is', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_archive_on_close: 'false' } });
    const finding = newFinding(h);
    await h.once();
    h.soar.closeIncident(incidentOf(h, finding.id).id);
    h.aws.resetCalls();
    expect((await h.once()).code).toBe(0);
    expect(guardDutyCalls(h, 'ArchiveFindings')).toBe(0);
    expect(findingOf(h, finding.id).service.archived).toBe(false);
    const incident = incidentOf(h, finding.id);
    expect(incident.planStatus).toBe('C');
    expect(incident.properties.aws_guardduty_archived).toBe('False');
    expect(laterNotes(incident)).toEqual([]);
  });
});

describe('a member account cannot archive', () => {
  const ADMIN = '111111111111';
  const MEMBER = '222222222222';
  const MEMBER_KEY = 'AKIAMEMBER0000000001';

  it('explains it once in a note and in the log, and retries with growing intervals, not every cycle', async () => {
    h = await startHarness({
      findings: 0,
      aws: {
        accounts: [
          { accountId: ADMIN, accessKeys: ['AKIAADMIN00000000001'], regions: ['us-east-1'] },
          { accountId: MEMBER, accessKeys: [MEMBER_KEY], regions: ['us-east-1'], administrator: ADMIN },
        ],
      },
      config: { aws_gd_access_key_id: MEMBER_KEY, aws_gd_regions: '^us-east-1$' },
    });
    const [finding] = h.aws.generateFindings({ account: MEMBER, region: 'us-east-1', count: 1 });
    expect((await h.once()).code).toBe(0);
    const id = incidentOf(h, finding.id).id;
    h.soar.closeIncident(id);

    const refused = await h.once();
    const warning = logLines(refused.stdout).find((l) => l.message === 'GuardDuty refused to archive: not the administrator account');
    expect(warning).toBeDefined();
    expect(JSON.stringify(warning)).toContain('Only the administrator account can archive findings');
    expect(findingOf(h, finding.id).service.archived).toBe(false);
    const explained = laterNotes(incidentOf(h, finding.id));
    expect(explained).toEqual([expect.stringMatching(/only the administrator account archive findings.*member account \(222222222222\)/)]);

    // The next cycles do not ask again.
    await h.once();
    await h.once();
    expect(guardDutyCalls(h, 'ArchiveFindings')).toBe(1);
    const firstDelay = archiveOp(h).nextAttemptAt - Date.now();
    expect(firstDelay).toBeGreaterThan(25 * 60_000);

    // When the interval has passed it asks again, and waits longer; the explanation is not repeated.
    makeRetriesDue(h, 'archive');
    await h.once();
    expect(guardDutyCalls(h, 'ArchiveFindings')).toBe(2);
    expect(archiveOp(h).attempts).toBe(2);
    expect(archiveOp(h).nextAttemptAt - Date.now()).toBeGreaterThan(firstDelay);
    expect(laterNotes(incidentOf(h, finding.id))).toEqual(explained);
  });
});

describe('finding archived in GuardDuty: its incident is closed', () => {
  it('sets aws_guardduty_archived, closes with the close template, and never archives back', async () => {
    h = await startHarness({ findings: 0 });
    const finding = newFinding(h, 'eu-west-1');
    const other = newFinding(h, 'eu-west-1');
    await h.once();
    h.aws.archiveFindings([finding.id]);
    h.aws.resetCalls();
    h.soar.resetCalls();
    expect((await h.once()).code).toBe(0);
    const incident = incidentOf(h, finding.id);
    expect(incident.planStatus).toBe('C');
    expect(incident.resolution).toBe('Resolved');
    expect(incident.resolutionSummary).toMatch(new RegExp(`Closed by guardduty-soar: the GuardDuty finding ${finding.id} was archived in GuardDuty`));
    expect(incident.properties.aws_guardduty_archived).toBe('True');
    expect(incidentOf(h, other.id).planStatus).toBe('A');
    // The field first, then the close: two PATCHes; GuardDuty is not asked to archive it again.
    expect(soarCalls(h, 'PATCH /incidents/{id}')).toBe(2);
    expect(guardDutyCalls(h, 'ArchiveFindings')).toBe(0);

    for (let i = 0; i < 2; i++) {
      h.aws.resetCalls();
      h.soar.resetCalls();
      expect((await h.once()).code).toBe(0);
      expect(guardDutyCalls(h, 'ArchiveFindings')).toBe(0);
      expect(soarCalls(h, 'PATCH /incidents/{id}')).toBe(0);
    }
    expect(incidentOf(h, finding.id).notes).toHaveLength(incident.notes.length);
  });

  it('with aws_gd_close_on_archive = false only the archived field changes', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_close_on_archive: 'false' } });
    const finding = newFinding(h);
    await h.once();
    h.aws.archiveFindings([finding.id]);
    expect((await h.once()).code).toBe(0);
    const incident = incidentOf(h, finding.id);
    expect(incident.planStatus).toBe('A');
    expect(incident.properties.aws_guardduty_archived).toBe('True');
    h.soar.resetCalls();
    await h.once();
    expect(soarCalls(h, 'PATCH /incidents/{id}')).toBe(0);
  });

  it('a close the org refuses for a missing required field names the field and the template key; fixed template, closed', async () => {
    h = await startHarness({ findings: 0 });
    h.soar.addIncidentField({ name: 'soc_close_code', label: 'SOC close code', inputType: 'text' });
    h.soar.setRequiredOnClose([...DEFAULT_REQUIRED_ON_CLOSE, 'soc_close_code']);
    const finding = newFinding(h);
    await h.once();
    h.aws.archiveFindings([finding.id]);

    const refused = await h.once();
    expect(refused.code).toBe(1);
    const log = logLines(refused.stdout).map((l) => JSON.stringify(l)).join('\n');
    expect(log).toContain('SOAR requires SOC close code (properties.soc_close_code) to close an incident');
    expect(log).toContain('aws_gd_close_incident_template');
    const open = incidentOf(h, finding.id);
    expect(open.planStatus).toBe('A');
    // The truth is recorded even though the close was refused.
    expect(open.properties.aws_guardduty_archived).toBe('True');

    // The refusal waits out its backoff: the next cycles neither ask SOAR again nor fetch the finding,
    // and `once` says the work is left (exit 1).
    for (let i = 0; i < 2; i++) {
      h.soar.resetCalls();
      h.aws.resetCalls();
      const waiting = await h.once();
      expect(waiting.code).toBe(1);
      expect(waiting.stderr).toContain('1 finding(s) whose sync failed: 1 waiting out a backoff');
      expect(soarCalls(h, 'PATCH /incidents/{id}')).toBe(0);
      expect(guardDutyCalls(h, 'GetFindings')).toBe(0);
    }
    expect(incidentOf(h, finding.id).planStatus).toBe('A');
    const status = JSON.parse((await h.cli(['status', '--json'])).stdout) as { pending: { kind: string; lastError: string }[] };
    expect(status.pending).toEqual([expect.objectContaining({ kind: 'sync-finding', lastError: expect.stringContaining('soc_close_code') })]);

    const template = path.join(h.dir, 'close.json.njk');
    fs.writeFileSync(
      template,
      '{"plan_status": "C", "resolution_id": "Resolved", "resolution_summary": {{ close_summary | json }},\n' +
        ' "properties": {"soc_close_code": "archived-in-guardduty"}}\n',
    );
    h.configure({ aws_gd_close_incident_template: template });
    // A changed setting ends the backoff: the fix is tried at the next start.
    const fixed = await h.once();
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('pending actions are retried now');
    const closed = incidentOf(h, finding.id);
    expect(closed.planStatus).toBe('C');
    expect(closed.properties.soc_close_code).toBe('archived-in-guardduty');
    expect(closed.resolutionSummary).toContain('was archived in GuardDuty');
  });
});

function archiveOp(h: Harness): { attempts: number; nextAttemptAt: number } {
  const op = withStore(h, (s) => s.ops.all().find((o) => o.kind === 'archive'));
  if (!op) throw new Error('no pending archive operation');
  return op;
}
