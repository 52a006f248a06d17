import { FunctionInputError, type FunctionHandler } from '../../function-types.js';
import { INPUT } from '../../definitions.js';
import { detectorInput } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';
import type { FunctionDeps } from '../index.js';
import { filterChanges, filterNameInput } from './filter-input.js';

/**
 * `aws_guardduty_update_filter`: changes what is given of a filter (criteria, action, description,
 * rank); nothing given is an error reply. Repeating it changes nothing more.
 */
export function updateFilterHandler(deps: FunctionDeps): FunctionHandler {
  return async (call) => {
    const name = filterNameInput(call.inputs);
    const changes = filterChanges(call.inputs);
    if (Object.keys(changes).length === 0) {
      throw new FunctionInputError(INPUT.findingCriteria, `at least one change: ${INPUT.findingCriteria}, ${INPUT.filterAction}, ${INPUT.filterDescription} or ${INPUT.filterRank}`);
    }
    const target = await detectorInput(await deps.cycleDeps(), call.inputs);
    return awsOutcome(async () => {
      await target.source.updateFilter(target.region, target.detectorId, name, changes);
      return { status: 'ok', filter_name: name, ...changes };
    });
  };
}
