import { coverageProblems, type CoverageReport } from '../regions/coverage-check.js';
import { schemaVersion } from '../store/database.js';
import type { Store } from '../store/store.js';

/** Where GuardDuty is blind, per account and region, as the daemon's last coverage check found it. */
export interface CoverageStatus {
  account: string;
  region: string;
  checkedAt: string;
  detector: string;
  problems: string[];
  unreadable: string[];
}

/** Malware scans the daemon follows until their verdict is in their incident, and those done. */
export interface MalwareScansStatus {
  following: number;
  done: number;
}

/** Coverage and malware scans (schema 5 on; null before). */
export function readRespondStatus(store: Store): { coverage: CoverageStatus[] | null; malwareScans: MalwareScansStatus | null } {
  if (schemaVersion(store.db) < 5) return { coverage: null, malwareScans: null };
  return {
    coverage: store.coverage.all<CoverageReport>().map((c) => ({
      account: c.account, region: c.region, checkedAt: new Date(c.checkedAt).toISOString(), detector: c.report.detector,
      problems: coverageProblems(c.report), unreadable: c.report.unreadable.map((u) => u.permission),
    })),
    malwareScans: store.scans.counts(),
  };
}

export function formatCoverage(r: { coverage?: CoverageStatus[] | null; malwareScans?: MalwareScansStatus | null }): string[] {
  if (!r.coverage) return [];
  const lines = ['', 'Coverage (where GuardDuty is blind, checked every aws_gd_regions_interval minutes):'];
  if (r.coverage.length === 0) lines.push('  (not checked yet: the daemon checks at its next rediscovery)');
  for (const c of r.coverage) {
    const unreadable = c.unreadable.length > 0 ? ` (not readable without ${c.unreadable.join(', ')})` : '';
    const where = `${c.region} of account ${c.account}`;
    if (c.problems.length === 0) lines.push(`  ${where}: detector ${c.detector.toLowerCase()}, nothing blind${unreadable} (checked ${c.checkedAt})`);
    else lines.push(`  ${where} (checked ${c.checkedAt})${unreadable}:`, ...c.problems.map((p) => `    - ${p}`));
  }
  if (r.malwareScans && r.malwareScans.following + r.malwareScans.done > 0) {
    lines.push('', `Malware scans: ${r.malwareScans.following} running (the daemon writes each verdict into its incident), ${r.malwareScans.done} done`);
  }
  return lines;
}
