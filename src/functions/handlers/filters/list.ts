import { INPUT } from '../../definitions.js';
import type { FunctionHandler } from '../../function-types.js';
import { detectorInput, optionalInteger, optionalText } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';
import type { FunctionDeps } from '../index.js';

/** `aws_guardduty_list_filters`: one page of filter names; `next_token` (null at the end) gives the next. */
export function listFiltersHandler(deps: FunctionDeps): FunctionHandler {
  return async (call) => {
    const maxResults = optionalInteger(call.inputs, INPUT.maxResults, 1, 50);
    const nextToken = optionalText(call.inputs, INPUT.nextToken);
    const target = await detectorInput(await deps.cycleDeps(), call.inputs);
    return awsOutcome(async () => {
      const page = await target.source.listFilters(target.region, target.detectorId, { ...(maxResults ? { maxResults } : {}), ...(nextToken ? { nextToken } : {}) });
      return { filter_names: page.names, next_token: page.nextToken ?? null };
    });
  };
}
