import { describe, expect, it } from 'vitest';
import { useHttpMock } from '../../helpers/http-mock.js';
import { BASE, ORG, expectSession, harness, ibmError } from './fixtures.js';

const http = useHttpMock();

function soar(): ReturnType<typeof http.origin> {
  const scope = http.origin(BASE);
  expectSession(scope);
  return scope;
}

const incidentFields = [
  { id: 1, name: 'resolution_id', text: 'Resolution', prefix: null, input_type: 'select', required: 'close', internal: false,
    values: [{ value: 7, label: 'Resolved', enabled: true, default: false }, { value: 8, label: 'Duplicate', enabled: false }] },
  { id: 2, name: 'aws_guardduty_finding_id', text: 'AWS GuardDuty Finding ID', prefix: 'properties', input_type: 'text', required: null, values: [] },
  { id: 3, name: 'name', text: 'Name', prefix: null, input_type: 'text', required: 'always' },
];

const types = {
  incident: { type_id: 0, type_name: 'incident', fields: { name: { name: 'name' } } },
  gd_finding_overview: {
    type_id: 8, type_name: 'gd_finding_overview', display_name: 'GuardDuty Finding Overview',
    fields: { severity: { name: 'severity' }, query_execution_date: { name: 'query_execution_date' } },
  },
  artifact: { type_id: 4, type_name: 'artifact', fields: {} },
};

describe('readSchema', () => {
  it('reads incident fields, data tables and artifact types by API name', async () => {
    const scope = soar();
    scope.get(`${ORG}/types/incident/fields`).query(true).reply(200, incidentFields);
    scope.get(`${ORG}/types`).query(true).reply(200, types);
    scope.get(`${ORG}/artifact_types`).query(true).reply(200, { entities: [
      { id: 1, name: 'IP Address', programmatic_name: 'IP Address' },
      { id: 1001, name: 'AWS S3 Bucket Name', programmatic_name: 'aws_s3_bucket_name' },
      { id: 2, name: 'DNS Name' },
    ] });

    const schema = await harness().client.catalog.readSchema();

    expect(schema.incidentFields).toEqual([
      { name: 'resolution_id', label: 'Resolution', inputType: 'select', required: 'close', custom: false,
        values: [{ id: 7, label: 'Resolved', enabled: true }, { id: 8, label: 'Duplicate', enabled: false }] },
      { name: 'aws_guardduty_finding_id', label: 'AWS GuardDuty Finding ID', inputType: 'text', custom: true, values: [] },
      { name: 'name', label: 'Name', inputType: 'text', required: 'always', custom: false, values: [] },
    ]);
    expect(schema.dataTables).toEqual({ gd_finding_overview: ['severity', 'query_execution_date'] });
    expect(schema.artifactTypes).toEqual(['IP Address', 'aws_s3_bucket_name', 'DNS Name']);
  });

  it('falls back to /types/artifact where /artifact_types does not exist', async () => {
    const scope = soar();
    scope.get(`${ORG}/types/incident/fields`).query(true).reply(200, []);
    scope.get(`${ORG}/types`).query(true).reply(200, {});
    scope.get(`${ORG}/artifact_types`).query(true).reply(404, ibmError('Not Found'));
    scope.get(`${ORG}/types/artifact`).query(true).reply(200, {
      type_id: 4, fields: { type: { name: 'type', values: [{ value: 1, label: 'IP Address' }, { value: 2, label: 'Port' }] } },
    });

    expect((await harness().client.catalog.readSchema()).artifactTypes).toEqual(['IP Address', 'Port']);
  });
});

