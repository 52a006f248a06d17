import { ExternalServiceError, errorMessage } from '../../errors.js';
import type { FunctionHandler } from '../function-types.js';
import { detectorInput } from '../inputs.js';
import type { PreparedFunctionDeps } from '../function-deps.js';

/**
 * `aws_guardduty_get_detector`: the detector's settings as GuardDuty answers GetDetector (status,
 * finding publishing frequency, features, data sources, tags), plus the account that owns it, for
 * a playbook that checks a detector is enabled before relying on it.
 */
export function getDetectorHandler(deps: PreparedFunctionDeps): FunctionHandler {
  return async (call) => {
    const target = await detectorInput(await deps(), call.inputs);
    try {
      const detector = await target.source.getDetector(target.region, target.detectorId);
      return { success: true, reason: null, content: { ...detector, DetectorId: target.detectorId, AccountId: target.account } };
    } catch (err) {
      if (!(err instanceof ExternalServiceError)) throw err;
      return { success: false, reason: errorMessage(err), content: {} };
    }
  };
}
