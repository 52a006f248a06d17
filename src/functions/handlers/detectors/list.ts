import { FUNCTION, defineFunction } from '../../function-definition.js';
import { INPUT } from '../../function-inputs.js';
import type { FunctionModule } from '../../function-module.js';
import { FunctionInputError } from '../../function-types.js';
import { requiredText } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * `aws_guardduty_list_detectors`: the detectors in one region, asked of GuardDuty with every
 * credential set the daemon holds (one per account in role-per-account mode), each with the
 * account it belongs to, so a playbook can find the detector id of an account.
 */
export const listDetectors: FunctionModule = {
  definition: defineFunction(
    FUNCTION.listDetectors, 'AWS GuardDuty: List detectors',
    'Lists the GuardDuty detectors of a region, with the account of each, in every account guardduty-soar reads.',
    [INPUT.region],
  ),
  handler: (deps) => async (call) => {
    const region = requiredText(call.inputs, INPUT.region, 'an AWS region, e.g. eu-west-1');
    if (!REGION.test(region)) throw new FunctionInputError(INPUT.region, 'an AWS region, e.g. eu-west-1', region);
    const { sources } = await deps();
    return awsOutcome(async () => {
      const detectors: { account: string; detector_id: string }[] = [];
      for (const [account, source] of sources) {
        for (const id of await source.listDetectors(region)) detectors.push({ account, detector_id: id });
      }
      return { region, detectors };
    });
  },
};
