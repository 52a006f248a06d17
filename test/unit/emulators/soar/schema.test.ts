import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RESOLUTION_IDS, SEVERITY_IDS, type SoarEmulator } from '../../../../emulators/soar/index.js';
import { incidentBody, startEmulator, type Api } from './soar-test-helpers.js';

let emu: SoarEmulator;
let api: Api;
beforeEach(async () => {
  ({ emu, api } = await startEmulator());
});
afterEach(() => emu.close());

describe('SOAR emulator: schema', () => {
  it('ships built-in fields with org-specific select ids and no custom fields', async () => {
    const incidentType = (await api('GET', '/types/incident')).body;
    expect(incidentType).toMatchObject({ type_id: 0, type_name: 'incident' });
    expect(incidentType.fields.severity_code.values.map((v: { value: number; label: string }) => [v.label, v.value])).toEqual(
      Object.entries(SEVERITY_IDS),
    );
    expect(incidentType.fields.resolution_id).toMatchObject({ required: 'close', input_type: 'select' });
    expect(incidentType.fields.resolution_id.values.map((v: { label: string }) => v.label)).toEqual(Object.keys(RESOLUTION_IDS));
    expect(incidentType.fields.resolution_summary).toMatchObject({ required: 'close', input_type: 'textarea' });
    expect(incidentType.fields.name).toMatchObject({ required: 'always', prefix: null });

    const fields = (await api('GET', '/types/incident/fields')).body as { prefix: string | null }[];
    expect(fields.filter((f) => f.prefix === 'properties')).toEqual([]);
    const all = (await api('GET', '/types')).body;
    expect(Object.keys(all)).toEqual(['incident', 'artifact']);
    expect((await api('GET', '/types/gd_finding_overview')).status).toBe(404);

    const artifactTypes = (await api('GET', '/artifact_types')).body.entities as { name: string; programmatic_name: string }[];
    expect(artifactTypes.map((t) => t.programmatic_name)).toEqual(expect.arrayContaining(['IP Address', 'DNS Name', 'Port', 'Malware SHA-256 Hash']));
    const artifact = (await api('GET', '/types/artifact')).body;
    expect(artifact.fields.type.values[0]).toMatchObject({ value: 1, label: 'IP Address' });
  });

  it('creates custom incident fields and reads them by name or id', async () => {
    const created = await api('POST', '/types/incident/fields', { name: 'aws_guardduty_trigger_refresh', text: 'Refresh', input_type: 'boolean', tooltip: 'tick to refresh' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ id: expect.any(Number), name: 'aws_guardduty_trigger_refresh', text: 'Refresh', prefix: 'properties', input_type: 'boolean', internal: false, required: null });
    expect((await api('GET', `/types/incident/fields/${created.body.id}`)).body.name).toBe('aws_guardduty_trigger_refresh');
    expect((await api('GET', '/types/incident/fields/aws_guardduty_trigger_refresh')).body.id).toBe(created.body.id);
    expect((await api('POST', '/types/incident/fields', { name: 'aws_guardduty_trigger_refresh', input_type: 'text' })).status).toBe(400);
    expect((await api('POST', '/types/incident/fields', { name: 'x', input_type: 'hologram' })).status).toBe(400);

    const ok = await api('POST', '/incidents', incidentBody({ properties: { aws_guardduty_trigger_refresh: true } }));
    expect(ok.body.properties).toEqual({ aws_guardduty_trigger_refresh: true });
    expect((await api('POST', '/incidents', incidentBody({ properties: { aws_guardduty_trigger_refresh: 'maybe' } }))).status).toBe(400);
  });

  it('creates a custom select field and updates its values with PUT', async () => {
    const created = (await api('POST', '/types/incident/fields', { name: 'gd_state', text: 'State', input_type: 'select', values: [{ label: 'new' }, { label: 'seen' }] })).body;
    const updated = await api('PUT', `/types/incident/fields/${created.id}`, { values: [{ label: 'new' }, { label: 'seen' }, { label: 'gone' }], required: 'close' });
    expect(updated.body.values.map((v: { label: string }) => v.label)).toEqual(['new', 'seen', 'gone']);
    expect(updated.body.values[0].value).toBe(created.values[0].value);
    expect(updated.body.required).toBe('close');
    const inc = await api('POST', '/incidents?handle_format=names', incidentBody({ properties: { gd_state: 'gone' } }));
    expect(inc.body.properties.gd_state).toBe('gone');
  });

  it('creates a data table with POST /types and adds a column', async () => {
    const table = await api('POST', '/types', {
      type_name: 'gd_action_details',
      display_name: 'Action details',
      type_id: 8,
      fields: [{ name: 'action_type', text: 'Action type', input_type: 'text' }],
    });
    expect(table.status).toBe(200);
    expect(table.body).toMatchObject({ type_id: 8, type_name: 'gd_action_details', fields: { action_type: { input_type: 'text' } } });
    const column = await api('POST', '/types/gd_action_details/fields', { name: 'remote_ip', text: 'Remote IP', input_type: 'text' });
    expect(column.body).toMatchObject({ name: 'remote_ip', type_id: table.body.id });
    const columns = (await api('GET', '/types/gd_action_details/fields')).body.map((f: { name: string }) => f.name);
    expect(columns).toEqual(['action_type', 'remote_ip']);
    expect((await api('GET', '/types')).body.gd_action_details.type_id).toBe(8);

    const id = (await api('POST', '/incidents', incidentBody())).body.id;
    const row = await api('POST', `/incidents/${id}/table_data/gd_action_details/row_data`, { cells: { remote_ip: { value: '198.51.100.1' } } });
    expect(row.status).toBe(200);
    expect((await api('POST', '/types', { type_name: 'gd_action_details', fields: [] })).status).toBe(400);
  });

  it('creates a custom artifact type with POST /artifact_types and uses it by name', async () => {
    const created = await api('POST', '/artifact_types', { programmatic_name: 'aws_s3_bucket_name', name: 'AWS S3 Bucket Name', desc: 'bucket' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ id: expect.any(Number), name: 'AWS S3 Bucket Name', programmatic_name: 'aws_s3_bucket_name', system: false });
    const id = (await api('POST', '/incidents', incidentBody())).body.id;
    const artifact = await api('POST', `/incidents/${id}/artifacts?handle_format=names`, { type: { name: 'aws_s3_bucket_name' }, value: 'my-bucket' });
    expect(artifact.body[0].type).toBe('aws_s3_bucket_name');
    expect((await api('POST', '/artifact_types', { programmatic_name: 'aws_s3_bucket_name' })).status).toBe(400);
    expect(emu.summary().customArtifactTypes).toEqual(['aws_s3_bucket_name']);
  });
});
