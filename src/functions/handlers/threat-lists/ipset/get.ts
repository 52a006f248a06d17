import { FUNCTION, defineFunction } from '../../../function-definition.js';
import { INPUT } from '../../../function-inputs.js';
import type { FunctionModule } from '../../../function-module.js';
import { IPSET } from '../list-kinds.js';
import { getList, onIbmDetector } from '../list-verbs.js';

/** `aws_guardduty_get_ipset`, one of IBM's ten list functions: the verb is written once for both kinds in `../list-verbs.ts`. */
export const getIpSet: FunctionModule = {
  definition: defineFunction(
    FUNCTION.getIpSet, 'AWS GuardDuty: Get IPSet',
    'Reads a GuardDuty IPSet: name, format, location, status and tags.',
    [INPUT.ipSetId, INPUT.detectorId, INPUT.region],
  ),
  handler: (deps) => onIbmDetector(deps, 'get', IPSET, (call, target) => getList(IPSET, call, target)),
};
