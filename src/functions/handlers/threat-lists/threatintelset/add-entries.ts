import { FUNCTION, defineFunction } from '../../../function-definition.js';
import { INPUT } from '../../../function-inputs.js';
import type { FunctionModule } from '../../../function-module.js';
import { entryEditHandler } from '../entry-edits.js';
import { THREAT_INTEL_SET } from '../list-kinds.js';

/** `aws_guardduty_add_to_threatintelset`, beyond IBM's app (issue 13): the edit is written once for both kinds in `../entry-edits.ts`. */
export const addToThreatIntelSet: FunctionModule = {
  definition: defineFunction(
    FUNCTION.addToThreatIntelSet, 'AWS GuardDuty: Add to threat list',
    'Adds IP addresses or CIDR ranges to the TXT file of a GuardDuty ThreatIntelSet (threat list) and has GuardDuty reload it.',
    [INPUT.ipAddresses, INPUT.threatIntelSetId, INPUT.detectorId, INPUT.region],
  ),
  handler: (deps) => entryEditHandler(deps, THREAT_INTEL_SET, 'add'),
};
