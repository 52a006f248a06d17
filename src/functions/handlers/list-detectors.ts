import { ExternalServiceError, errorMessage } from '../../errors.js';
import { INPUT } from '../definitions.js';
import { FunctionInputError, type FunctionHandler } from '../function-types.js';
import { requiredText } from '../inputs.js';
import type { PreparedFunctionDeps } from '../function-deps.js';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * `aws_guardduty_list_detectors`: the detectors in one region, asked of GuardDuty with every
 * credential set the daemon holds (one per account in role-per-account mode), each with the
 * account it belongs to, so a playbook can find the detector id of an account.
 */
export function listDetectorsHandler(deps: PreparedFunctionDeps): FunctionHandler {
  return async (call) => {
    const region = requiredText(call.inputs, INPUT.region, 'an AWS region, e.g. eu-west-1');
    if (!REGION.test(region)) throw new FunctionInputError(INPUT.region, 'an AWS region, e.g. eu-west-1', region);
    const { sources } = await deps();
    try {
      const detectors: { account: string; detector_id: string }[] = [];
      for (const [account, source] of sources) {
        for (const id of await source.listDetectors(region)) detectors.push({ account, detector_id: id });
      }
      return { success: true, reason: null, content: { region, detectors } };
    } catch (err) {
      if (!(err instanceof ExternalServiceError)) throw err;
      return { success: false, reason: errorMessage(err), content: {} };
    }
  };
}
