import { FUNCTION, defineFunction } from '../../../function-definition.js';
import { INPUT } from '../../../function-inputs.js';
import type { FunctionModule } from '../../../function-module.js';
import { entryEditHandler } from '../entry-edits.js';
import { IPSET } from '../list-kinds.js';

/** `aws_guardduty_add_to_ipset`, beyond IBM's app (issue 13): the edit is written once for both kinds in `../entry-edits.ts`. */
export const addToIpSet: FunctionModule = {
  definition: defineFunction(
    FUNCTION.addToIpSet, 'AWS GuardDuty: Add to trusted list',
    'Adds IP addresses or CIDR ranges to the TXT file of a GuardDuty IPSet (trusted IP list) and has GuardDuty reload it.',
    [INPUT.ipAddresses, INPUT.ipSetId, INPUT.detectorId, INPUT.region],
  ),
  handler: (deps) => entryEditHandler(deps, IPSET, 'add'),
};
