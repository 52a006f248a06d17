import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { SEVERITY_IDS, type SoarEmulator } from '../../../../emulators/soar/index.js';
import { createGuardDutySchema, incidentBody, startEmulator, type Api } from './soar-test-helpers.js';

let emu: SoarEmulator;
let api: Api;
const ids: number[] = [];

/** Five incidents: f-0..f-4, severities Low/Medium/High/Low/Medium, discovered 1000..5000, #4 closed. */
beforeAll(async () => {
  let now = 10_000;
  ({ emu, api } = await startEmulator({ clock: () => (now += 10) }));
  await createGuardDutySchema(api);
  const severities = ['Low', 'Medium', 'High', 'Low', 'Medium'];
  for (let i = 0; i < 5; i++) {
    const properties: Record<string, unknown> = { aws_guardduty_finding_id: `f-${i}`, aws_guardduty_region: i % 2 ? 'eu-west-1' : 'us-east-1' };
    if (i === 2) delete properties.aws_guardduty_region;
    const res = await api('POST', '/incidents', incidentBody({ name: `Finding number ${i}`, severity_code: severities[i], discovered_date: (i + 1) * 1000, properties }));
    ids.push(res.body.id);
  }
  emu.closeIncident(ids[4], { resolution: 'Resolved', summary: 'done' });
});
afterAll(() => emu.close());
afterEach(() => emu.resetCalls());

const cond = (field_name: string, method: string, value?: unknown): Record<string, unknown> => ({ field_name, method, value });
async function query(...conditions: Record<string, unknown>[]): Promise<number[]> {
  const res = await api('POST', '/incidents/query?return_level=normal', { filters: [{ conditions }], sorts: [{ field_name: 'id', type: 'asc' }] });
  expect(res.status).toBe(200);
  return (res.body as { id: number }[]).map((r) => ids.indexOf(r.id));
}

describe('SOAR emulator: incident queries', () => {
  it('supports every method on custom and built-in fields', async () => {
    expect(await query(cond('properties.aws_guardduty_finding_id', 'equals', 'f-3'))).toEqual([3]);
    expect(await query(cond('properties.aws_guardduty_region', 'not_equals', 'us-east-1'))).toEqual([1, 2, 3]);
    expect(await query(cond('severity_code', 'in', ['High', SEVERITY_IDS.Low]))).toEqual([0, 2, 3]);
    expect(await query(cond('severity_code', 'not_in', ['Low']))).toEqual([1, 2, 4]);
    expect(await query(cond('name', 'contains', 'NUMBER 1'))).toEqual([1]);
    expect(await query(cond('name', 'not_contains', 'number 1'))).toEqual([0, 2, 3, 4]);
    expect(await query(cond('discovered_date', 'gt', 3000))).toEqual([3, 4]);
    expect(await query(cond('discovered_date', 'gte', 3000))).toEqual([2, 3, 4]);
    expect(await query(cond('discovered_date', 'lt', 2000))).toEqual([0]);
    expect(await query(cond('discovered_date', 'lte', 2000))).toEqual([0, 1]);
    expect(await query(cond('properties.aws_guardduty_region', 'has_a_value'))).toEqual([0, 1, 3, 4]);
    expect(await query(cond('properties.aws_guardduty_region', 'does_not_have_a_value'))).toEqual([2]);
    expect(await query(cond('plan_status', 'equals', 'C'))).toEqual([4]);
    expect(await query(cond('end_date', 'has_a_value'))).toEqual([4]);
    expect(await query(cond('id', 'equals', ids[1]))).toEqual([1]);
  });

  it('ANDs conditions within a filter and ORs filters', async () => {
    expect(await query(cond('plan_status', 'equals', 'A'), cond('severity_code', 'equals', 'Medium'))).toEqual([1]);
    const res = await api('POST', '/incidents/query', {
      filters: [{ conditions: [cond('properties.aws_guardduty_finding_id', 'equals', 'f-0')] }, { conditions: [cond('plan_status', 'equals', 'C')] }],
    });
    expect((res.body as { id: number }[]).map((r) => ids.indexOf(r.id))).toEqual([0, 4]);
  });

  it('finds closed incidents modified since a time, sorted by last-modified', async () => {
    const since = emu.getIncident(ids[3])!.lastModified;
    const res = await api('POST', '/incidents/query?return_level=normal', {
      filters: [{ conditions: [cond('plan_status', 'equals', 'C'), cond('inc_last_modified_date', 'gte', since), cond('properties.aws_guardduty_finding_id', 'has_a_value')] }],
      sorts: [{ field_name: 'inc_last_modified_date', type: 'asc' }],
    });
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toMatchObject({ id: ids[4], plan_status: 'C', vers: 2, properties: { aws_guardduty_finding_id: 'f-4' } });
  });

  it('pages query_paged with start/length and sorts', async () => {
    const body = { filters: [{ conditions: [] }], sorts: [{ field_name: 'discovered_date', type: 'desc' }], start: 1, length: 2 };
    const res = await api('POST', '/incidents/query_paged?return_level=normal', body);
    expect(res.body.recordsTotal).toBe(5);
    expect(res.body.recordsFiltered).toBe(5);
    expect(res.body.data.map((r: { id: number }) => ids.indexOf(r.id))).toEqual([3, 2]);
    const last = await api('POST', '/incidents/query_paged', { ...body, start: 4 });
    expect(last.body.data).toHaveLength(1);
    const beyond = await api('POST', '/incidents/query_paged', { ...body, start: 10 });
    expect(beyond.body.data).toEqual([]);
    expect(emu.callCount('POST /rest/orgs/{org}/incidents/query_paged')).toBe(3);
  });

  it('returns 12 keys at partial (the default), properties and vers at normal', async () => {
    const partial = await api('POST', '/incidents/query', {});
    expect(Object.keys(partial.body[0]).sort()).toEqual(
      ['create_date', 'description', 'discovered_date', 'due_date', 'id', 'inc_training', 'name', 'owner_id', 'phase_id', 'plan_status', 'sequence_code', 'severity_code'],
    );
    const normal = await api('POST', '/incidents/query?return_level=normal&handle_format=names', {});
    expect(normal.body[0]).toMatchObject({ vers: 1, severity_code: 'Low', properties: expect.any(Object), inc_last_modified_date: expect.any(Number) });
  });

  it('refuses unknown fields and methods with 400', async () => {
    for (const c of [cond('properties.nope', 'equals', 1), cond('aws_guardduty_finding_id', 'equals', 'f-1'), cond('name', 'sounds_like', 'x')]) {
      const res = await api('POST', '/incidents/query', { filters: [{ conditions: [c] }] });
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe('generic');
    }
  });
});
