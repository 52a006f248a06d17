import { FUNCTION, type FunctionName } from '../definitions.js';
import type { PreparedFunctionDeps } from '../function-deps.js';
import type { FunctionHandler } from '../function-types.js';
import { archiveFindingHandler } from './archive-finding.js';
import { findingsFeedbackHandler } from './findings-feedback.js';
import { getDetectorHandler } from './get-detector.js';
import { getFindingsHandler } from './get-findings.js';
import { listDetectorsHandler } from './list-detectors.js';
import { listEntryHandlers } from './list-entries.js';
import { listFindingsHandler } from './list-findings.js';
import { refreshFindingHandler } from './refresh-finding.js';
import { tagHandlers } from './resource-tags.js';
import { createSampleFindingsHandler } from './sample-findings.js';
import { threatListHandlers } from './threat-list-functions.js';
import { unarchiveFindingsHandler } from './unarchive-findings.js';
import { updateDetectorHandler } from './update-detector.js';

/** Every function this app serves on `fn_aws_gd`, by IBM's API names. */
export function createFunctionHandlers(deps: PreparedFunctionDeps): ReadonlyMap<string, FunctionHandler> {
  return new Map<FunctionName, FunctionHandler>([
    [FUNCTION.refreshFinding, refreshFindingHandler(deps)],
    [FUNCTION.archiveFinding, archiveFindingHandler(deps)],
    ...threatListHandlers(deps),
    ...listEntryHandlers(deps),
    [FUNCTION.unarchiveFindings, unarchiveFindingsHandler(deps)],
    [FUNCTION.updateFindingsFeedback, findingsFeedbackHandler(deps)],
    [FUNCTION.getFindings, getFindingsHandler(deps)],
    [FUNCTION.listFindings, listFindingsHandler(deps)],
    [FUNCTION.createSampleFindings, createSampleFindingsHandler(deps)],
    [FUNCTION.getDetector, getDetectorHandler(deps)],
    [FUNCTION.updateDetector, updateDetectorHandler(deps)],
    [FUNCTION.listDetectors, listDetectorsHandler(deps)],
    ...tagHandlers(deps),
  ]);
}
