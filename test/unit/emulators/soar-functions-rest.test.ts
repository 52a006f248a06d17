import { afterEach, describe, expect, it } from 'vitest';
import type { SoarEmulator } from '../../../emulators/soar/index.js';
import { FUNCTIONS, FUNCTION_INPUTS, inputDefinition } from '../../../src/functions/definitions.js';
import { functionFieldObject, functionObject, functionsExportSection } from '../../../src/functions/definitions-export.js';
import { createGuardDutySchema, startEmulator, type Api } from './soar/soar-test-helpers.js';

let emu: SoarEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: Parameters<typeof startEmulator>[0] = {}): Promise<Api> {
  const started = await startEmulator(options);
  emu = started.emu;
  return started.api;
}

const refresh = FUNCTIONS[0];
const refreshInputs = FUNCTION_INPUTS.filter((f) => refresh.inputs.includes(f.name));

describe('SOAR emulator: message destinations, functions and __function fields over REST', () => {
  it('creates a destination, refuses a duplicate, and adds the API key with GET then PUT', async () => {
    const api = await start();
    expect((await api('GET', '/message_destinations')).body).toEqual({ entities: [] });
    const created = await api('POST', '/message_destinations', { programmatic_name: 'fn_aws_gd', name: 'fn_aws_gd', destination_type: 0, expect_ack: true });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ id: expect.any(Number), programmatic_name: 'fn_aws_gd', api_keys: [], users: [] });
    expect((await api('POST', '/message_destinations', { programmatic_name: 'fn_aws_gd' })).status).toBe(400);
    expect((await api('POST', '/message_destinations', { programmatic_name: 'not a name' })).status).toBe(400);

    const session = (await api('GET', '/rest/session')).body as { api_key_handle: number };
    expect(session.api_key_handle).toEqual(expect.any(Number));
    const current = (await api('GET', `/message_destinations/${created.body.id}`)).body;
    const put = await api('PUT', `/message_destinations/${created.body.id}`, { ...current, api_keys: [...current.api_keys, session.api_key_handle] });
    expect(put.body.api_keys).toEqual([String(session.api_key_handle)]);
    expect((await api('GET', '/message_destinations')).body.entities[0].api_keys).toEqual([String(session.api_key_handle)]);
    expect((await api('PUT', `/message_destinations/${created.body.id}`, { ...current, programmatic_name: 'other' })).status).toBe(400);
    expect((await api('GET', '/message_destinations/999')).status).toBe(404);
  });

  it('keeps __function fields apart from incident fields, with the uuid given', async () => {
    const api = await start();
    expect((await api('GET', '/types/__function/fields')).body).toEqual([]);
    const format = FUNCTION_INPUTS.find((f) => f.name === 'aws_gd_format')!;
    const res = await api('POST', '/types/__function/fields', functionFieldObject(format));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'aws_gd_format', input_type: 'select', uuid: format.uuid, required: 'always', prefix: null, type_id: 11, export_key: '__function/aws_gd_format' });
    expect(res.body.values.map((v: { label: string }) => v.label)).toEqual(['TXT', 'STIX', 'OTX_CSV', 'ALIEN_VAULT', 'PROOF_POINT', 'FIRE_EYE']);
    expect((await api('GET', '/types/__function/fields')).body.map((f: { name: string }) => f.name)).toEqual(['aws_gd_format']);
    expect((await api('GET', '/types/__function/fields/aws_gd_format')).body.uuid).toBe(format.uuid);
    expect((await api('GET', '/types/incident/fields')).body.map((f: { name: string }) => f.name)).not.toContain('aws_gd_format');
    expect((await api('POST', '/types/__function/fields', functionFieldObject(format))).status).toBe(400);
  });

  it('creates a function whose inputs are existing fields on an existing destination, and finds it by id or name', async () => {
    const api = await start();
    const fn = functionObject(refresh);
    // Neither the destination nor the input fields exist yet: refused, nothing stored.
    expect((await api('POST', '/functions', fn)).status).toBe(400);
    await api('POST', '/message_destinations', { programmatic_name: 'fn_aws_gd' });
    const missingFields = await api('POST', '/functions', fn);
    expect(missingFields.status).toBe(400);
    expect(missingFields.body.message).toContain('unknown function fields');
    for (const f of refreshInputs) expect((await api('POST', '/types/__function/fields', functionFieldObject(f))).status).toBe(200);
    const created = await api('POST', '/functions', fn);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: refresh.name, display_name: 'AWS GuardDuty: Refresh Finding', uuid: refresh.uuid, destination_handle: expect.any(Number) });
    expect((await api('POST', '/functions', fn)).status).toBe(400);

    // resilient-circuits finds a function's queue this way (§2.1).
    const byName = await api('GET', `/functions/${refresh.name}?handle_format=names`);
    expect(byName.body).toMatchObject({ id: created.body.id, destination_handle: 'fn_aws_gd' });
    expect(byName.body.view_items.map((v: { content: string }) => v.content)).toEqual(refresh.inputs.map((n) => inputDefinition(n).uuid));
    expect((await api('GET', `/functions/${created.body.id}`)).body.name).toBe(refresh.name);
    expect((await api('GET', '/functions?handle_format=names')).body.entities).toHaveLength(1);
    const put = await api('PUT', `/functions/${refresh.name}`, { display_name: 'Refresh (edited)' });
    expect(put.body).toMatchObject({ display_name: 'Refresh (edited)', version: 2 });
    expect((await api('GET', '/functions/nope')).status).toBe(404);
  });

  it('answers actions_framework_enabled on the org, and false when the option turns it off', async () => {
    let api = await start();
    expect((await api('GET', `/rest/orgs/${emu!.orgId}`)).body.actions_framework_enabled).toBe(true);
    await emu!.close();
    api = await start({ actionsFrameworkEnabled: false });
    expect((await api('GET', `/rest/orgs/${emu!.orgId}`)).body.actions_framework_enabled).toBe(false);
    expect((await api('GET', '/rest/session')).body.orgs[0].actions_framework_enabled).toBe(false);
  });
});

