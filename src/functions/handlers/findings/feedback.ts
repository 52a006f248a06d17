import type { Feedback } from '../../../findings/finding.js';
import { FUNCTION, defineFunction } from '../../function-definition.js';
import { FEEDBACK_VALUES, INPUT } from '../../function-inputs.js';
import type { FunctionModule } from '../../function-module.js';
import { FunctionInputError, type FunctionInputs } from '../../function-types.js';
import { detectorInput, optionalText, requiredText } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';
import { findingIdsInput } from './finding-ids-input.js';

/**
 * `aws_guardduty_update_findings_feedback`: marks findings useful or not useful in GuardDuty, with an
 * optional comment (what the daemon also sends by itself when an incident closes with a mapped
 * resolution, here on a responder's request). Any AWS failure is `success: false` with the error.
 */
export const updateFindingsFeedback: FunctionModule = {
  definition: defineFunction(
    FUNCTION.updateFindingsFeedback, 'AWS GuardDuty: Update findings feedback',
    'Tells GuardDuty whether findings were useful, with an optional comment.',
    [INPUT.findingIds, INPUT.feedback, INPUT.comments, INPUT.detectorId, INPUT.region],
  ),
  handler: (deps) => async (call) => {
    const ids = findingIdsInput(call.inputs);
    const feedback = feedbackInput(call.inputs);
    const comment = optionalText(call.inputs, INPUT.comments);
    const target = await detectorInput(await deps(), call.inputs);
    return awsOutcome(async () => {
      await target.source.sendFeedback(target.region, target.detectorId, ids, feedback, comment);
      return { status: 'ok', finding_ids: ids, feedback };
    });
  },
};

/** `aws_gd_feedback`: USEFUL or NOT_USEFUL; case, spaces and hyphens are forgiven ("Not useful"). */
function feedbackInput(inputs: FunctionInputs): Feedback {
  const expected = `one of ${FEEDBACK_VALUES.join(', ')}`;
  const value = requiredText(inputs, INPUT.feedback, expected);
  const feedback = FEEDBACK_VALUES.find((f) => f === value.toUpperCase().replace(/[\s-]+/g, '_'));
  if (!feedback) throw new FunctionInputError(INPUT.feedback, expected, value);
  return feedback;
}
