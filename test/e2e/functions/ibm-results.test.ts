import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION } from '../../../src/functions/definitions.js';
import type { Harness } from '../../helpers/harness.js';
import { incidentOf, newFinding } from '../../helpers/sync-helpers.js';
import { at, invokeRaw, startFunctionsRun, stopFunctionsRun, type FunctionReply } from '../support/functions-run.js';

/**
 * The contract of IBM's twelve functions (issue 22): for each function and path, the results
 * payload's keys and types as IBM's fn_aws_guardduty 2.x writes them, read off the reply the SOAR
 * broker received (through STOMP, the daemon running). Written from IBM's code: the components
 * (`func_aws_guardduty_refresh_finding.py`, `func_aws_guardduty_archive_finding.py`,
 * `funct_aws_guardduty_<verb>_<kind>.py`), `lib/aws_gd_client.py` (post/delete catch a
 * BadRequestException into `{status: "error", msg}`, get re-raises) and resilient-lib's
 * `ResultPayload` (v1 for refresh and archive, v2 for the ten). A later change that drifts from it fails here.
 */

type Shape = string | Shape[] | { [key: string]: Shape };

/** A JSON value's shape: 'string', 'number', 'boolean', 'null', [element shape] or {key: shape}; `open` keys are just 'object'. */
function shape(value: unknown, open: readonly string[] = ['HTTPHeaders']): Shape {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const shapes = value.map((v) => JSON.stringify(shape(v, open)));
    return [...new Set(shapes)].map((s) => JSON.parse(s) as Shape);
  }
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, open.includes(k) ? 'object' : shape(v, open)]));
  }
  return typeof value;
}

const METRICS = { version: 'string', package: 'string', package_version: 'string', host: 'string', execution_time_ms: 'number', timestamp: 'string' };
const RESPONSE_METADATA = { RequestId: 'string', HTTPStatusCode: 'number', HTTPHeaders: 'object', RetryAttempts: 'number' };
const REJECTED = { status: 'string', msg: 'string' };

/**
 * The payload resilient-lib builds: v2 (`@app_function`: version 2.0, raw null) or v1 (`@function`
 * with `ResultPayload`: version "1.0", raw ""); `inputs` is checked apart (its keys are the invocation's).
 */
