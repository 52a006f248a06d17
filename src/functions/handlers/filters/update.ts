import { FUNCTION, defineFunction } from '../../function-definition.js';
import { FunctionInputError, type FunctionHandler } from '../../function-types.js';
import { INPUT } from '../../function-inputs.js';
import { detectorInput } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';
import type { PreparedFunctionDeps } from '../../function-deps.js';
import type { FunctionModule } from '../../function-module.js';
import { filterChanges, filterNameInput } from './filter-input.js';

export const updateFilter: FunctionModule = {
  definition: defineFunction(
    FUNCTION.updateFilter, 'AWS GuardDuty: Update filter', 'Changes the criteria, action, description or rank of a GuardDuty filter or suppression rule.', [INPUT.detectorId, INPUT.region, INPUT.filterName, INPUT.findingCriteria, INPUT.filterAction, INPUT.filterDescription, INPUT.filterRank],
  ),
  handler: updateFilterHandler,
};

/**
 * `aws_guardduty_update_filter`: changes what is given of a filter (criteria, action, description,
 * rank); nothing given is an error reply. Repeating it changes nothing more.
 */
function updateFilterHandler(prepared: PreparedFunctionDeps): FunctionHandler {
  return async (call) => {
    const name = filterNameInput(call.inputs);
    const changes = filterChanges(call.inputs);
    if (Object.keys(changes).length === 0) {
      throw new FunctionInputError(INPUT.findingCriteria, `at least one change: ${INPUT.findingCriteria}, ${INPUT.filterAction}, ${INPUT.filterDescription} or ${INPUT.filterRank}`);
    }
    const target = await detectorInput(await prepared(), call.inputs);
    return awsOutcome(async () => {
      await target.source.updateFilter(target.region, target.detectorId, name, changes);
      return { status: 'ok', filter_name: name, ...changes };
    });
  };
}
