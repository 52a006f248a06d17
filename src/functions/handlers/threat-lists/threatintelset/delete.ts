import { FUNCTION, defineFunction } from '../../../function-definition.js';
import { INPUT } from '../../../function-inputs.js';
import type { FunctionModule } from '../../../function-module.js';
import { THREAT_INTEL_SET } from '../list-kinds.js';
import { deleteList, onIbmDetector } from '../list-verbs.js';

/** `aws_guardduty_delete_threatintelset`, one of IBM's ten list functions: the verb is written once for both kinds in `../list-verbs.ts`. */
export const deleteThreatIntelSet: FunctionModule = {
  definition: defineFunction(
    FUNCTION.deleteThreatIntelSet, 'AWS GuardDuty: Delete ThreatIntelSet',
    'Deletes a GuardDuty ThreatIntelSet.',
    [INPUT.threatIntelSetId, INPUT.detectorId, INPUT.region],
  ),
  handler: (deps) => onIbmDetector(deps, 'delete', THREAT_INTEL_SET, (call, target) => deleteList(THREAT_INTEL_SET, call, target)),
};
