import { asRecords, runtimeProcesses, type Obj } from '../findings/finding-values.js';
import type { Finding } from '../findings/finding.js';
import { hasContent, type RawCells } from './row-cells.js';

/**
 * Rows of `gd_runtime_process_details`: the process Runtime Monitoring saw (depth 0) then each of
 * its ancestors (depth 1 = the parent), so a responder reads how it was started; likewise for the
 * process that modified or was targeted by it, when the finding's context names one.
 */
export function processRows(finding: Finding): RawCells[] {
  return runtimeProcesses(finding.Service)
    .flatMap(({ role, process }) => [
      processCells(role, 0, process),
      ...asRecords(process.Lineage).map((entry, i) => processCells(role, i + 1, entry)),
    ])
    .filter((row) => hasContent(row, LABELS));
}

const LABELS = ['process_role', 'depth'];

function processCells(role: string, depth: number, p: Obj): RawCells {
  return {
    process_role: role,
    depth,
    name: p.Name,
    executable_path: p.ExecutablePath,
    executable_sha256: p.ExecutableSha256,
    pid: p.Pid,
    namespace_pid: p.NamespacePid,
    user: p.User,
    user_id: p.UserId,
    euid: p.Euid,
    start_time: p.StartTime,
    pwd: p.Pwd,
    uuid: p.Uuid,
    parent_uuid: p.ParentUuid,
  };
}
