import { afterEach, describe, expect, it } from 'vitest';
import { FUNCTION } from '../../../src/functions/definitions.js';
import { FunctionInputError, type FunctionInputs } from '../../../src/functions/function-types.js';
import { guardDutyCalls } from '../../helpers/sync-helpers.js';
import { startHandlerWorld, type HandlerWorld } from './handler-world.js';

let w: HandlerWorld;
afterEach(async () => {
  await w?.close();
});

/** The two kinds, with IBM's function names, id input and id member. */
const KINDS = [
  {
    kind: 'ipset' as const, label: 'IPSet', idInput: 'aws_gd_ip_set_id', idMember: 'IpSetId',
    create: FUNCTION.createIpSet, get: FUNCTION.getIpSet, list: FUNCTION.listIpSet, update: FUNCTION.updateIpSet, remove: FUNCTION.deleteIpSet,
  },
  {
    kind: 'threatintelset' as const, label: 'ThreatIntelSet', idInput: 'aws_gd_threat_intel_set_id', idMember: 'ThreatIntelSetId',
    create: FUNCTION.createThreatIntelSet, get: FUNCTION.getThreatIntelSet, list: FUNCTION.listThreatIntelSet,
    update: FUNCTION.updateThreatIntelSet, remove: FUNCTION.deleteThreatIntelSet,
  },
];

const RESPONSE_METADATA = {
  RequestId: expect.any(String), HTTPStatusCode: 200, HTTPHeaders: expect.objectContaining({ 'content-type': expect.stringContaining('json') }), RetryAttempts: 0,
};

function createInputs(extra: FunctionInputs = {}, at = w.at('us-east-1')): FunctionInputs {
  return {
    ...at, aws_gd_format: 'TXT', aws_gd_name: 'Blocked hosts - SOC_1', aws_gd_activate: true,
    aws_gd_location: 's3://soc-lists/blocked.txt', aws_gd_tags: 'Owner: secops, Env: prod', ...extra,
  };
}

describe.each(KINDS)('the $label functions', (k) => {
  it('create, get, list, update and delete, with IBM\'s content shapes', async () => {
    w = await startHandlerWorld();
    const created = await w.invoke(k.create, createInputs());
    expect(created).toEqual({ success: true, reason: null, content: { ResponseMetadata: RESPONSE_METADATA, [k.idMember]: expect.stringMatching(/^[0-9a-f]{32}$/), status: 'ok' } });
    const id = (created.content as Record<string, string>)[k.idMember];
    expect(w.h.aws.threatLists({ kind: k.kind })).toEqual([
      expect.objectContaining({ id, name: 'Blocked hosts - SOC_1', format: 'TXT', location: 's3://soc-lists/blocked.txt', activate: true, tags: { Owner: 'secops', Env: 'prod' } }),
    ]);

    const got = await w.invoke(k.get, { ...w.at(), [k.idInput]: id });
    expect(got.content).toEqual({ Name: 'Blocked hosts - SOC_1', Format: 'TXT', Location: 's3://soc-lists/blocked.txt', Tags: { Owner: 'secops', Env: 'prod' }, Status: 'ACTIVE' });
    expect((await w.invoke(k.list, w.at())).content).toEqual([id]);

    const updated = await w.invoke(k.update, {
      ...w.at(), [k.idInput]: id, aws_gd_new_name: 'Blocked hosts v2', aws_gd_new_location: 'https://soc-lists.s3.us-east-1.amazonaws.com/v2.txt', aws_gd_new_activate: 'false',
    });
    expect(updated.content).toEqual({ ResponseMetadata: RESPONSE_METADATA, status: 'ok' });
    expect((await w.invoke(k.get, { ...w.at(), [k.idInput]: id })).content).toMatchObject({
      Name: 'Blocked hosts v2', Location: 'https://soc-lists.s3.us-east-1.amazonaws.com/v2.txt', Status: 'INACTIVE',
    });

    expect((await w.invoke(k.remove, { ...w.at(), [k.idInput]: id })).content).toEqual({ ResponseMetadata: RESPONSE_METADATA, status: 'ok' });
    expect((await w.invoke(k.list, w.at())).content).toEqual([]);
  });

  it('a create redelivered with the same message-id creates one list; a new invocation is a new create', async () => {
    w = await startHandlerWorld();
    const idOf = (outcome: { content: unknown }): string | undefined => (outcome.content as Record<string, string>)[k.idMember];
    const first = await w.invoke(k.create, createInputs(), 'ID:broker-1:7:1:1');
    const again = await w.invoke(k.create, createInputs(), 'ID:broker-1:7:1:1');
    expect(again.success).toBe(true);
    expect(idOf(again)).toBe(idOf(first));
    expect(w.h.aws.threatLists({ kind: k.kind })).toHaveLength(1);
    expect(guardDutyCalls(w.h, `Create${k.label}`)).toBe(2);
    await w.invoke(k.remove, { ...w.at(), [k.idInput]: idOf(first) as string });
    // A responder's own token wins over the message-id.
    const own = await w.invoke(k.create, createInputs({ aws_gd_client_token: 'ticket-4711' }), 'ID:broker-1:8:1:1');
    const ownAgain = await w.invoke(k.create, createInputs({ aws_gd_client_token: 'ticket-4711' }), 'ID:broker-1:9:1:1');
    expect(idOf(ownAgain)).toBe(idOf(own));
    expect(w.h.aws.threatLists({ kind: k.kind })).toHaveLength(1);
  });

  it('an AWS refusal is a failed result with the reason and {} (IBM\'s shape)', async () => {
    w = await startHandlerWorld();
    const outcome = await w.invoke(k.get, { ...w.at(), [k.idInput]: '0123456789abcdef0123456789abcdef' });
    expect(outcome).toEqual({ success: false, reason: expect.stringMatching(/not owned by the current account/), content: {} });
  });
});

