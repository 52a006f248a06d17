import { FUNCTION, defineFunction } from '../../function-definition.js';
import { COVERAGE_STATUSES, INPUT } from '../../function-inputs.js';
import { FunctionInputError, type FunctionHandler } from '../../function-types.js';
import { detectorInput, optionalInteger, optionalText } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';
import type { PreparedFunctionDeps } from '../../function-deps.js';
import type { FunctionModule } from '../../function-module.js';

export const listCoverage: FunctionModule = {
  definition: defineFunction(
    FUNCTION.listCoverage, 'AWS GuardDuty: List coverage', 'Lists the resources GuardDuty Runtime Monitoring covers, healthy or not, with why not.', [INPUT.detectorId, INPUT.region, INPUT.coverageStatus, INPUT.maxResults, INPUT.nextToken],
  ),
  handler: listCoverageHandler,
};

/**
 * `aws_guardduty_list_coverage`: one page of the resources Runtime Monitoring covers (an
 * administrator's detector: its members' too), optionally only HEALTHY or UNHEALTHY ones, as
 * GuardDuty names their members (`ResourceId`, `AccountId`, `CoverageStatus`, `Issue`, `ResourceDetails`, …).
 */
function listCoverageHandler(prepared: PreparedFunctionDeps): FunctionHandler {
  return async (call) => {
    const text = optionalText(call.inputs, INPUT.coverageStatus);
    const status = text === undefined ? undefined : COVERAGE_STATUSES.find((s) => s === text.toUpperCase());
    if (text !== undefined && !status) throw new FunctionInputError(INPUT.coverageStatus, `one of ${COVERAGE_STATUSES.join(', ')}`, text);
    const maxResults = optionalInteger(call.inputs, INPUT.maxResults, 1, 50);
    const nextToken = optionalText(call.inputs, INPUT.nextToken);
    const target = await detectorInput(await prepared(), call.inputs);
    return awsOutcome(async () => {
      const page = await target.source.listCoverage(target.region, target.detectorId, {
        ...(status ? { status } : {}), ...(maxResults ? { maxResults } : {}), ...(nextToken ? { nextToken } : {}),
      });
      return { resources: page.resources.map((r) => r.raw), next_token: page.nextToken ?? null };
    });
  };
}