function expectPayload(reply: { reply: FunctionReply; text: string }, version: 1 | 2, expected: { success: boolean; reason: 'string' | 'null'; content: Shape }): Record<string, any> {
  expect(reply.reply).toMatchObject({ message_type: 0, message: 'Completed', complete: true });
  const results = (reply.reply as unknown as { results: Record<string, unknown> }).results;
  expect(Object.keys(results)).toEqual(['version', 'success', 'reason', 'content', 'raw', 'inputs', 'metrics']);
  const { inputs, ...rest } = results;
  expect(typeof inputs).toBe('object');
  expect(shape(rest)).toEqual({
    version: version === 2 ? 'number' : 'string', success: 'boolean', reason: expected.reason, content: expected.content,
    raw: version === 2 ? 'null' : 'string', metrics: METRICS,
  });
  expect(results.success).toBe(expected.success);
  // As Python's json.dumps writes them: the float 2.0, or resilient-lib's v1 strings.
  if (version === 2) expect(reply.text).toMatch(/"results": \{\n {4}"version": 2\.0,\n/);
  else expect(reply.text).toMatch(/"results": \{\n {4}"version": "1\.0",\n[\s\S]*\n {4}"raw": "",\n/);
  return results as Record<string, any>;
}

/** A missing required input: an error reply (message_type 1), no result, on both sides. */
function expectErrorReply(reply: { reply: FunctionReply }, input: string): void {
  expect(shape(reply.reply)).toEqual({ message_type: 'number', message: 'string', complete: 'boolean' });
  expect(reply.reply).toMatchObject({ message_type: 1, complete: true });
  expect(reply.reply.message).toContain(input);
}

let h: Harness;
let findingId = '';
let incidentId = 0;
const UNKNOWN_DETECTOR = 'feedfacefeedfacefeedfacefeedface';
const UNKNOWN_ID = 'f'.repeat(32);

beforeAll(async () => {
  ({ h } = await startFunctionsRun({
    before: async (hh) => {
      findingId = newFinding(hh, 'us-east-1', { severity: 8 }).id;
      expect((await hh.once()).code).toBe(0);
    },
  }));
  incidentId = incidentOf(h, findingId).id;
}, 60_000);
afterAll(stopFunctionsRun);

describe('func_aws_guardduty_refresh_finding (v1)', () => {
  it('found: {timestamp, region, payload, data_tables (IBM\'s six, [] when empty), finding}; severity the float 8.0', async () => {
    const raw = await invokeRaw(h, FUNCTION.refreshFinding, { ...at(h), aws_gd_finding_id: findingId, incident_id: incidentId });
    const results = expectPayload(raw, 1, { success: true, reason: 'null', content: expect.any(Object) as never });
    const content = results.content as Record<string, any>;
    expect(Object.keys(content).sort()).toEqual(['data_tables', 'finding', 'payload', 'region', 'timestamp']);
    expect(shape({ ...content.payload, artifacts: [] })).toEqual({
      name: 'string', description: { format: 'string', content: 'string' }, discovered_date: 'string', severity_code: 'string',
      properties: {
        aws_guardduty_finding_id: 'string', aws_guardduty_finding_arn: 'string', aws_guardduty_finding_type: 'string', aws_guardduty_finding_updated_at: 'string',
        aws_guardduty_region: 'string', aws_guardduty_severity: 'number', aws_guardduty_resource_type: 'string', aws_guardduty_detector_id: 'string',
        aws_guardduty_count: 'string', aws_guardduty_archived: 'string',
      },
      artifacts: [], comments: [],
    });
    expect(Array.isArray(content.payload.artifacts)).toBe(true);
    expect(shape([content.timestamp, content.region])).toEqual(['string']);
    expect(Object.keys(content.data_tables).slice(0, 6)).toEqual(['gd_finding_overview', 'gd_action_details', 'gd_resource_affected', 'gd_s3_bucket_details', 'gd_instance_details', 'gd_access_key_details']);
    expect(content.data_tables.gd_s3_bucket_details).toEqual([]);
    for (const rows of Object.values<object[]>(content.data_tables)) {
      for (const row of rows) expect(Object.keys(row)).toEqual(['cells']);
    }
    expect(shape(content.data_tables.gd_finding_overview[0].cells.severity)).toEqual({ value: 'number' });
    expect(shape(content.finding.Severity)).toBe('number');
    // The float tokens, as botocore's Double reaches IBM's payload: 8.0, never 8 or "8".
    expect(raw.text).toMatch(/"aws_guardduty_severity": 8\.0,/);
    expect(raw.text).toMatch(/"severity": \{\s*"value": 8\.0\s*\}/);
    expect(raw.text).toMatch(/"Severity": 8\.0,/);
  });

  it('a finding GuardDuty does not hold: success, {}', async () => {
    const raw = await invokeRaw(h, FUNCTION.refreshFinding, { ...at(h), aws_gd_finding_id: UNKNOWN_ID, incident_id: incidentId });
    expect(expectPayload(raw, 1, { success: true, reason: 'null', content: {} }).content).toEqual({});
  });

  it('a missing input: an error reply', async () => {
    expectErrorReply(await invokeRaw(h, FUNCTION.refreshFinding, { ...at(h), aws_gd_finding_id: findingId, incident_id: null }), 'incident_id');
  });
});

describe('func_aws_guardduty_archive_finding (v1)', () => {
  it('archived, and an id the detector does not hold (AWS answers 200): {status: "ok"}', async () => {
    for (const id of [findingId, UNKNOWN_ID]) {
      const results = expectPayload(await invokeRaw(h, FUNCTION.archiveFinding, { ...at(h), aws_gd_finding_id: id }), 1, { success: true, reason: 'null', content: { status: 'string' } });
      expect(results.content).toEqual({ status: 'ok' });
    }
  });

  it('refused by AWS (an unknown detector): success, reason null, {status: "error", msg}', async () => {
    const raw = await invokeRaw(h, FUNCTION.archiveFinding, { ...at(h), aws_gd_detector_id: UNKNOWN_DETECTOR, aws_gd_finding_id: findingId });
    const results = expectPayload(raw, 1, { success: true, reason: 'null', content: REJECTED });
    expect(results.content).toEqual({ status: 'error', msg: expect.stringMatching(/^An error occurred \(BadRequestException\) when calling the ArchiveFindings operation: /) });
  });

  it('a missing input: an error reply', async () => {
    expectErrorReply(await invokeRaw(h, FUNCTION.archiveFinding, { ...at(h), aws_gd_finding_id: '' }), 'aws_gd_finding_id');
  });
});

describe.each([
  {
    label: 'IPSet', operation: 'IPSet', idMember: 'IpSetId', idInput: 'aws_gd_ip_set_id', bucketOwner: true,
    create: FUNCTION.createIpSet, get: FUNCTION.getIpSet, list: FUNCTION.listIpSet, update: FUNCTION.updateIpSet, remove: FUNCTION.deleteIpSet,
  },
  {
    label: 'ThreatIntelSet', operation: 'ThreatIntelSet', idMember: 'ThreatIntelSetId', idInput: 'aws_gd_threat_intel_set_id', bucketOwner: false,
    create: FUNCTION.createThreatIntelSet, get: FUNCTION.getThreatIntelSet, list: FUNCTION.listThreatIntelSet,
    update: FUNCTION.updateThreatIntelSet, remove: FUNCTION.deleteThreatIntelSet,
  },
])('the $label functions (v2)', (k) => {
  let id = '';
  const create = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    ...at(h), aws_gd_format: { id: 1, name: 'TXT' }, aws_gd_name: `${k.label} list`, aws_gd_activate: true, aws_gd_location: 's3://soc-lists/list.txt',
    aws_gd_tags: 'Owner: secops', ...(k.bucketOwner ? { aws_gd_bucket_owner: '123456789012' } : {}), ...extra,
  });
  const refusedBy = (verb: string): RegExp => new RegExp(`^An error occurred \\(BadRequestException\\) when calling the ${verb}${k.operation} operation: `);

  it('create: {ResponseMetadata, <id>, status: "ok"}; a location AWS refuses: success, {status: "error", msg}; botocore\'s check: success false', async () => {
    const created = expectPayload(await invokeRaw(h, k.create, create()), 2, { success: true, reason: 'null', content: { ResponseMetadata: RESPONSE_METADATA, [k.idMember]: 'string', status: 'string' } });
    expect(created.content.status).toBe('ok');
    expect(created.inputs.aws_gd_format).toBe('TXT');
    id = created.content[k.idMember] as string;

    const refused = expectPayload(await invokeRaw(h, k.create, create({ aws_gd_location: 'https://example.com/list.txt' })), 2, { success: true, reason: 'null', content: REJECTED });
    expect(refused.content).toEqual({ status: 'error', msg: expect.stringMatching(refusedBy('Create')) });

    const invalid = expectPayload(await invokeRaw(h, k.create, create({ aws_gd_activate: 'yes' })), 2, { success: false, reason: 'string', content: {} });
    expect(invalid.reason).toMatch(/^Parameter validation failed:\nInvalid type for parameter Activate/);
    expectErrorReply(await invokeRaw(h, k.create, create({ aws_gd_location: null })), 'aws_gd_location');
  });

  it('get: the response without ResponseMetadata (ExpectedBucketOwner when AWS has it); an unknown id: success false, reason, {}', async () => {
    const got = expectPayload(await invokeRaw(h, k.get, { ...at(h), [k.idInput]: id }), 2, {
      success: true, reason: 'null',
      content: { Name: 'string', Format: 'string', Location: 'string', Status: 'string', Tags: { Owner: 'string' }, ...(k.bucketOwner ? { ExpectedBucketOwner: 'string' } : {}) },
    });
    if (k.bucketOwner) expect(got.content.ExpectedBucketOwner).toBe('123456789012');
    const unknown = expectPayload(await invokeRaw(h, k.get, { ...at(h), [k.idInput]: UNKNOWN_ID }), 2, { success: false, reason: 'string', content: {} });
    expect(unknown.reason).toMatch(refusedBy('Get'));
    expectErrorReply(await invokeRaw(h, k.get, at(h)), k.idInput);
  });

  it('list: the ids; an unknown detector with max results 100 (not clamped): success false, AWS\'s reason, {}', async () => {
    const listed = expectPayload(await invokeRaw(h, k.list, { ...at(h), aws_gd_max_results: 50, aws_gd_next_token: null }), 2, { success: true, reason: 'null', content: ['string'] });
    expect(listed.content).toEqual([id]);
    const failed = expectPayload(await invokeRaw(h, k.list, { ...at(h), aws_gd_detector_id: UNKNOWN_DETECTOR, aws_gd_max_results: 100 }), 2, { success: false, reason: 'string', content: {} });
    expect(failed.reason).toMatch(new RegExp(`^An error occurred \\(BadRequestException\\) when calling the List${k.operation}s operation: `));
    const tooMany = expectPayload(await invokeRaw(h, k.list, { ...at(h), aws_gd_max_results: 100 }), 2, { success: false, reason: 'string', content: {} });
    expect(tooMany.reason).toMatch(/maxResults has an invalid value/);
    expectErrorReply(await invokeRaw(h, k.list, { aws_gd_region: 'us-east-1' }), 'aws_gd_detector_id');
  });

  it('update: {ResponseMetadata, status: "ok"}; an unknown id: success, reason null, {status: "error", msg}', async () => {
    const updated = expectPayload(await invokeRaw(h, k.update, { ...at(h), [k.idInput]: id, aws_gd_new_activate: false }), 2, { success: true, reason: 'null', content: { ResponseMetadata: RESPONSE_METADATA, status: 'string' } });
    expect(updated.content.status).toBe('ok');
    const unknown = expectPayload(await invokeRaw(h, k.update, { ...at(h), [k.idInput]: UNKNOWN_ID, aws_gd_new_name: 'x' }), 2, { success: true, reason: 'null', content: REJECTED });
    expect(unknown.content).toEqual({ status: 'error', msg: expect.stringMatching(refusedBy('Update')) });
    expectErrorReply(await invokeRaw(h, k.update, at(h)), k.idInput);
  });

  it('delete: {ResponseMetadata, status: "ok"}; an unknown id: success, reason null, {status: "error", msg}', async () => {
    const deleted = expectPayload(await invokeRaw(h, k.remove, { ...at(h), [k.idInput]: id }), 2, { success: true, reason: 'null', content: { ResponseMetadata: RESPONSE_METADATA, status: 'string' } });
    expect(deleted.content.status).toBe('ok');
    const unknown = expectPayload(await invokeRaw(h, k.remove, { ...at(h), [k.idInput]: id }), 2, { success: true, reason: 'null', content: REJECTED });
    expect(unknown.content).toEqual({ status: 'error', msg: expect.stringMatching(refusedBy('Delete')) });
    expectErrorReply(await invokeRaw(h, k.remove, at(h)), k.idInput);
  });
});
