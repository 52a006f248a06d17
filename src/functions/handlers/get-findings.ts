import { ExternalServiceError, errorMessage } from '../../errors.js';
import { INPUT } from '../definitions.js';
import { FunctionInputError, type FunctionHandler } from '../function-types.js';
import { detectorInput } from '../inputs.js';
import { findingIdsInput } from './finding-ids-input.js';
import type { PreparedFunctionDeps } from '../function-deps.js';

/** GuardDuty's GetFindings limit, which this function keeps so one call answers it. */
const MAX_IDS = 50;

/**
 * `aws_guardduty_get_findings`: up to 50 findings as GuardDuty returns them (timestamps as ISO
 * text, cleaned as every finding the daemon reads), for a playbook that wants details the incident
 * does not carry. Ids GuardDuty does not hold are listed under `not_found`.
 */
export function getFindingsHandler(deps: PreparedFunctionDeps): FunctionHandler {
  return async (call) => {
    const ids = findingIdsInput(call.inputs);
    if (ids.length > MAX_IDS) throw new FunctionInputError(INPUT.findingIds, `at most ${MAX_IDS} finding ids (GuardDuty's GetFindings limit); ${ids.length} were given`);
    const target = await detectorInput(await deps(), call.inputs);
    try {
      const findings = await target.source.getFindings(target.region, target.detectorId, ids);
      const found = new Set(findings.map((f) => f.Id));
      return { success: true, reason: null, content: { findings, not_found: ids.filter((id) => !found.has(id)) } };
    } catch (err) {
      if (!(err instanceof ExternalServiceError)) throw err;
      return { success: false, reason: errorMessage(err), content: {} };
    }
  };
}
