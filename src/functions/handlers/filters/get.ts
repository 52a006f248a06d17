import type { FunctionHandler } from '../../function-types.js';
import { detectorInput } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';
import type { FunctionDeps } from '../index.js';
import { filterNameInput } from './filter-input.js';

/** `aws_guardduty_get_filter`: GetFilter's answer as GuardDuty names it (`Name`, `Action`, `Rank`, `FindingCriteria`, `Description`, `Tags`). */
export function getFilterHandler(deps: FunctionDeps): FunctionHandler {
  return async (call) => {
    const name = filterNameInput(call.inputs);
    const target = await detectorInput(await deps.cycleDeps(), call.inputs);
    return awsOutcome(() => target.source.getFilter(target.region, target.detectorId, name));
  };
}
