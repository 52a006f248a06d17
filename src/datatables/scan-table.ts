import type { MalwareScanView } from '../regions/respond-api.js';
import type { DataTableSpec } from '../soar/case-system.js';

/**
 * `gd_malware_scans`: one row per malware scan started from (or adopted into) an incident. The row
 * is written when the scan starts (RUNNING) and rewritten in place when its verdict arrives, so the
 * table reads as the incident's scans and where each one stands. Unlike the finding tables, its
 * rows come from GetMalwareScan, not from the finding.
 */
export const SCAN_TABLE = 'gd_malware_scans';

const COLUMNS: [string, string][] = [
  ['scan_id', 'Scan ID'], ['resource_arn', 'Resource ARN'], ['scan_type', 'Scan type'], ['scan_status', 'Scan status'],
  ['scan_result', 'Result'], ['status_reason', 'Status reason'], ['threat_count', 'Threats'], ['threats', 'Threats found (name, SHA-256, paths)'],
  ['started_at', 'Started at'], ['completed_at', 'Completed at'],
];

export const SCAN_TABLE_SPEC: DataTableSpec = {
  name: SCAN_TABLE,
  label: 'GuardDuty Malware Scans',
  columns: [{ name: 'query_execution_date', label: 'Query execution date', inputType: 'text' }, ...COLUMNS.map(([name, label]) => ({ name, label, inputType: 'text' as const }))],
};

/** The row's cells for a scan as GuardDuty last described it; empty values are left out. */
export function scanRowCells(scan: Pick<MalwareScanView, 'scanId' | 'resourceArn' | 'scanType' | 'status' | 'result' | 'startedAt' | 'completedAt'> & Partial<Pick<MalwareScanView, 'statusReason' | 'threats'>>): Record<string, string> {
  const threats = scan.threats ?? [];
  const cells: Record<string, string | undefined> = {
    scan_id: scan.scanId,
    resource_arn: scan.resourceArn,
    scan_type: scan.scanType,
    scan_status: scan.status,
    scan_result: scan.result,
    status_reason: scan.statusReason,
    threat_count: scan.status === 'RUNNING' ? undefined : String(threats.length),
    threats: threats.map((t) => `${t.name}${t.hash ? ` (${t.hash})` : ''}: ${t.items.map((i) => i.path).join(', ') || 'no path given'}`).join('; ') || undefined,
    started_at: scan.startedAt,
    completed_at: scan.completedAt,
  };
  return Object.fromEntries(Object.entries(cells).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}
