import { ExternalServiceError, errorMessage } from '../../errors.js';
import { FUNCTION, INPUT, type FunctionName } from '../definitions.js';
import { FunctionInputError, type FunctionHandler, type FunctionInputs, type FunctionOutcome } from '../function-types.js';
import { detectorInput, optionalText, tagsInput, type DetectorTarget } from '../inputs.js';
import type { PreparedFunctionDeps } from '../function-deps.js';

/**
 * Tags of GuardDuty resources (the 2019 tagging API): list, tag and untag a detector, IPSet,
 * ThreatIntelSet or filter. The resource is given by ARN (`aws_gd_resource_arn`; empty: the detector
 * itself) and must be in the detector's account and region, whose credentials make the call.
 */
export function tagHandlers(deps: PreparedFunctionDeps): [FunctionName, FunctionHandler][] {
  const on = (body: (inputs: FunctionInputs, t: DetectorTarget, arn: string) => Promise<unknown>): FunctionHandler => async (call) => {
    const target = await detectorInput(await deps(), call.inputs);
    const arn = arnInput(call.inputs, target);
    return awsOutcome(() => body(call.inputs, target, arn));
  };
  return [
    [FUNCTION.listTags, on(async (_, t, arn) => ({ resource_arn: arn, tags: await t.source.listTags(t.region, arn) }))],
    [FUNCTION.tagResource, on(async (inputs, t, arn) => {
      const tags = tagsInput(inputs);
      if (!tags) throw new FunctionInputError(INPUT.tags, 'tags as "Key: Value, Key2: Value2"');
      await t.source.tagResource(t.region, arn, tags);
      return { status: 'ok', resource_arn: arn, tags };
    })],
    [FUNCTION.untagResource, on(async (inputs, t, arn) => {
      const keys = [...new Set((optionalText(inputs, INPUT.tagKeys) ?? '').split(',').map((k) => k.trim()).filter((k) => k !== ''))];
      if (keys.length === 0) throw new FunctionInputError(INPUT.tagKeys, 'tag keys separated by commas');
      await t.source.untagResource(t.region, arn, keys);
      return { status: 'ok', resource_arn: arn, removed: keys };
    })],
  ];
}

const RESOURCE = /^arn:aws[a-z-]*:guardduty:([a-z0-9-]+):(\d{12}):detector\/([0-9a-z]+)(\/(ipset|threatintelset|filter)\/[A-Za-z0-9_.-]+)?$/;

function arnInput(inputs: FunctionInputs, t: DetectorTarget): string {
  const given = optionalText(inputs, INPUT.resourceArn);
  if (given === undefined) return `arn:aws:guardduty:${t.region}:${t.account}:detector/${t.detectorId}`;
  const m = RESOURCE.exec(given);
  if (!m || m[1] !== t.region || m[2] !== t.account || m[3] !== t.detectorId) {
    throw new FunctionInputError(INPUT.resourceArn, `the ARN of detector ${t.detectorId} (account ${t.account}, ${t.region}) or of one of its IPSets, ThreatIntelSets or filters`, given);
  }
  return given;
}

async function awsOutcome(run: () => Promise<unknown>): Promise<FunctionOutcome> {
  try {
    return { success: true, reason: null, content: await run() };
  } catch (err) {
    if (!(err instanceof ExternalServiceError)) throw err;
    return { success: false, reason: errorMessage(err), content: {} };
  }
}
