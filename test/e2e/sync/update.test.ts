import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { changeFinding, findingOf, incidentOf, laterNotes, newFinding, rowCounts, soarCalls, soarWrites } from '../../helpers/sync-helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** New activity on the finding: more events, a higher severity, a new remote host and port. */
function escalate(f: Parameters<Parameters<typeof changeFinding>[2]>[0]): void {
  f.service.count += 3;
  f.severity = 8.2;
  const connection = (f.service.action as any).networkConnectionAction;
  connection.remoteIpDetails.ipAddressV4 = '203.0.113.77';
  connection.remotePortDetails.port = 50_123;
}

describe('updated finding: the incident follows it', () => {
  it('patches the changed fields, adds a row where content changed, new artifacts, and one note listing old → new', async () => {
    h = await startHarness({ findings: 0 });
    const finding = newFinding(h, 'us-east-1', { severity: 5, serviceCount: 1 });
    expect((await h.once()).code).toBe(0);
    const before = incidentOf(h, finding.id);
    expect(before.severity).toBe('Medium');

    const updated = changeFinding(h, finding.id, escalate);
    h.soar.resetCalls();
    expect((await h.once()).code).toBe(0);
    const after = incidentOf(h, finding.id);

    expect(after.properties).toMatchObject({
      aws_guardduty_count: '4',
      aws_guardduty_severity: '8.2',
      aws_guardduty_finding_updated_at: updated.updatedAt,
      aws_guardduty_archived: 'False',
    });
    expect(after.severity).toBe('High');
    expect(after.planStatus).toBe('A');
    // The overview becomes a history (count, last seen); the action row changed (remote host); the
    // instance and the resource did not.
    expect(rowCounts(after)).toEqual({
      ...rowCounts(before),
      gd_finding_overview: 2,
      gd_action_details: 2,
    });
    expect(after.tables.gd_finding_overview?.[1]?.cells).toMatchObject({ count: '4', updated_at: updated.updatedAt });
    const added = after.artifacts.filter((a) => !before.artifacts.some((b) => b.type === a.type && b.value === a.value));
    expect(added.map((a) => `${a.type} ${a.value}`).sort()).toEqual(['IP Address 203.0.113.77', 'Port 50123']);

    const notes = laterNotes(after);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('GuardDuty finding updated');
    expect(notes[0]).toContain('AWS GuardDuty Count: 1 → 4');
    expect(notes[0]).toContain('AWS GuardDuty Severity: 5 → 8.2');
    expect(notes[0]).toContain(`AWS GuardDuty Finding Updated At: ${finding.updatedAt} → ${updated.updatedAt}`);
    expect(notes[0]).toMatch(/Medium → High/);
    expect(notes[0]).toMatch(/203\.0\.113\.77/);
    // One PATCH (only the changed fields), two rows, two artifacts, one note: nothing else written.
    expect(soarCalls(h, 'PATCH /incidents/{id}')).toBe(1);
    expect(soarCalls(h, 'POST /incidents/{id}/table_data/{table}/row_data')).toBe(2);
    expect(soarCalls(h, 'POST /incidents/{id}/artifacts')).toBe(2);
    expect(soarCalls(h, 'POST /incidents/{id}/comments')).toBe(1);

    // Read again with nothing new: nothing is written.
    h.soar.resetCalls();
    expect((await h.once()).code).toBe(0);
    expect(incidentOf(h, finding.id).notes).toHaveLength(after.notes.length);
    expect(soarWrites(h)).toEqual([]);
  });

  it('a count-only change (same updatedAt) is an update too', async () => {
    h = await startHarness({ findings: 0 });
    const finding = newFinding(h, 'us-east-2', { serviceCount: 2 });
    await h.once();
    const stored = findingOf(h, finding.id);
    h.aws.addFindings([{ ...stored, service: { ...stored.service, count: 9 } }]);
    expect((await h.once()).code).toBe(0);
    const incident = incidentOf(h, finding.id);
    expect(incident.properties.aws_guardduty_count).toBe('9');
    expect(laterNotes(incident)).toEqual([expect.stringContaining('AWS GuardDuty Count: 2 → 9')]);
  });

  it('uses the update template named by aws_gd_update_incident_template', async () => {
    h = await startHarness({ findings: 0 });
    const template = path.join(h.dir, 'update.json.njk');
    fs.writeFileSync(
      template,
      `{
  "name": {{ incident_name | json }},
  "properties": {
    "aws_guardduty_count": {{ properties.aws_guardduty_count | json }},
    "aws_guardduty_finding_updated_at": {{ properties.aws_guardduty_finding_updated_at | json }}
  }
}
`,
    );
    h.configure({ aws_gd_update_incident_template: template });
    const finding = newFinding(h, 'us-east-1', { severity: 5 });
    await h.once();
    changeFinding(h, finding.id, (f) => {
      f.title = 'SSH brute force, now from many hosts';
      f.severity = 8.5;
      f.service.count += 1;
    });
    expect((await h.once()).code).toBe(0);
    const incident = incidentOf(h, finding.id);
    expect(incident.name).toBe('AWS GuardDuty: SSH brute force, now from many hosts');
    expect(incident.properties.aws_guardduty_count).toBe('2');
    // Fields the custom template leaves out are not kept in step.
    expect(incident.properties.aws_guardduty_severity).toBe('5');
    expect(incident.severity).toBe('Medium');
    const [note] = laterNotes(incident);
    expect(note).toContain('now from many hosts');
    expect(note).not.toContain('AWS GuardDuty Severity');
  });
});
