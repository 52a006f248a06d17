import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEVERITY_IDS, type SoarEmulator } from '../../../../emulators/soar/index.js';
import { createGuardDutySchema, incidentBody, startEmulator, type Api } from './soar-test-helpers.js';

let emu: SoarEmulator;
let api: Api;
beforeEach(async () => {
  ({ emu, api } = await startEmulator());
  await createGuardDutySchema(api);
});
afterEach(() => emu.close());

describe('SOAR emulator: incidents', () => {
  it('creates an incident with its note and artifacts inline and answers the full DTO', async () => {
    const res = await api(
      'POST',
      '/incidents',
      incidentBody({
        description: { format: 'text', content: 'A <b>finding</b>' },
        properties: { aws_guardduty_finding_id: 'f-1', aws_guardduty_trigger_refresh: false },
        comments: [{ text: { format: 'text', content: '{"Id": "f-1"}' } }],
        artifacts: [
          { type: { name: 'IP Address' }, value: '198.51.100.7', description: { format: 'text', content: 'remote ip' } },
          { type: 'aws_iam_user_name', value: 'alice', description: 'from accessKeyDetails' },
          { type: 2, value: 'evil.example.com' },
        ],
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: expect.any(Number),
      vers: expect.any(Number),
      create_date: expect.any(Number),
      inc_last_modified_date: expect.any(Number),
      discovered_date: 1_700_000_000_000,
      plan_status: 'A',
      severity_code: SEVERITY_IDS.Medium,
      resolution_id: null,
      resolution_summary: null,
      end_date: null,
      org_id: emu.orgId,
      properties: { aws_guardduty_finding_id: 'f-1', aws_guardduty_trigger_refresh: false, aws_guardduty_region: null },
    });
    const stored = emu.getIncident(res.body.id)!;
    expect(stored.notes).toEqual([expect.objectContaining({ text: '{"Id": "f-1"}', format: 'text' })]);
    expect(stored.artifacts.map((a) => [a.type, a.value])).toEqual([
      ['IP Address', '198.51.100.7'],
      ['aws_iam_user_name', 'alice'],
      ['DNS Name', 'evil.example.com'],
    ]);
  });

  it('requires name and discovered_date, and names unknown custom properties', async () => {
    const missing = await api('POST', '/incidents', { severity_code: 'Low' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('name');
    expect(missing.body.message).toContain('discovered_date');

    const unknown = await api('POST', '/incidents', incidentBody({ properties: { aws_guardduty_finding_id: 'x', no_such_field: 1, other: 2 } }));
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ success: false, title: null, hints: [], error_code: 'generic' });
    expect(unknown.body.message).toContain('no_such_field');
    expect(unknown.body.message).toContain('other');

    const badArtifact = await api('POST', '/incidents', incidentBody({ artifacts: [{ type: 'No Such Type', value: 'v' }] }));
    expect(badArtifact.status).toBe(400);
    expect(emu.summary().incidents.total).toBe(0);
  });

  it('checks custom field types: booleans for boolean fields, strings for text fields', async () => {
    const good = await api('POST', '/incidents', incidentBody({ properties: { aws_guardduty_trigger_refresh: true, aws_guardduty_count: '3' } }));
    expect(good.body.properties).toMatchObject({ aws_guardduty_trigger_refresh: true, aws_guardduty_count: '3' });
    const bad = await api('POST', '/incidents', incidentBody({ properties: { aws_guardduty_trigger_refresh: 'yes' } }));
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('aws_guardduty_trigger_refresh');
    const object = await api('POST', '/incidents', incidentBody({ properties: { aws_guardduty_count: { n: 1 } } }));
    expect(object.status).toBe(400);
  });

  it('accepts handles as name, id, {id} or {name}, and renders names with handle_format=names', async () => {
    for (const severity of ['High', SEVERITY_IDS.High, { id: SEVERITY_IDS.High }, { name: 'High' }]) {
      const res = await api('POST', '/incidents', incidentBody({ severity_code: severity }));
      expect(res.body.severity_code).toBe(SEVERITY_IDS.High);
    }
    const bad = await api('POST', '/incidents', incidentBody({ severity_code: 'Critical' }));
    expect(bad.status).toBe(400);

    const id = (await api('POST', '/incidents', incidentBody())).body.id;
    expect((await api('GET', `/incidents/${id}?handle_format=names`)).body).toMatchObject({ severity_code: 'Medium', plan_status: 'A' });
    expect((await api('GET', `/incidents/${id}`, undefined, { handle_format: 'names' })).body.severity_code).toBe('Medium');
    expect((await api('GET', `/incidents/${id}`)).body.severity_code).toBe(SEVERITY_IDS.Medium);
  });

  it('answers 404 with the thousands separator', async () => {
    const res = await api('GET', '/incidents/9999');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ success: false, title: null, message: 'Unable to find object with ID 9,999', hints: [], error_code: 'generic' });
  });

  it('renders rich text as HTML by default and as objects with text_content_output_format', async () => {
    const id = (await api('POST', '/incidents', incidentBody({ description: { format: 'text', content: 'a < b\nsecond' } }))).body.id;
    expect((await api('GET', `/incidents/${id}`)).body.description).toBe('a &lt; b<br>second');
    expect((await api('GET', `/incidents/${id}?text_content_output_format=objects_convert`)).body.description).toEqual({
      format: 'text',
      content: 'a < b\nsecond',
    });
    const plain = await api('POST', '/incidents', incidentBody({ description: 'plain string' }));
    expect(plain.body.description).toBe('plain string');
  });

  it('PUT with the current vers updates and bumps vers; a stale vers is 409', async () => {
    const created = (await api('POST', '/incidents', incidentBody())).body;
    const dto = (await api('GET', `/incidents/${created.id}`)).body;
    const updated = await api('PUT', `/incidents/${created.id}`, { ...dto, name: 'renamed', properties: { ...dto.properties, aws_guardduty_count: '2' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'renamed', vers: dto.vers + 1, properties: { aws_guardduty_count: '2' } });
    const stale = await api('PUT', `/incidents/${created.id}`, { ...dto, name: 'lost update' });
    expect(stale.status).toBe(409);
    expect(stale.body.error_code).toBe('generic');
    expect(emu.getIncident(created.id)!.name).toBe('renamed');
  });

  it('deletes an incident as an administrator does: 204, then 404 for it and for its notes, artifacts and rows; gone from queries', async () => {
    const created = await api('POST', '/incidents', incidentBody({
      properties: { aws_guardduty_finding_id: 'f-del' },
      comments: [{ text: { format: 'text', content: 'note' } }],
      artifacts: [{ type: 'IP Address', value: '198.51.100.9' }],
    }));
    const id = created.body.id as number;
    const keep = (await api('POST', '/incidents', incidentBody({ properties: { aws_guardduty_finding_id: 'f-keep' } }))).body.id as number;
    expect((await api('POST', `/incidents/${id}/table_data/gd_finding_overview/row_data`, { cells: { count: { value: '1' } } })).status).toBe(200);

    const deleted = await api('DELETE', `/incidents/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    for (const [method, path, body] of [
      ['GET', `/incidents/${id}`, undefined],
      ['PATCH', `/incidents/${id}`, { changes: [{ field: 'name', old_value: { text: 'x' }, new_value: { text: 'y' } }] }],
      ['GET', `/incidents/${id}/comments`, undefined],
      ['POST', `/incidents/${id}/comments`, { text: { format: 'text', content: 'late' } }],
      ['POST', `/incidents/${id}/artifacts/query_paged`, {}],
      ['GET', `/incidents/${id}/table_data/gd_finding_overview`, undefined],
      ['POST', `/incidents/${id}/table_data/gd_finding_overview/row_data`, { cells: { count: { value: '2' } } }],
      ['DELETE', `/incidents/${id}`, undefined],
    ] as const) {
      const res = await api(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.message).toBe(`Unable to find object with ID ${id.toLocaleString('en-US')}`);
    }
    const query = { filters: [{ conditions: [{ field_name: 'properties.aws_guardduty_finding_id', method: 'has_a_value' }] }], start: 0, length: 10 };
    expect((await api('POST', '/incidents/query_paged', query)).body.data.map((i: { id: number }) => i.id)).toEqual([keep]);
    expect(emu.summary().incidents.total).toBe(1);
  });

  it('bulk-deletes with PUT /incidents/delete and a list of ids; an unknown id deletes nothing', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await api('POST', '/incidents', incidentBody())).body.id as number);
    const refused = await api('PUT', '/incidents/delete', [ids[0], 99_999]);
    expect(refused.status).toBe(404);
    expect(refused.body.message).toBe('Unable to find object with ID 99,999');
    expect(emu.summary().incidents.total).toBe(3);
    // XSOAR's integration sends the ids as strings.
    const done = await api('PUT', '/incidents/delete', [String(ids[0]), ids[1]]);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ success: true, title: null, message: null, hints: [] });
    expect(emu.listIncidents().map((i) => i.id)).toEqual([ids[2]]);
    expect((await api('PUT', '/incidents/delete', { ids })).status).toBe(400);
    // The admin API deletes as an administrator does.
    expect((await api('DELETE', `/__admin/incidents/${ids[2]}`)).status).toBe(200);
    expect((await api('GET', `/incidents/${ids[2]}`)).status).toBe(404);
  });
});
