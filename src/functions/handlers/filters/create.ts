import { FUNCTION, defineFunction } from '../../function-definition.js';
import { createHash } from 'node:crypto';
import type { FilterSpec } from '../../../regions/respond-api.js';
import { INPUT } from '../../function-inputs.js';
import type { FunctionCall, FunctionHandler } from '../../function-types.js';
import { detectorInput, optionalInteger, tagsInput } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';
import type { PreparedFunctionDeps } from '../../function-deps.js';
import type { FunctionModule } from '../../function-module.js';
import { actionInput, criteriaInput, descriptionInput, filterNameInput } from './filter-input.js';

export const createFilter: FunctionModule = {
  definition: defineFunction(
    FUNCTION.createFilter, 'AWS GuardDuty: Create filter', 'Creates a GuardDuty filter; with action ARCHIVE, a suppression rule that archives matching findings as they arrive.', [INPUT.detectorId, INPUT.region, INPUT.filterName, INPUT.findingCriteria, INPUT.filterAction, INPUT.filterDescription, INPUT.filterRank, INPUT.tags],
  ),
  handler: createFilterHandler,
};

/**
 * `aws_guardduty_create_filter`: a filter of the detector; with `aws_gd_filter_action` ARCHIVE (the
 * default) a suppression rule, which archives the findings it matches as GuardDuty generates or
 * updates them. The ClientToken derives from the message id; and a redelivered create that finds its
 * filter already there with the same criteria and action answers as the first did (`existed` true).
 */
function createFilterHandler(prepared: PreparedFunctionDeps): FunctionHandler {
  return async (call) => {
    const name = filterNameInput(call.inputs);
    const criteria = criteriaInput(call.inputs, true) ?? {};
    const description = descriptionInput(call.inputs);
    const rank = optionalInteger(call.inputs, INPUT.filterRank, 1, 100);
    const tags = tagsInput(call.inputs);
    const spec: FilterSpec = {
      name, criteria, action: actionInput(call.inputs) ?? 'ARCHIVE', clientToken: filterToken(call),
      ...(description !== undefined ? { description } : {}), ...(rank !== undefined ? { rank } : {}), ...(tags ? { tags } : {}),
    };
    const deps = await prepared();
    const target = await detectorInput(deps, call.inputs);
    return awsOutcome(async () => {
      const { existed } = await deps.ensureFilter(target, spec);
      return { status: 'ok', filter_name: name, action: spec.action, criteria, detector_id: target.detectorId, region: target.region, existed };
    });
  };
}

/** GuardDuty's idempotency token (at most 64 characters) from the message id, the same on every redelivery. */
export function filterToken(call: FunctionCall): string {
  return createHash('sha256').update(`guardduty-soar:${call.name}:${call.messageId}`).digest('hex');
}
