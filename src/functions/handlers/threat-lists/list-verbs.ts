import { createHash } from 'node:crypto';
import type { ResponseMeta } from '../../../regions/threat-lists.js';
import type { PreparedFunctionDeps } from '../../function-deps.js';
import { INPUT, type InputName } from '../../function-inputs.js';
import type { FunctionCall, FunctionHandler, FunctionOutcome } from '../../function-types.js';
import { ibmDetectorTarget, ibmOptionalText, ibmRequiredText, type DetectorTarget } from '../../inputs.js';
import { ParamValidationError, ibmBoolean, ibmGetOutcome, ibmInteger, ibmMinLength, ibmPostOutcome } from '../ibm-outcome.js';
import type { ListKindNames } from './list-kinds.js';

/**
 * IBM's ten IPSet and ThreatIntelSet functions (create, get, list, update, delete of each), written
 * once for both kinds; `ipset/` and `threatintelset/` hold one module per function. They answer as
 * IBM's app answers (issue 22; docs/functions.md "Results as IBM's app"): only IBM's required inputs
 * are checked here (a missing one is an error reply); everything else goes to AWS, and AWS's answer
 * becomes IBM's result — create/update/delete as IBM's `post`/`delete` (`{..., status: "ok"}`, or a
 * rejected request as `success: true` with `{status: "error", msg}`), get/list as IBM's `get`
 * (a failure is `success: false`, the reason, `{}`). See `../ibm-outcome.ts`.
 *
 * Each acts on the detector and region given, with the credentials of the account that owns that
 * detector (any other detector: the first account's, and AWS answers).
 */

/** Stops a listing whose pages never end (a repeated nextToken), as the daemon's other listings do. */
const MAX_PAGES = 1_000;

/** IBM's `REQUIRED_FIELDS` of each verb (the detector and region are required by all five). */
type Verb = 'create' | 'get' | 'list' | 'update' | 'delete';
function requiredOf(verb: Verb, names: ListKindNames): InputName[] {
  switch (verb) {
    case 'create':
      return [INPUT.format, INPUT.name, INPUT.detectorId, INPUT.region, INPUT.activate, INPUT.location];
    case 'list':
      return [INPUT.detectorId, INPUT.region];
    default:
      return [names.idInput, INPUT.detectorId, INPUT.region];
  }
}

/** A handler of one of the ten: IBM's required inputs first (error reply), then the detector, then the verb. */
export function onIbmDetector(
  deps: PreparedFunctionDeps, verb: Verb, names: ListKindNames, body: (call: FunctionCall, target: DetectorTarget) => Promise<FunctionOutcome>,
): FunctionHandler {
  return async (call) => {
    for (const input of requiredOf(verb, names)) ibmRequiredText(call.inputs, input);
    const target = await ibmDetectorTarget(await deps(), call.inputs);
    return body(call, target);
  };
}

export function createList(names: ListKindNames, call: FunctionCall, t: DetectorTarget): Promise<FunctionOutcome> {
  const { inputs } = call;
  return ibmPostOutcome(async () => {
    const tags = ibmOptionalText(inputs, INPUT.tags);
    const bucketOwner = names.bucketOwner ? ibmOptionalText(inputs, INPUT.bucketOwner) : undefined;
    const spec = {
      name: ibmRequiredText(inputs, INPUT.name),
      format: ibmRequiredText(inputs, INPUT.format),
      location: ibmRequiredText(inputs, INPUT.location),
      activate: ibmBoolean('Activate', inputs[INPUT.activate]),
      clientToken: clientToken(call),
      ...(tags === undefined ? {} : { tags: tagMap(tags) }),
      ...(bucketOwner === undefined ? {} : { expectedBucketOwner: ibmMinLength('ExpectedBucketOwner', bucketOwner, 12) }),
    };
    const { id, meta } = await t.source.createList(t.region, t.detectorId, names.kind, spec);
    return { ResponseMetadata: responseMetadata(meta), [names.idMember]: id, status: 'ok' };
  });
}

/** GetIPSet's response without `ResponseMetadata`, as IBM's `get` answers it: `ExpectedBucketOwner` when AWS sends it. */
export function getList(names: ListKindNames, call: FunctionCall, t: DetectorTarget): Promise<FunctionOutcome> {
  const id = ibmRequiredText(call.inputs, names.idInput);
  return ibmGetOutcome(async () => {
    const { list } = await t.source.getList(t.region, t.detectorId, names.kind, id);
    return {
      Name: list.name, Format: list.format, Location: list.location, Status: list.status, Tags: list.tags,
      ...(list.expectedBucketOwner === undefined ? {} : { ExpectedBucketOwner: list.expectedBucketOwner }),
    };
  });
}

