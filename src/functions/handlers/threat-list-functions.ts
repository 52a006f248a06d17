import { createHash } from 'node:crypto';
import { ExternalServiceError, errorMessage } from '../../errors.js';
import type { ListKind, ResponseMeta } from '../../regions/threat-lists.js';
import { FUNCTION, INPUT, type FunctionName, type InputName } from '../definitions.js';
import { FunctionInputError, type FunctionCall, type FunctionHandler, type FunctionOutcome } from '../function-types.js';
import {
  bucketOwnerInput, detectorInput, formatInput, listNameInput, locationInput, optionalBoolean, optionalInteger, optionalText,
  requiredBoolean, requiredText, tagsInput, type DetectorTarget,
} from '../inputs.js';
import type { PreparedFunctionDeps } from '../function-deps.js';

/**
 * IBM's ten IPSet and ThreatIntelSet functions (create, get, list, update, delete of each), built
 * once for both kinds. Each acts on the detector and region given, with the credentials of the
 * account that owns that detector. Results keep IBM's content shapes, which echo boto3's response
 * (with `ResponseMetadata`); an AWS failure is IBM's `success: false` with the error as the reason.
 */

interface KindNames {
  /** The id input (`aws_gd_ip_set_id` / `aws_gd_threat_intel_set_id`). */
  idInput: InputName;
  /** The id member of CreateIPSet's / CreateThreatIntelSet's response. */
  idMember: 'IpSetId' | 'ThreatIntelSetId';
  /** What the id input must hold, for the error that names it. */
  idExpected: string;
  /** Whether IBM's create and update take `aws_gd_bucket_owner` (only the IPSet ones do). */
  bucketOwner: boolean;
  functions: Record<'create' | 'get' | 'list' | 'update' | 'delete', FunctionName>;
}

const KINDS: Record<ListKind, KindNames> = {
  ipset: {
    idInput: INPUT.ipSetId, idMember: 'IpSetId', bucketOwner: true, idExpected: 'the id of a GuardDuty IPSet (as Create IPSet or List IPSets answers it)',
    functions: { create: FUNCTION.createIpSet, get: FUNCTION.getIpSet, list: FUNCTION.listIpSet, update: FUNCTION.updateIpSet, delete: FUNCTION.deleteIpSet },
  },
  threatintelset: {
    idInput: INPUT.threatIntelSetId, idMember: 'ThreatIntelSetId', bucketOwner: false,
    idExpected: 'the id of a GuardDuty ThreatIntelSet (as Create ThreatIntelSet or List ThreatIntelSets answers it)',
    functions: {
      create: FUNCTION.createThreatIntelSet, get: FUNCTION.getThreatIntelSet, list: FUNCTION.listThreatIntelSet,
      update: FUNCTION.updateThreatIntelSet, delete: FUNCTION.deleteThreatIntelSet,
    },
  },
};

/** Stops a listing whose pages never end (a repeated nextToken), as the daemon's other listings do. */
const MAX_PAGES = 1_000;

/** The ten handlers by API name. */
export function threatListHandlers(deps: PreparedFunctionDeps): [FunctionName, FunctionHandler][] {
  return (Object.keys(KINDS) as ListKind[]).flatMap((kind) => {
    const names = KINDS[kind];
    const on = (body: (call: FunctionCall, target: DetectorTarget) => Promise<FunctionOutcome>): FunctionHandler => async (call) => {
      const target = await detectorInput(await deps(), call.inputs);
      return body(call, target);
    };
    return [
      [names.functions.create, on((call, t) => create(kind, names, call, t))],
      [names.functions.get, on((call, t) => get(kind, names, call, t))],
      [names.functions.list, on((call, t) => list(kind, call, t))],
      [names.functions.update, on((call, t) => update(kind, names, call, t))],
      [names.functions.delete, on((call, t) => remove(kind, names, call, t))],
    ] as [FunctionName, FunctionHandler][];
  });
}

async function create(kind: ListKind, names: KindNames, call: FunctionCall, t: DetectorTarget): Promise<FunctionOutcome> {
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
  return awsResult(async () => {
    const { id, meta } = await t.source.createList(t.region, t.detectorId, kind, spec);
    return { ResponseMetadata: responseMetadata(meta), [names.idMember]: id, status: 'ok' };
  });
}

async function get(kind: ListKind, names: KindNames, call: FunctionCall, t: DetectorTarget): Promise<FunctionOutcome> {
  const id = requiredText(call.inputs, names.idInput, names.idExpected);
  return awsResult(async () => {
    const { list } = await t.source.getList(t.region, t.detectorId, kind, id);
    return { Name: list.name, Format: list.format, Location: list.location, Tags: list.tags, Status: list.status };
  });
}

/** Every id from `aws_gd_next_token` on (IBM's client gathers all pages), `aws_gd_max_results` per page. */
async function list(kind: ListKind, call: FunctionCall, t: DetectorTarget): Promise<FunctionOutcome> {
  const maxResults = optionalInteger(call.inputs, INPUT.maxResults, 1, 50);
  let nextToken = optionalText(call.inputs, INPUT.nextToken);
  return awsResult(async () => {
    const ids: string[] = [];
    const seen = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await t.source.listLists(t.region, t.detectorId, kind, { ...(maxResults ? { maxResults } : {}), ...(nextToken ? { nextToken } : {}) });
      ids.push(...answer.ids);
      if (!answer.nextToken || seen.has(answer.nextToken)) break;
      seen.add(answer.nextToken);
      nextToken = answer.nextToken;
    }
    return ids;
  });
}

async function update(kind: ListKind, names: KindNames, call: FunctionCall, t: DetectorTarget): Promise<FunctionOutcome> {
  const { inputs } = call;
  const id = requiredText(inputs, names.idInput, names.idExpected);
  const changes = {
    name: listNameInput(inputs, INPUT.newName, false),
    location: locationInput(inputs, INPUT.newLocation, false),
    activate: optionalBoolean(inputs, INPUT.newActivate),
    expectedBucketOwner: names.bucketOwner ? bucketOwnerInput(inputs) : undefined,
  };
  return awsResult(async () => {
    const { meta } = await t.source.updateList(t.region, t.detectorId, kind, id, changes);
    return { ResponseMetadata: responseMetadata(meta), status: 'ok' };
  });
}

async function remove(kind: ListKind, names: KindNames, call: FunctionCall, t: DetectorTarget): Promise<FunctionOutcome> {
  const id = requiredText(call.inputs, names.idInput, names.idExpected);
  return awsResult(async () => {
    const { meta } = await t.source.deleteList(t.region, t.detectorId, kind, id);
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

/** IBM's functions answer any AWS failure with `success: false`, the error as the reason, and `{}`. */
async function awsResult(run: () => Promise<unknown>): Promise<FunctionOutcome> {
  try {
    return { success: true, reason: null, content: await run() };
  } catch (err) {
    if (!(err instanceof ExternalServiceError)) throw err;
    return { success: false, reason: errorMessage(err), content: {} };
  }
}