describe('ResponseMetadata', () => {
  it('counts the SDK\'s retries, as boto3\'s RetryAttempts does, and a create the SDK retried makes one list', async () => {
    w = await startHandlerWorld();
    w.h.aws.setFault({ service: 'guardduty', operation: 'CreateThreatIntelSet', failNext: 1, statuses: [503], mode: 'after' });
    // The first attempt takes effect, then fails: the SDK's retry carries the same ClientToken.
    const created = await w.invoke(FUNCTION.createThreatIntelSet, createInputs());
    expect(created.content).toMatchObject({ ResponseMetadata: { HTTPStatusCode: 200, RetryAttempts: 1 }, status: 'ok' });
    expect(guardDutyCalls(w.h, 'CreateThreatIntelSet')).toBe(2);
    expect(w.h.aws.threatLists({ kind: 'threatintelset' })).toHaveLength(1);
  });
});

describe('IBM\'s checks only (issue 22): a missing required input is refused, the rest goes to AWS', () => {
  it('refuses a missing required input before any AWS call, naming it', async () => {
    w = await startHandlerWorld();
    w.h.aws.resetCalls();
    const cases: [string, FunctionInputs, string][] = [
      [FUNCTION.createIpSet, createInputs({ aws_gd_format: null }), 'aws_gd_format'],
      [FUNCTION.createIpSet, createInputs({ aws_gd_name: '' }), 'aws_gd_name'],
      [FUNCTION.createThreatIntelSet, createInputs({ aws_gd_activate: null }), 'aws_gd_activate'],
      [FUNCTION.createThreatIntelSet, createInputs({ aws_gd_location: undefined as never }), 'aws_gd_location'],
      [FUNCTION.listThreatIntelSet, { ...w.at(), aws_gd_detector_id: '' }, 'aws_gd_detector_id'],
      [FUNCTION.listIpSet, { aws_gd_detector_id: w.at().aws_gd_detector_id }, 'aws_gd_region'],
      [FUNCTION.getIpSet, w.at(), 'aws_gd_ip_set_id'],
      [FUNCTION.updateIpSet, w.at(), 'aws_gd_ip_set_id'],
      [FUNCTION.deleteThreatIntelSet, w.at(), 'aws_gd_threat_intel_set_id'],
    ];
    for (const [fn, inputs, input] of cases) {
      const error = await w.invoke(fn, inputs).then(() => undefined, (e: unknown) => e);
      expect(error, `${fn} ${input}`).toBeInstanceOf(FunctionInputError);
      expect((error as FunctionInputError).input, fn).toBe(input);
    }
    // false and 0 are set values, as resilient-lib's validate_fields counts them.
    expect((await w.invoke(FUNCTION.createThreatIntelSet, createInputs({ aws_gd_activate: false }))).success).toBe(true);
    expect(Object.keys(w.h.aws.calls().counts).filter((op) => /IPSet|ThreatIntelSet/.test(op))).toEqual(['guardduty:CreateThreatIntelSet']);
  });

  it('create and update: what AWS refuses is success with {status: "error", msg} (IBM\'s post), botocore\'s own checks a failure', async () => {
    w = await startHandlerWorld();
    const refused = (operation: string, detail: string): unknown => ({
      success: true, reason: null,
      content: { status: 'error', msg: expect.stringMatching(new RegExp(`^An error occurred \\(BadRequestException\\) when calling the ${operation} operation: The request is rejected because ${detail}`)) },
    });
    const cases: [string, FunctionInputs, unknown][] = [
      [FUNCTION.createIpSet, createInputs({ aws_gd_location: 'https://example.com/blocked.txt' }), refused('CreateIPSet', 'the parameter location has an invalid value')],
      [FUNCTION.createThreatIntelSet, createInputs({ aws_gd_format: 'CSV' }), refused('CreateThreatIntelSet', 'the parameter format has an invalid value')],
      [FUNCTION.createIpSet, createInputs({ aws_gd_name: '<script>alert(1)</script>' }), refused('CreateIPSet', 'the parameter name has an invalid value')],
      [FUNCTION.createIpSet, createInputs({ aws_gd_tags: 'aws:owner: me' }), refused('CreateIPSet', 'the parameter tags has an invalid value')],
      [FUNCTION.createIpSet, createInputs({ aws_gd_client_token: 'x'.repeat(65) }), refused('CreateIPSet', 'the parameter clientToken has an invalid value')],
      [FUNCTION.createIpSet, createInputs({ aws_gd_bucket_owner: '1234567890123' }), refused('CreateIPSet', 'the parameter expectedBucketOwner has an invalid value')],
      [FUNCTION.createThreatIntelSet, createInputs({ aws_gd_detector_id: 'deadbeef' }), refused('CreateThreatIntelSet', 'the input detectorId is not owned by the current account')],
      [FUNCTION.createThreatIntelSet, createInputs({ aws_gd_region: 'ap-south-1' }), refused('CreateThreatIntelSet', 'the input detectorId is not owned by the current account')],
      [FUNCTION.updateIpSet, { ...w.at(), aws_gd_ip_set_id: 'f'.repeat(32), aws_gd_new_name: 'x' }, refused('UpdateIPSet', `the input ipSetId ${'f'.repeat(32)} is not owned`)],
      [FUNCTION.deleteThreatIntelSet, { ...w.at(), aws_gd_threat_intel_set_id: 'f'.repeat(32) }, refused('DeleteThreatIntelSet', `the input threatIntelSetId ${'f'.repeat(32)} is not owned`)],
      [FUNCTION.createIpSet, createInputs({ aws_gd_activate: 'yes' }), {
        success: false, content: {}, reason: "Parameter validation failed:\nInvalid type for parameter Activate, value: yes, type: <class 'str'>, valid types: <class 'bool'>",
      }],
      [FUNCTION.createIpSet, createInputs({ aws_gd_tags: 'Owner secops' }), { success: false, content: {}, reason: 'Parameter validation failed:\nInvalid length for parameter Tags, value: 0, valid min length: 1' }],
      [FUNCTION.createIpSet, createInputs({ aws_gd_bucket_owner: '1234' }), { success: false, content: {}, reason: 'Parameter validation failed:\nInvalid length for parameter ExpectedBucketOwner, value: 4, valid min length: 12' }],
    ];
    for (const [fn, inputs, expected] of cases) expect(await w.invoke(fn, inputs), `${fn} ${JSON.stringify(inputs)}`).toEqual(expected);
    expect(w.h.aws.threatLists()).toEqual([]);
  });

  it('get and list: what AWS refuses is success false with botocore\'s text and {} (IBM\'s get); max results unclamped', async () => {
    w = await startHandlerWorld();
    const failed = (operation: string, detail: string): unknown => ({
      success: false, content: {},
      reason: expect.stringMatching(new RegExp(`^An error occurred \\(BadRequestException\\) when calling the ${operation} operation: The request is rejected because ${detail}`)),
    });
    const cases: [string, FunctionInputs, unknown][] = [
      [FUNCTION.listThreatIntelSet, { ...w.at(), aws_gd_detector_id: 'deadbeef', aws_gd_max_results: 100 }, failed('ListThreatIntelSets', 'the input detectorId is not owned')],
      [FUNCTION.listIpSet, { ...w.at(), aws_gd_max_results: 100 }, failed('ListIPSets', 'the parameter maxResults has an invalid value')],
      [FUNCTION.listIpSet, { ...w.at(), aws_gd_max_results: 51 }, failed('ListIPSets', 'the parameter maxResults has an invalid value')],
      [FUNCTION.getIpSet, { ...w.at(), aws_gd_ip_set_id: 'f'.repeat(32) }, failed('GetIPSet', `the input ipSetId ${'f'.repeat(32)} is not owned`)],
      [FUNCTION.listIpSet, { ...w.at(), aws_gd_max_results: 0 }, { success: false, content: {}, reason: 'Parameter validation failed:\nInvalid value for parameter MaxResults, value: 0, valid min value: 1' }],
    ];
    for (const [fn, inputs, expected] of cases) expect(await w.invoke(fn, inputs), `${fn} ${JSON.stringify(inputs)}`).toEqual(expected);
    expect(guardDutyCalls(w.h, 'ListIPSets')).toBe(2);
    // 50 is GuardDuty's maximum page, and is sent as given.
    expect(await w.invoke(FUNCTION.listIpSet, { ...w.at(), aws_gd_max_results: 50 })).toEqual({ success: true, reason: null, content: [] });
  });

  it('get_ipset carries ExpectedBucketOwner when AWS returns it', async () => {
    w = await startHandlerWorld();
    const created = await w.invoke(FUNCTION.createIpSet, createInputs({ aws_gd_bucket_owner: '123456789012' }));
    const id = (created.content as { IpSetId: string }).IpSetId;
    const got = await w.invoke(FUNCTION.getIpSet, { ...w.at(), aws_gd_ip_set_id: id });
    expect(got).toEqual({
      success: true, reason: null,
      content: { Name: 'Blocked hosts - SOC_1', Format: 'TXT', Location: 's3://soc-lists/blocked.txt', Status: expect.any(String), Tags: { Owner: 'secops', Env: 'prod' }, ExpectedBucketOwner: '123456789012' },
    });
  });
});

