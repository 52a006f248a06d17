import { FUNCTION, defineFunction } from '../../function-definition.js';
import type { FunctionHandler } from '../../function-types.js';
import { detectorInput } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';
import { INPUT } from '../../function-inputs.js';
import type { PreparedFunctionDeps } from '../../function-deps.js';
import type { FunctionModule } from '../../function-module.js';

export const getCoverageStatistics: FunctionModule = {
  definition: defineFunction(
    FUNCTION.getCoverageStatistics, 'AWS GuardDuty: Get coverage statistics', 'Counts the resources GuardDuty Runtime Monitoring covers, by coverage status and by resource type.', [INPUT.detectorId, INPUT.region],
  ),
  handler: coverageStatisticsHandler,
};

/** `aws_guardduty_get_coverage_statistics`: the covered resources counted by coverage status and by resource type. */
function coverageStatisticsHandler(prepared: PreparedFunctionDeps): FunctionHandler {
  return async (call) => {
    const target = await detectorInput(await prepared(), call.inputs);
    return awsOutcome(async () => {
      const stats = await target.source.coverageStatistics(target.region, target.detectorId);
      return { CountByCoverageStatus: stats.byStatus, CountByResourceType: stats.byResourceType };
    });
  };
}
