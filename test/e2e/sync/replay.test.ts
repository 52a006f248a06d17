import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_REQUIRED_ON_CLOSE } from '../../../emulators/soar/index.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { changeFinding, findingOf, incidentOf, laterNotes, loseAnswerAndLookup, newFinding, SOAR_OPS } from '../../helpers/sync-helpers.js';

/**
 * Every sync write whose answer is lost (SOAR acted, then answered 5xx) or that fails outright is
 * finished by the next cycle, and repeating it adds nothing twice.
 */

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const ROWS = 'POST /rest/orgs/{org}/incidents/{id}/table_data/{table}/row_data';
const ARTIFACTS = 'POST /rest/orgs/{org}/incidents/{id}/artifacts';
const NOTES = 'POST /rest/orgs/{org}/incidents/{id}/comments';
const PATCH = 'PATCH /rest/orgs/{org}/incidents/{id}';

/** A finding escalated, then new activity on it (count, remote host: new rows and artifacts). */
async function escalatedThenUpdated(): Promise<string> {
  h = await startHarness({ findings: 0 });
  const finding = newFinding(h);
  expect((await h.once()).code).toBe(0);
  changeFinding(h, finding.id, (f) => {
    f.service.count += 2;
    const connection = (f.service.action as any).networkConnectionAction;
    connection.remoteIpDetails.ipAddressV4 = '203.0.113.9';
  });
  return finding.id;
}

function expectNoDuplicates(findingId: string): void {
  const incident = incidentOf(h, findingId);
  const notes = incident.notes.map((n) => n.text);
  expect(new Set(notes).size, 'notes').toBe(notes.length);
  for (const [table, rows] of Object.entries(incident.tables)) {
    const contents = rows.map((r) => JSON.stringify({ ...r.cells, query_execution_date: undefined }));
    expect(new Set(contents).size, table).toBe(contents.length);
  }
  const artifacts = incident.artifacts.map((a) => `${a.type} ${a.value}`);
  expect(new Set(artifacts).size, 'artifacts').toBe(artifacts.length);
}

describe('an update interrupted after SOAR acted is finished without duplicates', () => {
  it.each([
    ['its change note', NOTES],
    ['a new row', ROWS],
    ['a new artifact', ARTIFACTS],
  ])('%s', async (_what, operation) => {
    const findingId = await escalatedThenUpdated();
    h.soar.failNext(operation, 1, { mode: 'after', statuses: [502] });
    await h.once();
    expect((await h.once()).code).toBe(0);
    expectNoDuplicates(findingId);
    const incident = incidentOf(h, findingId);
    expect(incident.properties.aws_guardduty_count).toBe(String(findingOf(h, findingId).service.count));
    expect(laterNotes(incident)).toEqual([expect.stringContaining('AWS GuardDuty Count: 1 → 3')]);
    expect(incident.tables.gd_finding_overview).toHaveLength(2);
    expect(incident.artifacts.map((a) => a.value)).toContain('203.0.113.9');
  });

  it('the reopen of a recurrence whose answer was lost', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_archive_on_close: 'false' } });
    const finding = newFinding(h);
    await h.once();
    h.soar.closeIncident(incidentOf(h, finding.id).id);
    await h.once();
    h.aws.updateFinding(finding.id, { recur: 1 });
    h.soar.failNext(PATCH, 5, { mode: 'after', statuses: [500] });
    expect((await h.once()).code).toBe(1);
    expect((await h.once()).code).toBe(0);
    const incident = incidentOf(h, finding.id);
    expect(incident.planStatus).toBe('A');
    expect(laterNotes(incident)).toEqual([expect.stringContaining('incident reopened')]);
  });
});

describe('a create cut short, then the finding changed: finishing it is an update the responder reads about', () => {
  it.each([
    // The first run's rebuild query of SOAR comes before the create's lookup.
    ['the create answer was lost', SOAR_OPS.createIncident, SOAR_OPS.queryIncidents, 1, 'after'],
    ['a row of the create failed', ROWS, SOAR_OPS.listRows, 0, 'before'],
  ] as const)('%s', async (_what, operation, lookup, skipLookups, mode) => {
    h = await startHarness({ findings: 0 });
    const finding = newFinding(h, 'us-east-1', { serviceCount: 3 });
    loseAnswerAndLookup(h, operation, lookup, { mode, skipLookups });
    expect((await h.once()).code).toBe(1);
    h.aws.updateFinding(finding.id, { recur: 4 });
    expect((await h.once()).code).toBe(0);
    const incident = incidentOf(h, finding.id);
    expect(h.incidents()).toHaveLength(1);
    expect(incident.properties.aws_guardduty_count).toBe('7');
    expect(incident.tables.gd_finding_overview?.map((r) => r.cells.count).at(-1)).toBe('7');
    expect(laterNotes(incident)).toEqual([expect.stringContaining('AWS GuardDuty Count: 3 → 7')]);
    expectNoDuplicates(finding.id);
  });
});