describe('list paging', () => {
  it('gathers every page from the token given, aws_gd_max_results per page', async () => {
    w = await startHandlerWorld();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const created = await w.invoke(FUNCTION.createThreatIntelSet, createInputs({ aws_gd_name: `list ${i}`, aws_gd_location: `s3://soc-lists/${i}.txt` }));
      ids.push((created.content as { ThreatIntelSetId: string }).ThreatIntelSetId);
    }
    w.h.aws.resetCalls();
    const listed = await w.invoke(FUNCTION.listThreatIntelSet, { ...w.at(), aws_gd_max_results: 2 });
    expect([...(listed.content as string[])].sort()).toEqual([...ids].sort());
    expect(guardDutyCalls(w.h, 'ListThreatIntelSets')).toBe(3);
  });
});

describe('role-per-account: the credentials of the account that owns the detector', () => {
  it('creates and lists in each account with that account\'s assumed role', async () => {
    const A = '222222222222';
    const B = '333333333333';
    const role = { name: 'GuardDutySoar' };
    w = await startHandlerWorld({
      aws: {
        accounts: [
          { accountId: '444444444444', accessKeys: ['AKIATOOLING000000001'], regions: [] },
          { accountId: A, regions: ['us-east-1'], roles: [role] },
          { accountId: B, regions: ['us-east-1'], roles: [role] },
        ],
      },
      config: {
        aws_gd_regions: '^us-east-1$', aws_gd_access_key_id: 'AKIATOOLING000000001',
        aws_gd_role_arns: `arn:aws:iam::${A}:role/GuardDutySoar, arn:aws:iam::${B}:role/GuardDutySoar`,
      },
    });
    await w.cycle();
    w.h.aws.resetCalls();
    const inB = await w.invoke(FUNCTION.createThreatIntelSet, createInputs({}, w.at('us-east-1', B)));
    expect(inB.success).toBe(true);
    expect(w.h.aws.threatLists({ account: B })).toHaveLength(1);
    expect(w.h.aws.threatLists({ account: A })).toEqual([]);
    expect((await w.invoke(FUNCTION.listThreatIntelSet, w.at('us-east-1', A))).content).toEqual([]);

    const calls = w.h.aws.calls().byAccessKey;
    const signers = Object.keys(calls).filter((key) => calls[key]?.['guardduty:CreateThreatIntelSet']);
    expect(signers).toEqual([expect.stringMatching(/^ASIA/)]);
    const listedBy = Object.keys(calls).filter((key) => calls[key]?.['guardduty:ListThreatIntelSets']);
    expect(listedBy).toEqual([expect.stringMatching(/^ASIA/)]);
    // Two different temporary keys: B's created, A's listed.
    expect(listedBy[0]).not.toBe(signers[0]);
  });
});
