import { ExternalServiceError } from '../../../errors.js';
import type { FunctionHandler } from '../../function-types.js';
import { detectorInput } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';
import type { FunctionDeps } from '../index.js';
import { filterMissing, filterNameInput } from './filter-input.js';

/**
 * `aws_guardduty_delete_filter`: deletes a filter or suppression rule (findings it archived stay
 * archived). A filter that is already gone is no error: `deleted` false says so, which is also what
 * a redelivery of a delete that succeeded answers.
 */
export function deleteFilterHandler(deps: FunctionDeps): FunctionHandler {
  return async (call) => {
    const name = filterNameInput(call.inputs);
    const cycle = await deps.cycleDeps();
    const target = await detectorInput(cycle, call.inputs);
    return awsOutcome(async () => {
      let deleted = true;
      try {
        await target.source.deleteFilter(target.region, target.detectorId, name);
      } catch (err) {
        if (!(err instanceof ExternalServiceError) || !filterMissing(err)) throw err;
        deleted = false;
      }
      cycle.store.suppressions.forget(target.account, target.region, name);
      return { status: 'ok', filter_name: name, deleted };
    });
  };
}