describe('a new incident for a recurrence (aws_gd_on_recurrence = new) whose create was interrupted', () => {
  it.each([
    ['before SOAR acted', 'before'],
    ['after SOAR acted', 'after'],
  ] as const)('%s: one new incident, the old one left closed, the note pointing back', async (_when, mode) => {
    h = await startHarness({ findings: 0, config: { aws_gd_archive_on_close: 'false', aws_gd_on_recurrence: 'new' } });
    const finding = newFinding(h);
    await h.once();
    const old = incidentOf(h, finding.id).id;
    h.soar.closeIncident(old);
    await h.once();
    h.aws.updateFinding(finding.id, { recur: 1 });
    loseAnswerAndLookup(h, SOAR_OPS.createIncident, SOAR_OPS.queryIncidents, { mode });
    expect((await h.once()).code).toBe(1);
    expect((await h.once()).code).toBe(0);
    const all = h.incidents().filter((i) => i.properties.aws_guardduty_finding_id === finding.id);
    expect(all.map((i) => [i.id === old ? 'old' : 'new', i.planStatus])).toEqual([['old', 'C'], ['new', 'A']]);
    expect(laterNotes(all[1])).toEqual([expect.stringContaining(`recurred after incident ${old} was closed`)]);
    expect(laterNotes(all[0])).toEqual([]);
  });
});

describe('the archive of a closed incident is recorded even when SOAR fails after GuardDuty archived', () => {
  it('the note and the archived field follow on the next cycle, once', async () => {
    h = await startHarness({ findings: 0 });
    const finding = newFinding(h);
    await h.once();
    h.soar.closeIncident(incidentOf(h, finding.id).id);
    // The archived field cannot be written (every attempt fails): the record waits for the next cycle.
    h.soar.failNext(PATCH, 5, { statuses: [500] });
    await h.once();
    expect(findingOf(h, finding.id).service.archived).toBe(true);
    expect((await h.once()).code).toBe(0);
    const incident = incidentOf(h, finding.id);
    expect(incident.properties.aws_guardduty_archived).toBe('True');
    expect(laterNotes(incident)).toEqual([expect.stringContaining(`archived GuardDuty finding ${finding.id}`)]);
  });
});

describe('an archived finding whose close failed while an interrupted create was being finished', () => {
  it('is closed once the close can succeed', async () => {
    h = await startHarness({ findings: 0 });
    h.soar.addIncidentField({ name: 'soc_close_code', label: 'SOC close code', inputType: 'text' });
    h.soar.setRequiredOnClose([...DEFAULT_REQUIRED_ON_CLOSE, 'soc_close_code']);
    const finding = newFinding(h);
    loseAnswerAndLookup(h, SOAR_OPS.createIncident, SOAR_OPS.queryIncidents, { mode: 'after', skipLookups: 1 });
    expect((await h.once()).code).toBe(1);
    h.aws.archiveFindings([finding.id]);
    // The create is finished, then the close is refused (the template lacks the required field).
    expect((await h.once()).code).toBe(1);
    expect(incidentOf(h, finding.id).planStatus).toBe('A');
    const template = path.join(h.dir, 'close.json.njk');
    fs.writeFileSync(template, '{"plan_status": "C", "resolution_id": "Resolved", "resolution_summary": "Archived.", "properties": {"soc_close_code": "gd"}}\n');
    h.configure({ aws_gd_close_incident_template: template });
    expect((await h.once()).code).toBe(0);
    expect(incidentOf(h, finding.id)).toMatchObject({ planStatus: 'C', properties: expect.objectContaining({ aws_guardduty_archived: 'True' }) });
  });
});

describe('an interrupted create whose finding is archived meanwhile', () => {
  it('creates nothing when the create never reached SOAR, and forgets the half-made link', async () => {
    h = await startHarness({ findings: 0 });
    const finding = newFinding(h);
    // SOAR refuses the create before acting on it, and cannot be asked: the link stays `creating`.
    loseAnswerAndLookup(h, SOAR_OPS.createIncident, SOAR_OPS.queryIncidents, { mode: 'before', status: 503, skipLookups: 1 });
    expect((await h.once()).code).toBe(1);
    expect(h.incidents()).toHaveLength(0);
    h.aws.archiveFindings([finding.id]);
    expect((await h.once()).code).toBe(0);
    expect(h.incidents()).toHaveLength(0);
    const status = await h.cli(['status', '--json', '--config', h.configPath]);
    expect((JSON.parse(status.stdout) as { links: { total: number } }).links.total).toBe(0);
  });

  it('closes the incident when the create did reach SOAR', async () => {
    h = await startHarness({ findings: 0 });
    const finding = newFinding(h);
    loseAnswerAndLookup(h, SOAR_OPS.createIncident, SOAR_OPS.queryIncidents, { mode: 'after', status: 502, skipLookups: 1 });
    expect((await h.once()).code).toBe(1);
    h.aws.archiveFindings([finding.id]);
    expect((await h.once()).code).toBe(0);
    expect(h.incidents()).toHaveLength(1);
    expect(incidentOf(h, finding.id)).toMatchObject({ planStatus: 'C', properties: { aws_guardduty_archived: 'True' } });
  });
});
