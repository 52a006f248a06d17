import { FUNCTION, defineFunction } from '../../function-definition.js';
import { INPUT } from '../../function-inputs.js';
import type { FunctionModule } from '../../function-module.js';
import { FunctionInputError } from '../../function-types.js';
import { detectorInput, optionalText } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';

const TYPE = /^[A-Za-z0-9]+:[A-Za-z0-9]+\/[A-Za-z0-9.!_-]+$/;

/**
 * `aws_guardduty_create_sample_findings`: GuardDuty generates sample findings (of the types given,
 * or one of every type), e.g. to try a playbook end to end. Whether they become incidents is the
 * daemon's usual choice (escalated only with aws_gd_include_sample_findings = true).
 */
export const createSampleFindings: FunctionModule = {
  definition: defineFunction(
    FUNCTION.createSampleFindings, 'AWS GuardDuty: Create sample findings', 'Has GuardDuty generate sample findings, e.g. to try a playbook.',
    [INPUT.detectorId, INPUT.region, INPUT.findingTypes],
  ),
  handler: (deps) => async (call) => {
    const text = optionalText(call.inputs, INPUT.findingTypes);
    const types = [...new Set((text ?? '').split(/[\s,;]+/).filter((t) => t !== ''))];
    const bad = types.find((t) => !TYPE.test(t) || t.length > 50);
    if (bad !== undefined) throw new FunctionInputError(INPUT.findingTypes, 'GuardDuty finding types separated by commas, e.g. Recon:EC2/PortProbeUnprotectedPort', bad);
    const target = await detectorInput(await deps(), call.inputs);
    return awsOutcome(async () => {
      await target.source.createSampleFindings(target.region, target.detectorId, types);
      return { status: 'ok', finding_types: types };
    });
  },
};
