import { FUNCTION, defineFunction } from '../../../function-definition.js';
import { INPUT } from '../../../function-inputs.js';
import type { FunctionModule } from '../../../function-module.js';
import { THREAT_INTEL_SET } from '../list-kinds.js';
import { updateList, onIbmDetector } from '../list-verbs.js';

/** `aws_guardduty_update_threatintelset`, one of IBM's ten list functions: the verb is written once for both kinds in `../list-verbs.ts`. */
export const updateThreatIntelSet: FunctionModule = {
  definition: defineFunction(
    FUNCTION.updateThreatIntelSet, 'AWS GuardDuty: Update ThreatIntelSet',
    'Changes the name, location or activation of a GuardDuty ThreatIntelSet.',
    [INPUT.detectorId, INPUT.region, INPUT.threatIntelSetId, INPUT.newName, INPUT.newLocation, INPUT.newActivate],
  ),
  handler: (deps) => onIbmDetector(deps, 'update', THREAT_INTEL_SET, (call, target) => updateList(THREAT_INTEL_SET, call, target)),
};
