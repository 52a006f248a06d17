import { describe, expect, it } from 'vitest';
import { ExternalServiceError, IncidentGoneError } from '../../../src/core/errors.js';
import type { IncidentView } from '../../../src/soar/case-system.js';
import { htmlToText } from '../../../src/util/html-text.js';
import { useHttpMock } from '../../helpers/http-mock.js';
import { BASE, ORG, expectSession, harness, ibmError, incident } from './fixtures.js';

const http = useHttpMock();

function soar(): ReturnType<typeof http.origin> {
  const scope = http.origin(BASE);
  expectSession(scope);
  return scope;
}

describe('incidents', () => {
  it('creates an incident with the rendered payload and maps the answer', async () => {
    const payload = {
      name: 'AWS GuardDuty: Recon',
      discovered_date: 1_767_225_600_000,
      comments: [{ text: { format: 'text', content: '{"Id": "f-1"}' } }],
      artifacts: [{ type: { name: 'IP Address' }, value: '198.51.100.7', description: { format: 'text', content: 'remoteIpDetails' } }],
    };
    soar().post(`${ORG}/incidents`, payload).query({ handle_format: 'names' })
      .reply(200, incident({ id: 77, inc_last_modified_date: undefined, create_date: 1_767_225_700_000, properties: null }));
    const { client } = harness();

    const created = await client.incidents.createIncident(payload);

    expect(created).toEqual<IncidentView>({
      id: 77, name: 'AWS GuardDuty: Unusual API call', planStatus: 'A', lastModified: 1_767_225_700_000, vers: 4,
      properties: {}, resolutionId: null, resolutionSummary: null,
    });
  });

  it('returns undefined for an incident SOAR does not know (404)', async () => {
    soar().get(`${ORG}/incidents/9999`).query(true)
      .reply(404, { success: false, title: null, message: 'Unable to find object with ID 9,999', hints: [], error_code: 'generic' });

    expect(await harness().client.incidents.getIncident(9999)).toBeUndefined();
  });

  it('pages through query_paged until recordsTotal, with the conditions, sort and page size asked for', async () => {
    const scope = soar();
    const body = (start: number) => ({
      filters: [{ conditions: [
        { field_name: 'properties.aws_guardduty_finding_id', method: 'has_a_value' },
        { field_name: 'plan_status', method: 'equals', value: 'C' },
      ] }],
      sorts: [{ field_name: 'inc_last_modified_date', type: 'asc' }],
      start,
      length: 2,
    });
    const query = { return_level: 'normal', handle_format: 'names' };
    scope.post(`${ORG}/incidents/query_paged`, body(0)).query(query)
      .reply(200, { recordsTotal: 3, recordsFiltered: 3, data: [incident({ id: 1 }), incident({ id: 2 })] });
    scope.post(`${ORG}/incidents/query_paged`, body(2)).query(query)
      .reply(200, { recordsTotal: 3, recordsFiltered: 3, data: [incident({ id: 3, plan_status: 'C', resolution_id: 'Resolved' })] });
    const { client } = harness();

    const pages: IncidentView[][] = [];
    for await (const page of client.incidents.queryIncidents({
      conditions: [
        { field: 'properties.aws_guardduty_finding_id', method: 'has_a_value' },
        { field: 'plan_status', method: 'equals', value: 'C' },
      ],
      sort: { field: 'inc_last_modified_date', direction: 'asc' },
      pageSize: 2,
    })) pages.push(page);

    expect(pages.map((p) => p.map((i) => i.id))).toEqual([[1, 2], [3]]);
    expect(pages[1]?.[0]).toMatchObject({ planStatus: 'C', resolutionId: 'Resolved' });
  });

  it('stops at an empty page even if recordsTotal promised more (rows deleted meanwhile)', async () => {
    const scope = soar();
    scope.post(`${ORG}/incidents/query_paged`).query(true).reply(200, { recordsTotal: 5, data: [incident({ id: 1 })] });
    scope.post(`${ORG}/incidents/query_paged`).query(true).reply(200, { recordsTotal: 5, data: [] });

    const ids: number[] = [];
    for await (const page of harness().client.incidents.queryIncidents({ conditions: [], pageSize: 1 })) ids.push(...page.map((i) => i.id));
    expect(ids).toEqual([1]);
  });

  it('does not ask for another page after a short one (recordsTotal counts the whole org)', async () => {
    const scope = soar();
    scope.post(`${ORG}/incidents/query_paged`).query(true).reply(200, { recordsTotal: 900, recordsFiltered: 2, data: [incident({ id: 1 }), incident({ id: 2 })] });

    const ids: number[] = [];
    for await (const page of harness().client.incidents.queryIncidents({ conditions: [], pageSize: 50 })) ids.push(...page.map((i) => i.id));
    expect(ids).toEqual([1, 2]);
  });
});