/**
 * Every id from `aws_gd_next_token` on (IBM's client gathers all pages), `aws_gd_max_results` per
 * page as given: no clamp (GuardDuty refuses more than 50, and that answer is the result).
 */
export function listLists(names: ListKindNames, call: FunctionCall, t: DetectorTarget): Promise<FunctionOutcome> {
  return ibmGetOutcome(async () => {
    const rawMax = call.inputs[INPUT.maxResults];
    const maxResults = rawMax === undefined || rawMax === null || rawMax === '' ? undefined : ibmInteger('MaxResults', rawMax, 1);
    let nextToken = ibmOptionalText(call.inputs, INPUT.nextToken);
    const ids: string[] = [];
    const seen = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await t.source.listLists(t.region, t.detectorId, names.kind, { ...(maxResults === undefined ? {} : { maxResults }), ...(nextToken ? { nextToken } : {}) });
      ids.push(...answer.ids);
      if (!answer.nextToken || seen.has(answer.nextToken)) break;
      seen.add(answer.nextToken);
      nextToken = answer.nextToken;
    }
    return ids;
  });
}

export function updateList(names: ListKindNames, call: FunctionCall, t: DetectorTarget): Promise<FunctionOutcome> {
  const { inputs } = call;
  const id = ibmRequiredText(inputs, names.idInput);
  return ibmPostOutcome(async () => {
    const activate = inputs[INPUT.newActivate];
    const bucketOwner = names.bucketOwner ? ibmOptionalText(inputs, INPUT.bucketOwner) : undefined;
    const changes = {
      name: ibmOptionalText(inputs, INPUT.newName),
      location: ibmOptionalText(inputs, INPUT.newLocation),
      activate: activate === undefined || activate === null || activate === '' ? undefined : ibmBoolean('Activate', activate),
      expectedBucketOwner: bucketOwner === undefined ? undefined : ibmMinLength('ExpectedBucketOwner', bucketOwner, 12),
    };
    const { meta } = await t.source.updateList(t.region, t.detectorId, names.kind, id, changes);
    return { ResponseMetadata: responseMetadata(meta), status: 'ok' };
  });
}

export function deleteList(names: ListKindNames, call: FunctionCall, t: DetectorTarget): Promise<FunctionOutcome> {
  const id = ibmRequiredText(call.inputs, names.idInput);
  return ibmPostOutcome(async () => {
    const { meta } = await t.source.deleteList(t.region, t.detectorId, names.kind, id);
    return { ResponseMetadata: responseMetadata(meta), status: 'ok' };
  });
}

/**
 * `aws_gd_tags` as IBM's app reads it, `"Key: Value, Key2: Value2"`: split at commas, each pair at
 * its first colon, both sides trimmed; GuardDuty judges the keys and values. No pair at all is
 * botocore's minimum of one tag.
 */
function tagMap(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    // Keys may hold colons themselves (`team:owner: secops`): the separator is the first ": ", else the first ":".
    const spaced = pair.search(/:\s/);
    const at = spaced >= 0 ? spaced : pair.indexOf(':');
    if (at < 0) continue;
    tags[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  if (Object.keys(tags).length === 0) throw new ParamValidationError(['Invalid length for parameter Tags, value: 0, valid min length: 1']);
  return tags;
}

/**
 * The create's idempotency token: the responder's `aws_gd_client_token` as given (GuardDuty judges
 * it), else one derived from the invocation's message-id (the same on every redelivery), so a create
 * repeated after a crash or a lost reply makes no second list. GuardDuty allows 64 characters: a
 * sha-256 in hex is exactly that. (boto3 would send a fresh uuid4: the same to AWS, but not to a redelivery.)
 */
function clientToken(call: FunctionCall): string {
  const given = ibmOptionalText(call.inputs, INPUT.clientToken);
  if (given !== undefined) return given;
  return createHash('sha256').update(`guardduty-soar:${call.name}:${call.messageId}`).digest('hex');
}

/** boto3's `ResponseMetadata`, which IBM's results carry. */
function responseMetadata(meta: ResponseMeta): Record<string, unknown> {
  return { RequestId: meta.requestId ?? '', HTTPStatusCode: meta.httpStatusCode ?? 200, HTTPHeaders: meta.headers, RetryAttempts: Math.max(0, meta.attempts - 1) };
}
