import type { PreparedFunctionDeps } from '../../function-deps.js';
import { INPUT } from '../../function-inputs.js';
import { FunctionInputError, type FunctionHandler, type FunctionInputs } from '../../function-types.js';
import { detectorInput, optionalText, type DetectorTarget } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';

/**
 * Tags of GuardDuty resources (the 2019 tagging API): list, tag and untag a detector, IPSet,
 * ThreatIntelSet or filter. The resource is given by ARN (`aws_gd_resource_arn`; empty: the detector
 * itself) and must be in the detector's account and region, whose credentials make the call.
 */
export function onTaggedResource(
  deps: PreparedFunctionDeps, body: (inputs: FunctionInputs, t: DetectorTarget, arn: string) => Promise<unknown>,
): FunctionHandler {
  return async (call) => {
    const target = await detectorInput(await deps(), call.inputs);
    const arn = arnInput(call.inputs, target);
    return awsOutcome(() => body(call.inputs, target, arn));
  };
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
