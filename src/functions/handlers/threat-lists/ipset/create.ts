import { FUNCTION, defineFunction } from '../../../function-definition.js';
import { INPUT } from '../../../function-inputs.js';
import type { FunctionModule } from '../../../function-module.js';
import { IPSET } from '../list-kinds.js';
import { createList, onIbmDetector } from '../list-verbs.js';

/** `aws_guardduty_create_ipset`, one of IBM's ten list functions: the verb is written once for both kinds in `../list-verbs.ts`. */
export const createIpSet: FunctionModule = {
  definition: defineFunction(
    FUNCTION.createIpSet, 'AWS GuardDuty: Create IPSet',
    'Creates a GuardDuty IPSet (trusted IP list) from a file in S3.',
    [INPUT.format, INPUT.name, INPUT.detectorId, INPUT.region, INPUT.activate, INPUT.location, INPUT.clientToken, INPUT.tags, INPUT.bucketOwner],
  ),
  handler: (deps) => onIbmDetector(deps, 'create', IPSET, (call, target) => createList(IPSET, call, target)),
};
