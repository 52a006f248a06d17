import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RESOLUTION_IDS, type SoarEmulator } from '../../../../emulators/soar/index.js';
import { createGuardDutySchema, incidentBody, startEmulator, type Api } from './soar-test-helpers.js';

let emu: SoarEmulator;
let api: Api;
let incident: { id: number; vers: number; inc_last_modified_date: number };
beforeEach(async () => {
  let now = 1_000_000;
  ({ emu, api } = await startEmulator({ clock: () => (now += 1000) }));
  await createGuardDutySchema(api);
  incident = (await api('POST', '/incidents', incidentBody({ name: 'original', properties: { aws_guardduty_count: '1' } }))).body;
});
afterEach(() => emu.close());

const change = (field: unknown, oldValue: unknown, newValue: unknown): Record<string, unknown> => ({
  field,
  old_value: { object: oldValue },
  new_value: { object: newValue },
});

describe('SOAR emulator: PATCH /incidents/{id}', () => {
  it('applies with the current version without checking old values, and bumps vers and last-modified', async () => {
    const res = await api('PATCH', `/incidents/${incident.id}`, {
      version: incident.vers,
      changes: [change('name', 'wrong old value', 'renamed'), change('aws_guardduty_count', null, '2')],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, title: null, message: null, hints: [] });
    const after = (await api('GET', `/incidents/${incident.id}`)).body;
    expect(after).toMatchObject({ name: 'renamed', vers: incident.vers + 1, properties: { aws_guardduty_count: '2' } });
    expect(after.inc_last_modified_date).toBeGreaterThan(incident.inc_last_modified_date);
  });

  it('applies a stale or omitted version when every old value matches (null ≡ missing)', async () => {
    const stale = await api('PATCH', `/incidents/${incident.id}`, {
      version: incident.vers - 1,
      changes: [change({ name: 'name' }, 'original', 'second'), change('aws_guardduty_region', null, 'eu-west-1')],
    });
    expect(stale.body.success).toBe(true);
    const omitted = await api('PATCH', `/incidents/${incident.id}`, {
      changes: [{ field: { name: 'aws_guardduty_count' }, old_value: { text: '1' }, new_value: { text: '5' } }],
    });
    expect(omitted.body.success).toBe(true);
    expect(emu.getIncident(incident.id)).toMatchObject({ name: 'second', vers: incident.vers + 2, properties: { aws_guardduty_count: '5', aws_guardduty_region: 'eu-west-1' } });
  });

  it('on a mismatch applies nothing and answers success:false with field_failures', async () => {
    const res = await api('PATCH', `/incidents/${incident.id}`, {
      changes: [change('name', 'the wrong value', 'updated'), change('aws_guardduty_count', '1', '9'), change('severity_code', 'High', 'Low')],
    });
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(false);
    expect(res.body.message).toContain(
      'could not be applied due to a conflicting edit by another user.  The following field(s) were in conflict:  name, severity_code.',
    );
    expect(res.body.field_failures).toEqual([
      { field: 'name', your_original_value: 'the wrong value', actual_current_value: 'original' },
      { field: 'severity_code', your_original_value: 'High', actual_current_value: 5 },
    ]);
    expect(emu.getIncident(incident.id)).toMatchObject({ name: 'original', vers: incident.vers, properties: { aws_guardduty_count: '1' } });
  });

  it('accepts every typed value form and field by id', async () => {
    const nameField = (await api('GET', '/types/incident/fields/name')).body;
    const res = await api('PATCH', `/incidents/${incident.id}`, {
      version: incident.vers,
      changes: [
        { field: { id: nameField.id }, old_value: { text: 'original' }, new_value: { text: 'by id' } },
        { field: 'description', old_value: { textarea: null }, new_value: { textarea: { format: 'html', content: '<p>x</p>' } } },
        { field: 'severity_code', old_value: { id: 5 }, new_value: { id: 'High' } },
        { field: 'incident_type_ids', old_value: { ids: [] }, new_value: { ids: ['Malware'] } },
        { field: 'start_date', old_value: { date: null }, new_value: { date: 1_600_000_000_000 } },
        { field: 'confirmed', old_value: { boolean: false }, new_value: { boolean: true } },
        { field: 'aws_guardduty_trigger_refresh', old_value: { boolean: null }, new_value: { boolean: true } },
      ],
    });
    expect(res.body.success).toBe(true);
    const dto = (await api('GET', `/incidents/${incident.id}?handle_format=names`)).body;
    expect(dto).toMatchObject({
      name: 'by id',
      description: '<p>x</p>',
      severity_code: 'High',
      incident_type_ids: ['Malware'],
      start_date: 1_600_000_000_000,
      confirmed: true,
      properties: { aws_guardduty_trigger_refresh: true },
    });
  });

  it('refuses unknown and read-only fields and a string for a multiselect with 400', async () => {
    for (const bad of [change('no_such_field', null, 1), change('properties.aws_guardduty_count', '1', '2'), change('create_date', null, 1)]) {
      const res = await api('PATCH', `/incidents/${incident.id}`, { version: incident.vers, changes: [bad] });
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe('generic');
    }
    const multi = await api('PATCH', `/incidents/${incident.id}`, { version: incident.vers, changes: [change('incident_type_ids', [], 'Malware')] });
    expect(multi.status).toBe(400);
  });

  it('needs the required-on-close fields to close, naming every missing one, then sets end_date', async () => {
    const close = change('plan_status', 'A', 'C');
    const refused = await api('PATCH', `/incidents/${incident.id}`, { version: incident.vers, changes: [close] });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('Resolution (resolution_id)');
    expect(refused.body.message).toContain('Resolution Summary (resolution_summary)');
    expect(emu.getIncident(incident.id)).toMatchObject({ planStatus: 'A', vers: incident.vers });

    const closed = await api('PATCH', `/incidents/${incident.id}`, {
      version: incident.vers,
      changes: [close, change('resolution_id', null, 'Resolved'), change('resolution_summary', null, 'Archived in GuardDuty')],
    });
    expect(closed.body.success).toBe(true);
    const dto = (await api('GET', `/incidents/${incident.id}`)).body;
    expect(dto).toMatchObject({ plan_status: 'C', resolution_id: RESOLUTION_IDS.Resolved, resolution_summary: 'Archived in GuardDuty' });
    expect(dto.end_date).toEqual(expect.any(Number));

    const reopened = await api('PATCH', `/incidents/${incident.id}`, { version: dto.vers, changes: [change('plan_status', 'C', 'A')] });
    expect(reopened.body.success).toBe(true);
    expect((await api('GET', `/incidents/${incident.id}`)).body).toMatchObject({ plan_status: 'A', end_date: null });
  });

  it('enforces custom required-on-close fields set through the admin API', async () => {
    emu.setRequiredOnClose(['resolution_id', 'aws_guardduty_archived']);
    const res = await api('PATCH', `/incidents/${incident.id}`, {
      version: incident.vers,
      changes: [change('plan_status', 'A', 'C'), change('resolution_id', null, 'Not an Issue')],
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('aws_guardduty_archived');
    expect(res.body.message).not.toContain('resolution_id');
  });

  it('PUT /rest/orgs/{org}/incidents/patch applies many patches and reports failures by incident id', async () => {
    const other = (await api('POST', '/incidents', incidentBody({ name: 'other' }))).body;
    const res = await api('PUT', '/incidents/patch', {
      patches: {
        [incident.id]: { version: incident.vers + 1, changes: [change('name', null, 'bulk 1')] },
        [other.id]: { changes: [change('name', 'not other', 'bulk 2')] },
        '424242': { changes: [] },
      },
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.failures).sort()).toEqual([String(other.id), '424242']);
    expect(res.body.failures[other.id].field_failures[0].field).toBe('name');
    expect(emu.getIncident(incident.id)!.name).toBe('bulk 1');
    expect(emu.getIncident(other.id)!.name).toBe('other');
  });
});
