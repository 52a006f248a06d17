import { FUNCTION, defineFunction } from '../../function-definition.js';
import { INPUT } from '../../function-inputs.js';
import type { FunctionModule } from '../../function-module.js';
import { detectorInput } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';

/**
 * `aws_guardduty_get_detector`: the detector's settings as GuardDuty answers GetDetector (status,
 * finding publishing frequency, features, data sources, tags), plus the account that owns it, for
 * a playbook that checks a detector is enabled before relying on it.
 */
export const getDetector: FunctionModule = {
  definition: defineFunction(
    FUNCTION.getDetector, 'AWS GuardDuty: Get detector',
    'Reads a GuardDuty detector: status, publishing frequency, features and data sources.',
    [INPUT.detectorId, INPUT.region],
  ),
  handler: (deps) => async (call) => {
    const target = await detectorInput(await deps(), call.inputs);
    return awsOutcome(async () => {
      const detector = await target.source.getDetector(target.region, target.detectorId);
      return { ...detector, DetectorId: target.detectorId, AccountId: target.account };
    });
  },
};