describe('notes, artifacts and data table rows', () => {
  it('adds a note as rich text', async () => {
    soar().post(`${ORG}/incidents/5/comments`, { text: { format: 'html', content: '<b>Finding updated</b>' } }).reply(200, { id: 1 });
    await harness().client.incidents.addNote(5, { format: 'html', content: '<b>Finding updated</b>' });
  });

  it('lists notes (and replies) as plain text, whether SOAR converts them or sends HTML', async () => {
    soar().get(`${ORG}/incidents/5/comments`).query({ text_content_output_format: 'objects_convert_text', handle_format: 'names' }).reply(200, [
      { id: 1, text: { format: 'text', content: 'Finding  updated:\ncount 1 → 2' }, children: [
        { id: 3, text: '<div class="rte"><div>Reply &lt;ok&gt; &amp; thanks&#33;</div></div>', children: [] },
      ] },
      { id: 2, text: { format: 'html', content: '<p>Archived&nbsp;in <b>GuardDuty</b></p>' } },
    ]);

    expect(await harness().client.incidents.listNotes(5)).toEqual([
      { id: 1, text: 'Finding updated: count 1 → 2' },
      { id: 3, text: 'Reply <ok> & thanks!' },
      { id: 2, text: 'Archived in GuardDuty' },
    ]);
    expect(htmlToText('<b>Finding updated:</b><br>count 1 → 2')).toBe('Finding updated: count 1 → 2');
    expect(htmlToText('&#99999999; &#x41;&bogus;')).toBe('&#99999999; A&bogus;');
  });

  it('adds an artifact by type name with a text description', async () => {
    soar().post(`${ORG}/incidents/5/artifacts`, {
      type: { name: 'aws_s3_bucket_name' }, value: 'acme-logs', description: { format: 'text', content: 'resource.s3BucketDetails[0].name' },
    }).reply(200, [{ id: 11 }]);
    await harness().client.incidents.addArtifact(5, { type: 'aws_s3_bucket_name', value: 'acme-logs', description: 'resource.s3BucketDetails[0].name' });
  });

  it('lists artifacts with their type names, page by page', async () => {
    const scope = soar();
    scope.post(`${ORG}/incidents/5/artifacts/query_paged`, { start: 0, length: 500 }).query({ handle_format: 'names' })
      .reply(200, { recordsTotal: 2, recordsFiltered: 2, data: [
        { id: 11, type: 'IP Address', value: '198.51.100.7', description: null },
        { id: 12, type: { name: 'Port' }, value: '22' },
      ] });

    expect(await harness().client.incidents.listArtifacts(5)).toEqual([
      { id: 11, type: 'IP Address', value: '198.51.100.7' },
      { id: 12, type: 'Port', value: '22' },
    ]);
  });

  it('adds a data table row as cells of values', async () => {
    soar().post(`${ORG}/incidents/5/table_data/gd_finding_overview/row_data`, {
      cells: { severity: { value: '8.0' }, count: { value: '2' } },
    }).query({ handle_format: 'names' }).reply(200, { id: 1, cells: {}, version: 1 });
    await harness().client.incidents.addTableRow(5, 'gd_finding_overview', { severity: '8.0', count: '2' });
  });

  it('lists data table rows with cell values as strings', async () => {
    soar().get(`${ORG}/incidents/5/table_data/gd_finding_overview`).query({ handle_format: 'names' }).reply(200, {
      id: 1001,
      rows: [{ id: 7, version: 1, cells: { severity: { id: 'severity', row_id: 7, value: '8.0' }, count: { value: 2 }, region: { value: null } } }],
    });

    expect(await harness().client.incidents.listTableRows(5, 'gd_finding_overview')).toEqual([
      { id: 7, cells: { severity: '8.0', count: '2', region: '' } },
    ]);
  });

  it('reports an unexpected answer as a non-retryable error naming the bad field', async () => {
    soar().get(`${ORG}/incidents/5/table_data/gd_finding_overview`).query(true).reply(200, { rows: [{ cells: {} }] });

    await expect(harness().client.incidents.listTableRows(5, 'gd_finding_overview')).rejects.toMatchObject({
      code: 'UNEXPECTED_RESPONSE', retryable: false, message: expect.stringContaining('rows.0.id'),
    });
  });
});

