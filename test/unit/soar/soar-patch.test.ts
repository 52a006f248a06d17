import { describe, expect, it } from 'vitest';
import { ExternalServiceError } from '../../../src/core/errors.js';
import { useHttpMock } from '../../helpers/http-mock.js';
import { BASE, ORG, expectSession, harness, incident } from './fixtures.js';

const http = useHttpMock();
const ok = { success: true, title: null, message: null, hints: [] };
const conflictMessage = 'The incident could not be applied due to a conflicting edit by another user.  The following field(s) were in conflict:  aws_guardduty_count.';

function conflict(field: string, yours: unknown, actual: unknown): Record<string, unknown> {
  return { success: false, title: null, message: conflictMessage, hints: [], field_failures: [{ field, your_original_value: yours, actual_current_value: actual }] };
}

function soar(): ReturnType<typeof http.origin> {
  const scope = http.origin(BASE);
  expectSession(scope);
  return scope;
}

describe('PATCH /incidents/{id}', () => {
  it('sends bare field names, typed values by kind, and no version on the first try', async () => {
    const scope = soar();
    scope
      .patch(`${ORG}/incidents/2314`, {
        changes: [
          { field: 'aws_guardduty_count', old_value: { text: '1' }, new_value: { text: '2' } },
          { field: 'aws_guardduty_trigger_refresh', old_value: { boolean: true }, new_value: { boolean: false } },
          { field: 'plan_status', old_value: { text: 'A' }, new_value: { text: 'C' } },
          { field: 'resolution_id', old_value: { text: null }, new_value: { text: 'Resolved' } },
          { field: 'resolution_summary', old_value: { textarea: null }, new_value: { textarea: { format: 'text', content: 'Archived in GuardDuty' } } },
          { field: 'description', old_value: { textarea: { format: 'html', content: '<div>old</div>' } }, new_value: { textarea: { format: 'text', content: 'new' } } },
          { field: 'discovered_date', old_value: { object: 1000 }, new_value: { object: 2000 } },
          { field: 'severity_code', old_value: { id: 4 }, new_value: { id: 6 } },
          { field: 'incident_type_ids', old_value: { object: [] }, new_value: { object: [{ name: 'Malware' }] } },
        ],
      })
      .query({ handle_format: 'names' })
      .reply(200, ok);
    const { client, calls } = harness();

    await client.incidents.patchIncident(2314, [
      { field: 'aws_guardduty_count', oldValue: '1', newValue: '2' },
      { field: 'aws_guardduty_trigger_refresh', oldValue: true, newValue: false },
      { field: 'plan_status', oldValue: 'A', newValue: 'C' },
      { field: 'resolution_id', oldValue: null, newValue: 'Resolved' },
      { field: 'resolution_summary', oldValue: null, newValue: { format: 'text', content: 'Archived in GuardDuty' } },
      { field: 'description', oldValue: '<div>old</div>', newValue: { format: 'text', content: 'new' } },
      { field: 'discovered_date', oldValue: 1000, newValue: 2000 },
      { field: 'severity_code', oldValue: { id: 4 }, newValue: { id: 6 } },
      { field: 'incident_type_ids', oldValue: [], newValue: [{ name: 'Malware' }] },
    ]);

    expect(calls.at(-1)).toMatchObject({ operation: 'PATCH /incidents/{id}', ok: true, attempts: 1 });
  });

  it('after a conflict re-reads the incident, drops what is already in place, and re-patches the rest with the current version', async () => {
    const scope = soar();
    scope.patch(`${ORG}/incidents/2314`).query(true).reply(200, conflict('aws_guardduty_count', { text: '1' }, '3'));
    // A responder (or our own earlier attempt) already set the severity; the count moved to 3.
    scope.get(`${ORG}/incidents/2314`).query({ handle_format: 'names' }).reply(200, incident({
      vers: 9,
      properties: { aws_guardduty_count: '3', aws_guardduty_severity: '8.0' },
    }));
    scope
      .patch(`${ORG}/incidents/2314`, {
        version: 9,
        changes: [{ field: 'aws_guardduty_count', old_value: { text: '3' }, new_value: { text: '4' } }],
      })
      .query(true)
      .reply(200, ok);
    const { client } = harness();

    await client.incidents.patchIncident(2314, [
      { field: 'aws_guardduty_count', oldValue: '1', newValue: '4' },
      { field: 'aws_guardduty_severity', oldValue: '5.0', newValue: '8.0' },
    ]);
  });

  it('treats a 409 as a conflict, and stops without a PATCH when every change is already in place', async () => {
    const scope = soar();
    scope.patch(`${ORG}/incidents/2314`).query(true).reply(409, '');
    scope.get(`${ORG}/incidents/2314`).query(true).reply(200, incident({ plan_status: 'C', resolution_id: 'Resolved' }));
    const { client } = harness();

    await client.incidents.patchIncident(2314, [
      { field: 'plan_status', oldValue: 'A', newValue: 'C' },
      { field: 'resolution_id', oldValue: null, newValue: 'Resolved' },
    ]);
  });

  it('compares rich text by its text when deciding what is in place', async () => {
    const scope = soar();
    scope.patch(`${ORG}/incidents/2314`).query(true).reply(200, conflict('resolution_summary', null, 'x'));
    scope.get(`${ORG}/incidents/2314`).query(true).reply(200, incident({ resolution_summary: '<div class="rte"><div>Archived &amp; closed</div></div>' }));
    const { client } = harness();

    await client.incidents.patchIncident(2314, [{ field: 'resolution_summary', oldValue: null, newValue: { format: 'text', content: 'Archived & closed' } }]);
  });

  it('gives up with a non-retryable conflict error after 3 re-reads', async () => {
    const scope = soar();
    scope.patch(`${ORG}/incidents/2314`).query(true).times(4).reply(200, conflict('aws_guardduty_count', { text: '1' }, '3'));
    scope.get(`${ORG}/incidents/2314`).query(true).times(3).reply(200, incident({ properties: { aws_guardduty_count: '3' } }));
    const { client } = harness();

    const err = await client.incidents.patchIncident(2314, [{ field: 'aws_guardduty_count', oldValue: '1', newValue: '4' }]).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(err).toBeInstanceOf(ExternalServiceError);
    expect(err).toMatchObject({ operation: 'PATCH /incidents/{id}', code: 'CONFLICT', retryable: false });
    expect((err as Error).message).toContain('aws_guardduty_count');
  });

  it('sends nothing for an empty change list', async () => {
    expectSession(http.origin(BASE));
    await harness().client.incidents.patchIncident(2314, []);
  });
});