describe('SOAR emulator: the REST calls resilient-circuits makes at start', () => {
  // In the order IBM's resilient-circuits makes them (co3 get_client, Actions.__init__,
  // Actions._configure_opts, then each function component): any of the first six failing stops
  // an unmodified IBM app before it reaches STOMP.
  it('answers each one with the keys resilient-circuits reads', async () => {
    const api = await start();
    const session = await api('GET', '/rest/session');
    expect(session.body.orgs.map((o: { id: number }) => o.id)).toContain(emu!.orgId);
    expect((await api('GET', `/rest/orgs/${emu!.orgId}`)).body.actions_framework_enabled).toBe(true);
    expect((await api('GET', '/rest/const')).body.server_version.version).toEqual(expect.any(String));
    const incidentFields = await api('GET', '/types/incident/fields');
    expect(incidentFields.status).toBe(200);
    expect(incidentFields.body.every((f: { name: unknown }) => typeof f.name === 'string')).toBe(true);
    // A fresh org has no activity fields and no rules: empty lists, not 404s.
    const activity = await api('GET', '/types/actioninvocation/fields');
    expect(activity.status).toBe(200);
    expect(activity.body).toEqual([]);
    const rules = await api('GET', '/actions');
    expect(rules.status).toBe(200);
    expect(rules.body).toEqual({ entities: [] });
    expect((await api('GET', '/types/__function/fields')).body).toEqual([]);
    expect((await api('GET', '/message_destinations')).body).toEqual({ entities: [] });
  });

  it('keeps activity fields as the actioninvocation type (type_id 6, prefix properties), apart from incident fields', async () => {
    const api = await start();
    const created = await api('POST', '/types/actioninvocation/fields', { name: 'gd_reason', text: 'Reason', input_type: 'text' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: 'gd_reason', type_id: 6, prefix: 'properties', export_key: 'actioninvocation/gd_reason' });
    expect((await api('GET', '/types/actioninvocation/fields')).body.map((f: { name: string }) => f.name)).toEqual(['gd_reason']);
    expect((await api('GET', '/types/actioninvocation')).body).toMatchObject({ type_id: 6, type_name: 'actioninvocation' });
    expect((await api('GET', '/types/incident/fields')).body.map((f: { name: string }) => f.name)).not.toContain('gd_reason');
    expect((await api('POST', '/types/actioninvocation/fields', { name: 'gd_reason', input_type: 'text' })).status).toBe(400);
    expect((await api('POST', '/types', { type_name: 'actioninvocation', display_name: 'x', type_id: 8, fields: {} })).status).toBe(400);
  });

  it('lists rules as {entities} with integer ids, destinations as ids or names, and refuses an unknown destination', async () => {
    const api = await start();
    await api('POST', '/message_destinations', { programmatic_name: 'fn_aws_gd' });
    const created = await api('POST', '/actions', { name: 'Refresh GuardDuty finding', type: 1, object_type: 0, message_destinations: ['fn_aws_gd'], workflows: [] });
    expect(created.status).toBe(200);
    const listed = (await api('GET', '/actions')).body.entities;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: expect.any(Number), name: 'Refresh GuardDuty finding', type: 1, logic_type: 'all', message_destinations: [expect.any(Number)] });
    expect(Number.isInteger(listed[0].id)).toBe(true);
    expect((await api('GET', '/actions?handle_format=names')).body.entities[0].message_destinations).toEqual(['fn_aws_gd']);
    expect((await api('GET', `/actions/${listed[0].id}`)).body.name).toBe('Refresh GuardDuty finding');
    expect((await api('GET', '/actions/999')).status).toBe(404);
    expect((await api('POST', '/actions', { name: 'Refresh GuardDuty finding' })).status).toBe(400);
    expect((await api('POST', '/actions', { name: 'Other', message_destinations: ['nope'] })).status).toBe(400);
  });
});