describe('setup: creating what is missing', () => {
  const fieldDef = { placeholder: '', blank_option: false, read_only: false, rich_text: false, values: [] };

  it('creates a custom incident field with prefix "properties"', async () => {
    soar().post(`${ORG}/types/incident/fields`, {
      name: 'aws_guardduty_trigger_refresh', text: 'AWS GuardDuty Trigger Refresh', input_type: 'boolean',
      tooltip: 'Set to refresh the incident from GuardDuty', prefix: 'properties', ...fieldDef,
    }).reply(200, { id: 1200 });

    await harness().client.catalog.createIncidentField({
      name: 'aws_guardduty_trigger_refresh', label: 'AWS GuardDuty Trigger Refresh', inputType: 'boolean',
      tooltip: 'Set to refresh the incident from GuardDuty',
    });
  });

  it('creates a data table as a type with type_id 8 and its columns', async () => {
    soar().post(`${ORG}/types`, {
      type_name: 'gd_s3_bucket_details', display_name: 'GuardDuty Resource - S3 Bucket Details', type_id: 8,
      parent_types: ['incident'],
      fields: {
        bucket_name: { name: 'bucket_name', text: 'Bucket name', input_type: 'text', tooltip: '', ...fieldDef },
        query_execution_date: { name: 'query_execution_date', text: 'Query execution date', input_type: 'text', tooltip: '', ...fieldDef },
      },
    }).reply(200, { type_id: 8 });

    await harness().client.catalog.createDataTable({
      name: 'gd_s3_bucket_details', label: 'GuardDuty Resource - S3 Bucket Details',
      columns: [
        { name: 'bucket_name', label: 'Bucket name', inputType: 'text' },
        { name: 'query_execution_date', label: 'Query execution date', inputType: 'text' },
      ],
    });
  });

  it('adds a missing column to an existing data table', async () => {
    soar().post(`${ORG}/types/gd_finding_overview/fields`, {
      name: 'resource_id', text: 'Resource ID', input_type: 'text', tooltip: '', ...fieldDef,
    }).reply(200, { id: 1301 });

    await harness().client.catalog.createDataTableColumn('gd_finding_overview', { name: 'resource_id', label: 'Resource ID', inputType: 'text' });
  });

  it('creates an artifact type with its display name and API name', async () => {
    soar().post(`${ORG}/artifact_types`, {
      name: 'AWS IAM Access Key ID', programmatic_name: 'aws_iam_access_key_id',
      desc: 'Amazon Web Services (AWS) IAM access key id.', enabled: true,
    }).reply(200, { id: 1002 });

    await harness().client.catalog.createArtifactType({
      name: 'aws_iam_access_key_id', label: 'AWS IAM Access Key ID', description: 'Amazon Web Services (AWS) IAM access key id.',
    });
  });

  it('looks a schema creation up before re-sending it after a lost answer (500, 429), and says the admin permission may be missing on 403', async () => {
    const scope = soar();
    // The field was made before the 500: found, not made twice.
    scope.post(`${ORG}/types/incident/fields`).once().reply(500, ibmError('Internal Server Error'));
    scope.get(`${ORG}/types/incident/fields`).query(true).reply(200, [{ id: 9, name: 'x', text: 'X', input_type: 'text', prefix: 'properties' }]);
    // The data table was not made before the 429: not found, sent again.
    scope.post(`${ORG}/types`).once().reply(429, ibmError('Too many requests'), { 'Retry-After': '2' });
    scope.get(`${ORG}/types`).query(true).reply(200, {});
    scope.post(`${ORG}/types`).once().reply(200, { type_id: 8, type_name: 'gd_t' });
    scope.post(`${ORG}/artifact_types`).once().reply(403, ibmError('Forbidden'));
    const { client, clock } = harness();

    await client.catalog.createIncidentField({ name: 'x', label: 'X', inputType: 'text' });
    await client.catalog.createDataTable({ name: 'gd_t', label: 'T', columns: [] });
    await expect(client.catalog.createArtifactType({ name: 'y', label: 'Y', description: '' })).rejects.toMatchObject({
      status: 403, retryable: false, message: expect.stringContaining('lacks a permission'),
    });
    expect(clock.sleeps).toEqual([499, 2_000]);
  });
});
