import { FUNCTION, type FunctionName } from '../definitions.js';
import type { FunctionHandler } from '../function-types.js';
import { coverageStatisticsHandler } from './coverage/statistics.js';
import { listCoverageHandler } from './coverage/list.js';
import { createFilterHandler } from './filters/create.js';
import { deleteFilterHandler } from './filters/delete.js';
import { getFilterHandler } from './filters/get.js';
import { listFiltersHandler } from './filters/list.js';
import { suppressLikeThisHandler } from './filters/suppress-like-this.js';
import { updateFilterHandler } from './filters/update.js';
import type { FunctionDeps } from './index.js';
import { getMalwareScanHandler } from './malware-scans/get.js';
import { listMalwareScansHandler } from './malware-scans/list.js';
import { scanS3ObjectHandler } from './malware-scans/scan-s3-object.js';
import { startMalwareScanHandler } from './malware-scans/start.js';

/** The functions of issue 21 (malware scans, suppression rules, coverage), by API name. */
export function respondHandlers(deps: FunctionDeps): [FunctionName, FunctionHandler][] {
  return [
    [FUNCTION.startMalwareScan, startMalwareScanHandler(deps)],
    [FUNCTION.getMalwareScan, getMalwareScanHandler(deps)],
    [FUNCTION.listMalwareScans, listMalwareScansHandler(deps)],
    [FUNCTION.scanS3Object, scanS3ObjectHandler(deps)],
    [FUNCTION.createFilter, createFilterHandler(deps)],
    [FUNCTION.updateFilter, updateFilterHandler(deps)],
    [FUNCTION.deleteFilter, deleteFilterHandler(deps)],
    [FUNCTION.listFilters, listFiltersHandler(deps)],
    [FUNCTION.getFilter, getFilterHandler(deps)],
    [FUNCTION.suppressLikeThis, suppressLikeThisHandler(deps)],
    [FUNCTION.listCoverage, listCoverageHandler(deps)],
    [FUNCTION.getCoverageStatistics, coverageStatisticsHandler(deps)],
  ];
}
