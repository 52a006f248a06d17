import { ExternalServiceError, errorMessage } from '../../errors.js';
import { INPUT } from '../definitions.js';
import { FunctionInputError, type FunctionHandler } from '../function-types.js';
import { detectorInput, optionalText } from '../inputs.js';
import type { PreparedFunctionDeps } from '../function-deps.js';

const TYPE = /^[A-Za-z0-9]+:[A-Za-z0-9]+\/[A-Za-z0-9.!_-]+$/;

/**
 * `aws_guardduty_create_sample_findings`: GuardDuty generates sample findings (of the types given,
 * or one of every type), e.g. to try a playbook end to end. Whether they become incidents is the
 * daemon's usual choice (escalated only with aws_gd_include_sample_findings = true).
 */
export function createSampleFindingsHandler(deps: PreparedFunctionDeps): FunctionHandler {
  return async (call) => {
    const text = optionalText(call.inputs, INPUT.findingTypes);
    const types = [...new Set((text ?? '').split(/[\s,;]+/).filter((t) => t !== ''))];
    const bad = types.find((t) => !TYPE.test(t) || t.length > 50);
    if (bad !== undefined) throw new FunctionInputError(INPUT.findingTypes, 'GuardDuty finding types separated by commas, e.g. Recon:EC2/PortProbeUnprotectedPort', bad);
    const target = await detectorInput(await deps(), call.inputs);
    try {
      await target.source.createSampleFindings(target.region, target.detectorId, types);
      return { success: true, reason: null, content: { status: 'ok', finding_types: types } };
    } catch (err) {
      if (!(err instanceof ExternalServiceError)) throw err;
      return { success: false, reason: errorMessage(err), content: {} };
    }
  };
}
