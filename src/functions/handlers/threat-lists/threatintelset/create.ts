import { FUNCTION, defineFunction } from '../../../function-definition.js';
import { INPUT } from '../../../function-inputs.js';
import type { FunctionModule } from '../../../function-module.js';
import { THREAT_INTEL_SET } from '../list-kinds.js';
import { createList, onIbmDetector } from '../list-verbs.js';

/** `aws_guardduty_create_threatintelset`, one of IBM's ten list functions: the verb is written once for both kinds in `../list-verbs.ts`. */
export const createThreatIntelSet: FunctionModule = {
  definition: defineFunction(
    FUNCTION.createThreatIntelSet, 'AWS GuardDuty: Create ThreatIntelSet',
    'Creates a GuardDuty ThreatIntelSet (threat list) from a file in S3.',
    [INPUT.format, INPUT.name, INPUT.detectorId, INPUT.region, INPUT.activate, INPUT.location, INPUT.clientToken, INPUT.tags],
  ),
  handler: (deps) => onIbmDetector(deps, 'create', THREAT_INTEL_SET, (call, target) => createList(THREAT_INTEL_SET, call, target)),
};
