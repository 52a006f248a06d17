import { FUNCTION, defineFunction } from '../../../function-definition.js';
import { INPUT } from '../../../function-inputs.js';
import type { FunctionModule } from '../../../function-module.js';
import { THREAT_INTEL_SET } from '../list-kinds.js';
import { listLists, onIbmDetector } from '../list-verbs.js';

/** `aws_guardduty_list_threatintelset`, one of IBM's ten list functions: the verb is written once for both kinds in `../list-verbs.ts`. */
export const listThreatIntelSet: FunctionModule = {
  definition: defineFunction(
    FUNCTION.listThreatIntelSet, 'AWS GuardDuty: List ThreatIntelSets',
    'Lists the ThreatIntelSet IDs of a GuardDuty detector.',
    [INPUT.detectorId, INPUT.region, INPUT.maxResults, INPUT.nextToken],
  ),
  handler: (deps) => onIbmDetector(deps, 'list', THREAT_INTEL_SET, (call, target) => listLists(THREAT_INTEL_SET, call, target)),
};
