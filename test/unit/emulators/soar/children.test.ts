import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SoarEmulator } from '../../../../emulators/soar/index.js';
import { createGuardDutySchema, incidentBody, startEmulator, type Api } from './soar-test-helpers.js';

let emu: SoarEmulator;
let api: Api;
let id: number;
beforeEach(async () => {
  ({ emu, api } = await startEmulator());
  await createGuardDutySchema(api);
  id = (await api('POST', '/incidents', incidentBody())).body.id;
});
afterEach(() => emu.close());

describe('SOAR emulator: comments', () => {
  it('adds, lists and updates notes; text is HTML by default and an object on request', async () => {
    const added = await api('POST', `/incidents/${id}/comments`, { text: { format: 'text', content: 'count 1 -> 2 & more' } });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ id: expect.any(Number), type: 'incident', inc_id: id, text: 'count 1 -&gt; 2 &amp; more', create_date: expect.any(Number) });
    await api('POST', `/incidents/${id}/comments`, { text: '<b>html</b> note' });

    const list = await api('GET', `/incidents/${id}/comments`);
    expect(list.body.map((c: { text: string }) => c.text)).toEqual(['count 1 -&gt; 2 &amp; more', '<b>html</b> note']);
    const objects = await api('GET', `/incidents/${id}/comments?text_content_output_format=objects_convert`);
    expect(objects.body[0].text).toEqual({ format: 'text', content: 'count 1 -> 2 & more' });
    const asText = await api('GET', `/incidents/${id}/comments?text_content_output_format=objects_convert_text`);
    expect(asText.body[1].text).toEqual({ format: 'text', content: 'html note' });

    const updated = await api('PUT', `/incidents/${id}/comments/${added.body.id}`, { text: { format: 'text', content: 'edited' } });
    expect(updated.body.text).toBe('edited');
    expect((await api('POST', `/incidents/${id}/comments`, {})).status).toBe(400);
    expect((await api('POST', '/incidents/9999/comments', { text: 'x' })).status).toBe(404);
  });
});

describe('SOAR emulator: artifacts', () => {
  it('answers a JSON array and does not create a duplicate (type, value)', async () => {
    const first = await api('POST', `/incidents/${id}/artifacts`, { type: 'IP Address', value: '203.0.113.9', description: { format: 'text', content: 'remote' } });
    expect(first.status).toBe(200);
    expect(Array.isArray(first.body)).toBe(true);
    expect(first.body[0]).toMatchObject({ id: expect.any(Number), type: 1, value: '203.0.113.9', inc_id: id });
    const again = await api('POST', `/incidents/${id}/artifacts`, { type: { name: 'IP Address' }, value: '203.0.113.9' });
    expect(again.body[0].id).toBe(first.body[0].id);
    const otherType = await api('POST', `/incidents/${id}/artifacts`, { type: 'DNS Name', value: '203.0.113.9' });
    expect(otherType.body[0].id).not.toBe(first.body[0].id);

    const listed = await api('GET', `/incidents/${id}/artifacts?handle_format=names`);
    expect(listed.body.map((a: { type: string; value: string }) => [a.type, a.value])).toEqual([
      ['IP Address', '203.0.113.9'],
      ['DNS Name', '203.0.113.9'],
    ]);
    expect((await api('POST', `/incidents/${id}/artifacts`, { type: 'Nope', value: 'x' })).status).toBe(400);
  });

  it('serves artifacts/query_paged', async () => {
    for (const value of ['a', 'b', 'c']) await api('POST', `/incidents/${id}/artifacts`, { type: 'aws_iam_user_name', value });
    await api('POST', `/incidents/${id}/artifacts`, { type: 'Port', value: '22' });
    const all = await api('POST', `/incidents/${id}/artifacts/query_paged?handle_format=names`, {});
    expect(all.body).toMatchObject({ recordsTotal: 4, recordsFiltered: 4 });
    const users = await api('POST', `/incidents/${id}/artifacts/query_paged`, {
      filters: [{ conditions: [{ field_name: 'type', method: 'equals', value: 'aws_iam_user_name' }] }],
      sorts: [{ field_name: 'value', type: 'desc' }],
      start: 0,
      length: 2,
    });
    expect(users.body.recordsFiltered).toBe(3);
    expect(users.body.data.map((a: { value: string }) => a.value)).toEqual(['c', 'b']);
  });
});

describe('SOAR emulator: data tables', () => {
  const path = (): string => `/incidents/${id}/table_data/gd_finding_overview`;

  it('adds, reads, updates and deletes rows', async () => {
    const added = await api('POST', `${path()}/row_data`, { cells: { severity: { value: '5.0' }, count: { value: '1' } } });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ id: expect.any(Number), version: 1, cells: { severity: { value: '5.0' }, count: { value: '1' } } });
    await api('POST', `${path()}/row_data`, { cells: { count: { value: '2' } } });

    const table = await api('GET', path());
    expect(table.body.id).toEqual(expect.any(Number));
    expect(table.body.rows.map((r: { cells: { count: { value: string } } }) => r.cells.count.value)).toEqual(['1', '2']);
    const all = await api('GET', `/incidents/${id}/table_data`);
    expect(all.body.gd_finding_overview.rows).toHaveLength(2);

    const updated = await api('PUT', `${path()}/row_data/${added.body.id}`, { version: 1, cells: { count: { value: '3' } } });
    expect(updated.body).toMatchObject({ version: 2, cells: { severity: { value: '5.0' }, count: { value: '3' } } });
    expect((await api('PUT', `${path()}/row_data/${added.body.id}`, { version: 1, cells: {} })).status).toBe(409);

    expect((await api('DELETE', `${path()}/row_data/${added.body.id}`)).status).toBe(204);
    expect(emu.getIncident(id)!.tables.gd_finding_overview).toHaveLength(1);
    expect((await api('DELETE', `${path()}/row_data`)).status).toBe(204);
    expect((await api('GET', path())).body.rows).toEqual([]);
  });

  it('answers 404 for an unknown table and 400 naming unknown columns', async () => {
    const table = await api('POST', `/incidents/${id}/table_data/gd_nope/row_data`, { cells: { a: { value: '1' } } });
    expect(table.status).toBe(404);
    expect(table.body).toMatchObject({ success: false, error_code: 'generic' });
    expect(table.body.message).toContain('not found');
    const column = await api('POST', `${path()}/row_data`, { cells: { severity: { value: '1' }, colour: { value: 'red' }, size: { value: 'L' } } });
    expect(column.status).toBe(400);
    expect(column.body.message).toContain('colour');
    expect(column.body.message).toContain('size');
    expect(emu.summary().rows).toBe(0);
  });
});
