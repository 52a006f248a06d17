import { FUNCTION, defineFunction } from '../../function-definition.js';
import { INPUT } from '../../function-inputs.js';
import type { FunctionHandler } from '../../function-types.js';
import { detectorInput, optionalInteger, optionalText } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';
import type { PreparedFunctionDeps } from '../../function-deps.js';
import type { FunctionModule } from '../../function-module.js';

export const listFilters: FunctionModule = {
  definition: defineFunction(
    FUNCTION.listFilters, 'AWS GuardDuty: List filters', 'Lists the names of the filters and suppression rules of a GuardDuty detector.', [INPUT.detectorId, INPUT.region, INPUT.maxResults, INPUT.nextToken],
  ),
  handler: listFiltersHandler,
};

/** `aws_guardduty_list_filters`: one page of filter names; `next_token` (null at the end) gives the next. */
function listFiltersHandler(prepared: PreparedFunctionDeps): FunctionHandler {
  return async (call) => {
    const maxResults = optionalInteger(call.inputs, INPUT.maxResults, 1, 50);
    const nextToken = optionalText(call.inputs, INPUT.nextToken);
    const target = await detectorInput(await prepared(), call.inputs);
    return awsOutcome(async () => {
      const page = await target.source.listFilters(target.region, target.detectorId, { ...(maxResults ? { maxResults } : {}), ...(nextToken ? { nextToken } : {}) });
      return { filter_names: page.names, next_token: page.nextToken ?? null };
    });
  };
}
