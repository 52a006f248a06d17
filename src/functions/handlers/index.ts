import type { PreparedFunctionDeps } from '../function-deps.js';
import type { FunctionModule } from '../function-module.js';
import type { FunctionHandler } from '../function-types.js';
import { getDetector } from './detectors/get.js';
import { listDetectors } from './detectors/list.js';
import { updateDetector } from './detectors/update.js';
import { archiveFinding } from './findings/archive.js';
import { updateFindingsFeedback } from './findings/feedback.js';
import { getFindings } from './findings/get.js';
import { listFindings } from './findings/list.js';
import { refreshFinding } from './findings/refresh.js';
import { createSampleFindings } from './findings/samples.js';
import { unarchiveFindings } from './findings/unarchive.js';
import { listTags } from './tags/list.js';
import { tagResource } from './tags/tag.js';
import { untagResource } from './tags/untag.js';
import { addToIpSet } from './threat-lists/ipset/add-entries.js';
import { createIpSet } from './threat-lists/ipset/create.js';
import { deleteIpSet } from './threat-lists/ipset/delete.js';
import { getIpSet } from './threat-lists/ipset/get.js';
import { listIpSet } from './threat-lists/ipset/list.js';
import { removeFromIpSet } from './threat-lists/ipset/remove-entries.js';
import { updateIpSet } from './threat-lists/ipset/update.js';
import { addToThreatIntelSet } from './threat-lists/threatintelset/add-entries.js';
import { createThreatIntelSet } from './threat-lists/threatintelset/create.js';
import { deleteThreatIntelSet } from './threat-lists/threatintelset/delete.js';
import { getThreatIntelSet } from './threat-lists/threatintelset/get.js';
import { listThreatIntelSet } from './threat-lists/threatintelset/list.js';
import { removeFromThreatIntelSet } from './threat-lists/threatintelset/remove-entries.js';
import { updateThreatIntelSet } from './threat-lists/threatintelset/update.js';

/**
 * Every function this app serves on `fn_aws_gd`, by resource, in the order `setup` creates them and
 * the App Host package exports them: IBM's twelve, then the fifteen beyond them.
 */
export const FUNCTION_MODULES: readonly FunctionModule[] = [
  refreshFinding, archiveFinding,
  createIpSet, createThreatIntelSet, deleteIpSet, deleteThreatIntelSet, getIpSet, getThreatIntelSet,
  listIpSet, listThreatIntelSet, updateIpSet, updateThreatIntelSet,
  // Beyond IBM's app (issue 13): the list maintenance a responder does from an IP Address artifact.
  addToThreatIntelSet, removeFromThreatIntelSet, addToIpSet, removeFromIpSet,
  updateFindingsFeedback, getFindings, listFindings, createSampleFindings,
  getDetector, listDetectors, listTags, tagResource, untagResource, updateDetector, unarchiveFindings,
];

/** The handlers by IBM's API names, the listener's routing table. */
export function createFunctionHandlers(deps: PreparedFunctionDeps): ReadonlyMap<string, FunctionHandler> {
  return new Map(FUNCTION_MODULES.map((m) => [m.definition.name, m.handler(deps)]));
}
