import { FUNCTION, defineFunction } from '../../../function-definition.js';
import { INPUT } from '../../../function-inputs.js';
import type { FunctionModule } from '../../../function-module.js';
import { IPSET } from '../list-kinds.js';
import { updateList, onIbmDetector } from '../list-verbs.js';

/** `aws_guardduty_update_ipset`, one of IBM's ten list functions: the verb is written once for both kinds in `../list-verbs.ts`. */
export const updateIpSet: FunctionModule = {
  definition: defineFunction(
    FUNCTION.updateIpSet, 'AWS GuardDuty: Update IPSet',
    'Changes the name, location or activation of a GuardDuty IPSet.',
    [INPUT.detectorId, INPUT.region, INPUT.ipSetId, INPUT.newName, INPUT.newLocation, INPUT.newActivate, INPUT.bucketOwner],
  ),
  handler: (deps) => onIbmDetector(deps, 'update', IPSET, (call, target) => updateList(IPSET, call, target)),
};
