import { createHash } from 'node:crypto';
import type { ResponseMeta } from '../../../regions/threat-lists.js';
import type { PreparedFunctionDeps } from '../../function-deps.js';
import { INPUT } from '../../function-inputs.js';
import { FunctionInputError, type FunctionCall, type FunctionHandler, type FunctionOutcome } from '../../function-types.js';
import {
  bucketOwnerInput, detectorInput, formatInput, listNameInput, locationInput, optionalBoolean, optionalInteger, optionalText,
  requiredBoolean, requiredText, tagsInput, type DetectorTarget,
} from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';
import type { ListKindNames } from './list-kinds.js';

/**
 * IBM's ten IPSet and ThreatIntelSet functions (create, get, list, update, delete of each), written
 * once for both kinds; `ipset/` and `threatintelset/` hold one module per function. Each acts on the
 * detector and region given, with the credentials of the account that owns that detector. Results
 * keep IBM's content shapes, which echo boto3's response (with `ResponseMetadata`); an AWS failure is
 * IBM's `success: false` with the error as the reason.
 */

/** Stops a listing whose pages never end (a repeated nextToken), as the daemon's other listings do. */
const MAX_PAGES = 1_000;

/** A handler acting on the detector its inputs name. */
export function onDetector(deps: PreparedFunctionDeps, body: (call: FunctionCall, target: DetectorTarget) => Promise<FunctionOutcome>): FunctionHandler {
  return async (call) => {
    const target = await detectorInput(await deps(), call.inputs);
    return body(call, target);
  };
}

export async function createList(names: ListKindNames, call: FunctionCall, t: DetectorTarget): Promise<FunctionOutcome> {
  const { inputs } = call;
  const spec = {
    name: listNameInput(inputs, INPUT.name, true) as string,
    format: formatInput(inputs),
    location: locationInput(inputs, INPUT.location, true) as string,
    activate: requiredBoolean(inputs, INPUT.activate),
    clientToken: clientToken(call),
    tags: tagsInput(inputs),
    expectedBucketOwner: names.bucketOwner ? bucketOwnerInput(inputs) : undefined,
  };
  return awsOutcome(async () => {
    const { id, meta } = await t.source.createList(t.region, t.detectorId, names.kind, spec);
    return { ResponseMetadata: responseMetadata(meta), [names.idMember]: id, status: 'ok' };
  });
}

export async function getList(names: ListKindNames, call: FunctionCall, t: DetectorTarget): Promise<FunctionOutcome> {
  const id = requiredText(call.inputs, names.idInput, names.idExpected);
  return awsOutcome(async () => {
    const { list } = await t.source.getList(t.region, t.detectorId, names.kind, id);
    return { Name: list.name, Format: list.format, Location: list.location, Tags: list.tags, Status: list.status };
  });
}

/** Every id from `aws_gd_next_token` on (IBM's client gathers all pages), `aws_gd_max_results` per page. */
export async function listLists(names: ListKindNames, call: FunctionCall, t: DetectorTarget): Promise<FunctionOutcome> {
  const maxResults = optionalInteger(call.inputs, INPUT.maxResults, 1, 50);
  let nextToken = optionalText(call.inputs, INPUT.nextToken);
  return awsOutcome(async () => {
    const ids: string[] = [];
    const seen = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await t.source.listLists(t.region, t.detectorId, names.kind, { ...(maxResults ? { maxResults } : {}), ...(nextToken ? { nextToken } : {}) });
      ids.push(...answer.ids);
      if (!answer.nextToken || seen.has(answer.nextToken)) break;
      seen.add(answer.nextToken);
      nextToken = answer.nextToken;
    }
    return ids;
  });
}

export async function updateList(names: ListKindNames, call: FunctionCall, t: DetectorTarget): Promise<FunctionOutcome> {
  const { inputs } = call;
  const id = requiredText(inputs, names.idInput, names.idExpected);
  const changes = {
    name: listNameInput(inputs, INPUT.newName, false),
    location: locationInput(inputs, INPUT.newLocation, false),
    activate: optionalBoolean(inputs, INPUT.newActivate),
    expectedBucketOwner: names.bucketOwner ? bucketOwnerInput(inputs) : undefined,
  };
  return awsOutcome(async () => {
    const { meta } = await t.source.updateList(t.region, t.detectorId, names.kind, id, changes);
    return { ResponseMetadata: responseMetadata(meta), status: 'ok' };
  });
}

export async function deleteList(names: ListKindNames, call: FunctionCall, t: DetectorTarget): Promise<FunctionOutcome> {
  const id = requiredText(call.inputs, names.idInput, names.idExpected);
  return awsOutcome(async () => {
    const { meta } = await t.source.deleteList(t.region, t.detectorId, names.kind, id);
    return { ResponseMetadata: responseMetadata(meta), status: 'ok' };
  });
}

/**
 * The create's idempotency token: the responder's `aws_gd_client_token`, else one derived from the
 * invocation's message-id (the same on every redelivery), so a create repeated after a crash or a
 * lost reply makes no second list. GuardDuty allows 64 characters: a sha-256 in hex is exactly that.
 */
function clientToken(call: FunctionCall): string {
  const given = optionalText(call.inputs, INPUT.clientToken);
  if (given !== undefined) {
    if (given.length > 64) throw new FunctionInputError(INPUT.clientToken, 'at most 64 characters', given);
    return given;
  }
  return createHash('sha256').update(`guardduty-soar:${call.name}:${call.messageId}`).digest('hex');
}

/** boto3's `ResponseMetadata`, which IBM's results carry. */
function responseMetadata(meta: ResponseMeta): Record<string, unknown> {
  return { RequestId: meta.requestId ?? '', HTTPStatusCode: meta.httpStatusCode ?? 200, HTTPHeaders: meta.headers, RetryAttempts: Math.max(0, meta.attempts - 1) };
}
