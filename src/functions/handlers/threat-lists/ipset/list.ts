import { FUNCTION, defineFunction } from '../../../function-definition.js';
import { INPUT } from '../../../function-inputs.js';
import type { FunctionModule } from '../../../function-module.js';
import { IPSET } from '../list-kinds.js';
import { listLists, onIbmDetector } from '../list-verbs.js';

/** `aws_guardduty_list_ipset`, one of IBM's ten list functions: the verb is written once for both kinds in `../list-verbs.ts`. */
export const listIpSet: FunctionModule = {
  definition: defineFunction(
    FUNCTION.listIpSet, 'AWS GuardDuty: List IPSets',
    'Lists the IPSet IDs of a GuardDuty detector.',
    [INPUT.detectorId, INPUT.region, INPUT.maxResults, INPUT.nextToken],
  ),
  handler: (deps) => onIbmDetector(deps, 'list', IPSET, (call, target) => listLists(IPSET, call, target)),
};
