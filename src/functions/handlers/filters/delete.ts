import { FUNCTION, defineFunction } from '../../function-definition.js';
import { ExternalServiceError } from '../../../core/errors.js';
import type { FunctionHandler } from '../../function-types.js';
import { detectorInput } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';
import { INPUT } from '../../function-inputs.js';
import type { PreparedFunctionDeps } from '../../function-deps.js';
import type { FunctionModule } from '../../function-module.js';
import { filterMissing, filterNameInput } from './filter-input.js';

export const deleteFilter: FunctionModule = {
  definition: defineFunction(
    FUNCTION.deleteFilter, 'AWS GuardDuty: Delete filter', 'Deletes a GuardDuty filter or suppression rule.', [INPUT.detectorId, INPUT.region, INPUT.filterName],
  ),
  handler: deleteFilterHandler,
};

/**
 * `aws_guardduty_delete_filter`: deletes a filter or suppression rule (findings it archived stay
 * archived). A filter that is already gone is no error: `deleted` false says so, which is also what
 * a redelivery of a delete that succeeded answers.
 */
function deleteFilterHandler(prepared: PreparedFunctionDeps): FunctionHandler {
  return async (call) => {
    const name = filterNameInput(call.inputs);
    const deps = await prepared();
    const target = await detectorInput(deps, call.inputs);
    return awsOutcome(async () => {
      let deleted = true;
      try {
        await target.source.deleteFilter(target.region, target.detectorId, name);
      } catch (err) {
        if (!(err instanceof ExternalServiceError) || !filterMissing(err)) throw err;
        deleted = false;
      }
      deps.forgetSuppression(target.account, target.region, name);
      return { status: 'ok', filter_name: name, deleted };
    });
  };
}
