import { FUNCTION, defineFunction } from '../../../function-definition.js';
import { INPUT } from '../../../function-inputs.js';
import type { FunctionModule } from '../../../function-module.js';
import { IPSET } from '../list-kinds.js';
import { deleteList, onIbmDetector } from '../list-verbs.js';

/** `aws_guardduty_delete_ipset`, one of IBM's ten list functions: the verb is written once for both kinds in `../list-verbs.ts`. */
export const deleteIpSet: FunctionModule = {
  definition: defineFunction(
    FUNCTION.deleteIpSet, 'AWS GuardDuty: Delete IPSet',
    'Deletes a GuardDuty IPSet.',
    [INPUT.ipSetId, INPUT.detectorId, INPUT.region],
  ),
  handler: (deps) => onIbmDetector(deps, 'delete', IPSET, (call, target) => deleteList(IPSET, call, target)),
};
