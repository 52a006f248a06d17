import { ExternalServiceError, errorMessage } from '../../errors.js';
import type { DetectorUpdate } from '../../regions/findings-source.js';
import { INPUT, PUBLISHING_FREQUENCIES } from '../definitions.js';
import { FunctionInputError, type FunctionHandler, type FunctionInputs } from '../function-types.js';
import { detectorInput, optionalBoolean, optionalText } from '../inputs.js';
import type { PreparedFunctionDeps } from '../function-deps.js';

/**
 * `aws_guardduty_update_detector`: enable or suspend a detector, change how often it publishes
 * updated findings, or turn features on and off. Only what is given changes; nothing given is an
 * error reply rather than a call that does nothing.
 */
export function updateDetectorHandler(deps: PreparedFunctionDeps): FunctionHandler {
  return async (call) => {
    const changes = changesInput(call.inputs);
    const target = await detectorInput(await deps(), call.inputs);
    try {
      await target.source.updateDetector(target.region, target.detectorId, changes);
      return { success: true, reason: null, content: { status: 'ok', detector_id: target.detectorId, ...changes } };
    } catch (err) {
      if (!(err instanceof ExternalServiceError)) throw err;
      return { success: false, reason: errorMessage(err), content: {} };
    }
  };
}

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
