import { FUNCTION, defineFunction } from '../../function-definition.js';
import type { FunctionHandler } from '../../function-types.js';
import { detectorInput } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';
import { INPUT } from '../../function-inputs.js';
import type { PreparedFunctionDeps } from '../../function-deps.js';
import type { FunctionModule } from '../../function-module.js';
import { filterNameInput } from './filter-input.js';

export const getFilter: FunctionModule = {
  definition: defineFunction(
    FUNCTION.getFilter, 'AWS GuardDuty: Get filter', 'Reads a GuardDuty filter or suppression rule: action, rank, criteria and tags.', [INPUT.detectorId, INPUT.region, INPUT.filterName],
  ),
  handler: getFilterHandler,
};

/** `aws_guardduty_get_filter`: GetFilter's answer as GuardDuty names it (`Name`, `Action`, `Rank`, `FindingCriteria`, `Description`, `Tags`). */
function getFilterHandler(prepared: PreparedFunctionDeps): FunctionHandler {
  return async (call) => {
    const name = filterNameInput(call.inputs);
    const target = await detectorInput(await prepared(), call.inputs);
    return awsOutcome(() => target.source.getFilter(target.region, target.detectorId, name));
  };
}
