import { FUNCTION, defineFunction } from '../../../function-definition.js';
import { INPUT } from '../../../function-inputs.js';
import type { FunctionModule } from '../../../function-module.js';
import { THREAT_INTEL_SET } from '../list-kinds.js';
import { getList, onIbmDetector } from '../list-verbs.js';

/** `aws_guardduty_get_threatintelset`, one of IBM's ten list functions: the verb is written once for both kinds in `../list-verbs.ts`. */
export const getThreatIntelSet: FunctionModule = {
  definition: defineFunction(
    FUNCTION.getThreatIntelSet, 'AWS GuardDuty: Get ThreatIntelSet',
    'Reads a GuardDuty ThreatIntelSet: name, format, location, status and tags.',
    [INPUT.threatIntelSetId, INPUT.detectorId, INPUT.region],
  ),
  handler: (deps) => onIbmDetector(deps, 'get', THREAT_INTEL_SET, (call, target) => getList(THREAT_INTEL_SET, call, target)),
};
