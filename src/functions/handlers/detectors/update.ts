import type { DetectorUpdate } from '../../../regions/findings-source.js';
import { FUNCTION, defineFunction } from '../../function-definition.js';
import { INPUT, PUBLISHING_FREQUENCIES } from '../../function-inputs.js';
import type { FunctionModule } from '../../function-module.js';
import { FunctionInputError, type FunctionInputs } from '../../function-types.js';
import { detectorInput, optionalBoolean, optionalText } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';

/**
 * `aws_guardduty_update_detector`: enable or suspend a detector, change how often it publishes
 * updated findings, or turn features on and off. Only what is given changes; nothing given is an
 * error reply rather than a call that does nothing.
 */
export const updateDetector: FunctionModule = {
  definition: defineFunction(
    FUNCTION.updateDetector, 'AWS GuardDuty: Update detector',
    'Enables or suspends a GuardDuty detector, or changes its publishing frequency or features.',
    [INPUT.detectorId, INPUT.region, INPUT.enable, INPUT.publishingFrequency, INPUT.features],
  ),
  handler: (deps) => async (call) => {
    const changes = changesInput(call.inputs);
    const target = await detectorInput(await deps(), call.inputs);
    return awsOutcome(async () => {
      await target.source.updateDetector(target.region, target.detectorId, changes);
      return { status: 'ok', detector_id: target.detectorId, ...changes };
    });
  },
};

const FEATURES = 'features as "NAME: ENABLED, NAME2: DISABLED" (names such as S3_DATA_EVENTS, EKS_AUDIT_LOGS, RUNTIME_MONITORING)';

function changesInput(inputs: FunctionInputs): DetectorUpdate {
  const changes: DetectorUpdate = {};
  const enable = optionalBoolean(inputs, INPUT.enable);
  if (enable !== undefined) changes.enable = enable;
  const frequency = optionalText(inputs, INPUT.publishingFrequency);
  if (frequency !== undefined) {
    const known = PUBLISHING_FREQUENCIES.find((f) => f === frequency.toUpperCase());
    if (!known) throw new FunctionInputError(INPUT.publishingFrequency, `one of ${PUBLISHING_FREQUENCIES.join(', ')}`, frequency);
    changes.findingPublishingFrequency = known;
  }
  const features = optionalText(inputs, INPUT.features);
  if (features !== undefined) {
    changes.features = {};
    for (const pair of features.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
      const m = /^([A-Z0-9_]+)\s*:\s*(ENABLED|DISABLED)$/i.exec(pair);
      if (!m?.[1] || !m[2]) throw new FunctionInputError(INPUT.features, FEATURES, pair);
      changes.features[m[1].toUpperCase()] = m[2].toUpperCase() as 'ENABLED' | 'DISABLED';
    }
  }
  if (Object.keys(changes).length === 0) {
    throw new FunctionInputError(INPUT.enable, `at least one change: ${INPUT.enable}, ${INPUT.publishingFrequency} or ${INPUT.features}`);
  }
  return changes;
}