describe('SOAR emulator: the configuration import flow', () => {
  function exportRes(): Record<string, unknown> {
    const section = functionsExportSection();
    return {
      export_format_version: 2,
      fields: [
        ...section.fields,
        { name: 'aws_guardduty_region', text: 'AWS GuardDuty Region', input_type: 'text', export_key: 'incident/aws_guardduty_region', type_id: 0, prefix: 'properties' },
        { name: 'gd_reason', text: 'Reason', input_type: 'text', export_key: 'actioninvocation/gd_reason', type_id: 6, prefix: 'properties' },
      ],
      types: [{ type_name: 'gd_finding_overview', display_name: 'Finding overview', type_id: 8, fields: { severity: { name: 'severity', text: 'Severity', input_type: 'text' } } }],
      incident_artifact_types: [{ programmatic_name: 'aws_s3_bucket_name', name: 'AWS S3 Bucket Name', desc: 'bucket' }],
      message_destinations: section.message_destinations,
      functions: section.functions,
      actions: [{ name: 'Archive GuardDuty finding', type: 1, object_type: 'incident', message_destinations: ['fn_aws_gd'], workflows: [], view_items: [], conditions: [], automations: [], logic_type: 'all', timeout_seconds: 86400, uuid: '7d4c0f0e-5c55-4d38-9f60-0d5c2b1f3a10' }],
      workflows: [], playbooks: [],
    };
  }

  it('stays PENDING until ACCEPTED, then applies fields, tables, artifact types, the destination and the functions', async () => {
    const api = await start();
    const posted = await api('POST', '/configurations/imports', exportRes());
    expect(posted.body).toMatchObject({ id: expect.any(Number), status: 'PENDING' });
    expect((await api('GET', '/functions')).body.entities).toEqual([]);

    const accepted = await api('PUT', `/configurations/imports/${posted.body.id}`, { ...posted.body, status: 'ACCEPTED' });
    expect(accepted.body.status).toBe('DONE');
    expect((await api('GET', '/functions?handle_format=names')).body.entities.map((f: { name: string }) => f.name).sort()).toEqual(FUNCTIONS.map((f) => f.name).sort());
    expect((await api('GET', '/types/__function/fields')).body).toHaveLength(FUNCTION_INPUTS.length);
    expect((await api('GET', '/message_destinations')).body.entities.map((d: { programmatic_name: string }) => d.programmatic_name)).toEqual(['fn_aws_gd']);
    expect((await api('GET', '/types/incident/fields/aws_guardduty_region')).status).toBe(200);
    expect((await api('GET', '/types/gd_finding_overview')).body.fields.severity).toBeDefined();
    expect((await api('GET', '/artifact_types')).body.entities.map((t: { programmatic_name: string }) => t.programmatic_name)).toContain('aws_s3_bucket_name');
    expect((await api('GET', '/types/actioninvocation/fields')).body.map((f: { name: string }) => f.name)).toEqual(['gd_reason']);
    expect((await api('GET', '/actions?handle_format=names')).body.entities).toEqual([
      expect.objectContaining({ name: 'Archive GuardDuty finding', uuid: '7d4c0f0e-5c55-4d38-9f60-0d5c2b1f3a10', message_destinations: ['fn_aws_gd'] }),
    ]);
    // Confirming twice is refused; a second import of the same file changes nothing and says so.
    expect((await api('PUT', `/configurations/imports/${posted.body.id}`, { status: 'ACCEPTED' })).status).toBe(400);
    const again = await api('POST', '/configurations/imports', exportRes());
    const second = await api('PUT', `/configurations/imports/${again.body.id}`, { ...again.body, status: 'ACCEPTED' });
    expect(second.body.status).toBe('DONE');
    expect(second.body.messages.every((m: { type: string }) => m.type === 'warning')).toBe(true);
    expect((await api('GET', '/functions')).body.entities).toHaveLength(FUNCTIONS.length);
  });

  it('a REJECTED import applies nothing', async () => {
    const api = await start();
    await createGuardDutySchema(api);
    const posted = await api('POST', '/configurations/imports', exportRes());
    expect((await api('PUT', `/configurations/imports/${posted.body.id}`, { ...posted.body, status: 'REJECTED' })).body.status).toBe('REJECTED');
    expect((await api('GET', '/functions')).body.entities).toEqual([]);
    expect((await api('GET', '/message_destinations')).body.entities).toEqual([]);
    expect((await api('GET', '/actions')).body.entities).toEqual([]);
    expect((await api('PUT', '/configurations/imports/999', { status: 'ACCEPTED' })).status).toBe(404);
  });
});