describe('incidents by id', () => {
  it('asks POST /incidents/query for the ids in one call and answers those SOAR holds', async () => {
    soar().post(`${ORG}/incidents/query`, { filters: [{ conditions: [{ field_name: 'id', method: 'in', value: [5, 6, 7] }] }] })
      .query({ return_level: 'normal', handle_format: 'names' })
      .reply(200, [incident({ id: 5 }), incident({ id: 7, plan_status: 'C' })]);
    const found = await harness().client.incidents.incidentsById([5, 6, 7]);
    expect(found.map((i) => [i.id, i.planStatus])).toEqual([[5, 'A'], [7, 'C']]);
  });
});

describe('an incident that no longer exists', () => {
  const gone = ibmError('Unable to find object with ID 2,314');

  it('a 404 on the incident or one of its children, confirmed by a GET, is IncidentGoneError naming the incident', async () => {
    const scope = soar();
    scope.patch(`${ORG}/incidents/2314`).query(true).reply(404, gone);
    scope.post(`${ORG}/incidents/2314/comments`).reply(404, gone);
    scope.post(`${ORG}/incidents/2314/table_data/gd_finding_overview/row_data`).query(true).reply(404, gone);
    scope.get(`${ORG}/incidents/2314`).query(true).times(3).reply(404, gone);
    const { client } = harness();

    const calls = [
      () => client.incidents.patchIncident(2314, [{ field: 'aws_guardduty_count', oldValue: '1', newValue: '2' }]),
      () => client.incidents.addNote(2314, { format: 'text', content: 'x' }),
      () => client.incidents.addTableRow(2314, 'gd_finding_overview', { count: '2' }),
    ];
    for (const call of calls) {
      const err = await call().then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(IncidentGoneError);
      expect(err).toMatchObject({ incidentId: 2314, status: 404, retryable: false });
      expect((err as Error).message).toMatch(/incident 2314 no longer exists in SOAR/);
    }
  });

  it('a 404 from a data table that is gone while the incident exists stays an ordinary failure (nothing to heal)', async () => {
    const scope = soar();
    scope.post(`${ORG}/incidents/2314/table_data/gd_finding_overview/row_data`).query(true).reply(404, ibmError("Data table 'gd_finding_overview' not found."));
    scope.get(`${ORG}/incidents/2314`).query(true).reply(200, incident());

    const err = await harness().client.incidents.addTableRow(2314, 'gd_finding_overview', { count: '2' }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalServiceError);
    expect(err).not.toBeInstanceOf(IncidentGoneError);
    expect((err as Error).message).toContain("Data table 'gd_finding_overview' not found.");
  });
});
