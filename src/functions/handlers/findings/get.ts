import { FUNCTION, defineFunction } from '../../function-definition.js';
import { INPUT } from '../../function-inputs.js';
import type { FunctionModule } from '../../function-module.js';
import { FunctionInputError } from '../../function-types.js';
import { detectorInput } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';
import { findingIdsInput } from './finding-ids-input.js';

/** GuardDuty's GetFindings limit, which this function keeps so one call answers it. */
const MAX_IDS = 50;

/**
 * `aws_guardduty_get_findings`: up to 50 findings as GuardDuty returns them (timestamps as ISO
 * text, cleaned as every finding the daemon reads), for a playbook that wants details the incident
 * does not carry. Ids GuardDuty does not hold are listed under `not_found`.
 */
export const getFindings: FunctionModule = {
  definition: defineFunction(
    FUNCTION.getFindings, 'AWS GuardDuty: Get findings', 'Reads up to 50 GuardDuty findings by ID, in full.',
    [INPUT.findingIds, INPUT.detectorId, INPUT.region],
  ),
  handler: (deps) => async (call) => {
    const ids = findingIdsInput(call.inputs);
    if (ids.length > MAX_IDS) throw new FunctionInputError(INPUT.findingIds, `at most ${MAX_IDS} finding ids (GuardDuty's GetFindings limit); ${ids.length} were given`);
    const target = await detectorInput(await deps(), call.inputs);
    return awsOutcome(async () => {
      const findings = await target.source.getFindings(target.region, target.detectorId, ids);
      const found = new Set(findings.map((f) => f.Id));
      return { findings, not_found: ids.filter((id) => !found.has(id)) };
    });
  },
};
