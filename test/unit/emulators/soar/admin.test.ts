import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SoarEmulator } from '../../../../emulators/soar/index.js';
import { apiFor, createGuardDutySchema, incidentBody, startEmulator, type Api } from './soar-test-helpers.js';

let emu: SoarEmulator;
let api: Api;
let admin: Api;
let id: number;
beforeEach(async () => {
  ({ emu, api } = await startEmulator());
  admin = apiFor(emu, {});
  await createGuardDutySchema(api);
  const created = await api('POST', '/incidents', incidentBody({
    properties: { aws_guardduty_finding_id: 'f-1' },
    comments: [{ text: { format: 'text', content: 'payload' } }],
    artifacts: [{ type: 'IP Address', value: '192.0.2.1' }],
  }));
  id = created.body.id;
  await api('POST', `/incidents/${id}/table_data/gd_finding_overview/row_data`, { cells: { count: { value: '1' } } });
});
afterEach(() => emu.close());

describe('SOAR emulator: admin API', () => {
  it('summarizes state and lists incidents with everything attached, without auth', async () => {
    const state = await admin('GET', '/__admin/state');
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({
      incidents: { total: 1, open: 1, closed: 0 },
      notes: 1,
      artifacts: 1,
      rows: 1,
      dataTables: ['gd_finding_overview'],
      customArtifactTypes: ['aws_iam_user_name'],
      requiredOnClose: ['resolution_id', 'resolution_summary'],
    });
    const list = await admin('GET', '/__admin/incidents');
    expect(list.body).toEqual([
      expect.objectContaining({
        id,
        planStatus: 'A',
        severity: 'Medium',
        properties: expect.objectContaining({ aws_guardduty_finding_id: 'f-1', aws_guardduty_trigger_refresh: null }),
        notes: [expect.objectContaining({ text: 'payload' })],
        artifacts: [expect.objectContaining({ type: 'IP Address', value: '192.0.2.1' })],
        tables: { gd_finding_overview: [expect.objectContaining({ cells: { count: '1' } })] },
      }),
    ]);
    expect((await admin('GET', '/__admin/incidents/9999')).status).toBe(404);
  });

  it('simulates a responder: close, reopen, set properties, add a note — each bumping vers', async () => {
    const before = (await api('GET', `/incidents/${id}`)).body;
    const closed = await admin('POST', `/__admin/incidents/${id}/close`, { resolution: 'Not an Issue', summary: 'false positive' });
    expect(closed.body).toMatchObject({ planStatus: 'C', resolution: 'Not an Issue', resolutionSummary: 'false positive', vers: before.vers + 1, endDate: expect.any(Number) });
    expect(closed.body.lastModified).toBeGreaterThanOrEqual(before.inc_last_modified_date);

    const reopened = await admin('POST', `/__admin/incidents/${id}/reopen`);
    expect(reopened.body).toMatchObject({ planStatus: 'A', endDate: null, vers: before.vers + 2 });

    const flagged = await admin('POST', `/__admin/incidents/${id}/properties`, { properties: { aws_guardduty_trigger_refresh: true } });
    expect(flagged.body.properties.aws_guardduty_trigger_refresh).toBe(true);
    expect((await admin('POST', `/__admin/incidents/${id}/properties`, { properties: { nope: 1 } })).status).toBe(400);

    const noted = await admin('POST', `/__admin/incidents/${id}/notes`, { text: 'looked at it' });
    expect(noted.body.notes.map((n: { text: string }) => n.text)).toEqual(['payload', 'looked at it']);
    expect((await admin('POST', `/__admin/incidents/${id}/notes`, {})).status).toBe(400);
  });

  it('closes only when the required-on-close fields can be filled', async () => {
    await admin('POST', '/__admin/schema/incident-fields', { name: 'gd_close_reason', inputType: 'text' });
    const set = await admin('PUT', '/__admin/schema/required-on-close', { fields: ['resolution_id', 'gd_close_reason'] });
    expect(set.body.fields).toEqual(['resolution_id', 'gd_close_reason']);
    expect((await admin('POST', `/__admin/incidents/${id}/close`, {})).status).toBe(400);
    const closed = await admin('POST', `/__admin/incidents/${id}/close`, { properties: { gd_close_reason: 'dup' } });
    expect(closed.body.planStatus).toBe('C');
    expect((await admin('PUT', '/__admin/schema/required-on-close', { fields: ['no_such'] })).status).toBe(400);
  });

  it('removes schema so the daemon’s schema check can be tested', async () => {
    expect((await admin('DELETE', '/__admin/schema/incident-fields/aws_guardduty_finding_id')).status).toBe(200);
    expect((await admin('DELETE', '/__admin/schema/data-tables/gd_finding_overview')).status).toBe(200);
    expect((await admin('DELETE', '/__admin/schema/artifact-types/aws_iam_user_name')).status).toBe(200);
    expect((await admin('DELETE', '/__admin/schema/artifact-types/IP Address')).status).toBe(404);
    expect((await api('GET', '/types/incident/fields/aws_guardduty_finding_id')).status).toBe(404);
    expect((await api('GET', `/incidents/${id}/table_data/gd_finding_overview`)).status).toBe(404);
    expect((await api('POST', '/incidents', incidentBody({ properties: { aws_guardduty_finding_id: 'f' } }))).status).toBe(400);
    expect((await admin('GET', '/__admin/state')).body).toMatchObject({ rows: 0, dataTables: [], customArtifactTypes: [] });
  });

  it('gets and resets calls, and sets and clears faults', async () => {
    const calls = await admin('GET', '/__admin/calls');
    expect(calls.body.counts).toMatchObject({ 'POST /rest/orgs/{org}/incidents': 1, 'POST /rest/orgs/{org}/incidents/{id}/table_data/{table}/row_data': 1 });
    await admin('DELETE', '/__admin/calls');
    expect((await admin('GET', '/__admin/calls')).body.counts).toEqual({});

    const fault = await admin('POST', '/__admin/faults', { operations: ['GET /rest/orgs/{org}/incidents/{id}'], failNext: 2, statuses: [502] });
    expect(fault.body).toMatchObject({ id: expect.any(String), failNext: 2, triggered: 0 });
    expect((await api('GET', `/incidents/${id}`)).status).toBe(502);
    expect((await admin('GET', '/__admin/faults')).body[0].triggered).toBe(1);
    expect((await admin('DELETE', `/__admin/faults/${fault.body.id}`)).status).toBe(200);
    expect((await api('GET', `/incidents/${id}`)).status).toBe(200);
    await admin('POST', '/__admin/faults', { errorRate: 1 });
    await admin('DELETE', '/__admin/faults');
    expect((await api('GET', `/incidents/${id}`)).status).toBe(200);
    expect((await admin('POST', '/__admin/faults', { errorRate: 2 })).status).toBe(400);
  });

  it('resets to a fresh org', async () => {
    await admin('POST', '/__admin/reset');
    expect((await admin('GET', '/__admin/state')).body).toMatchObject({ incidents: { total: 0 }, customFields: [], dataTables: [] });
  });
});
