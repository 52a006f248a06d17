import { createHash } from 'node:crypto';
import type { PollingConfig } from '../config/app-config.js';
import type { Logger } from '../logging/logger.js';
import type { DetectorKey } from '../store/cursors-repo.js';
import type { Store } from '../store/store.js';

const META_KEY = 'qualifying_settings';

/**
 * The settings that decide WHICH findings get an incident, by their app.config key. A cursor only
 * says "every finding up to here was handled under the settings of that time": when one of these is
 * loosened (sample findings included, a lower threshold, a type no longer excluded), findings the
 * cursor already passed would now qualify and would never be listed again.
 */
export function qualifyingSettings(p: PollingConfig, regions: RegExp | undefined): Record<string, string> {
  return {
    aws_gd_severity_threshold: String(p.severityThreshold ?? ''),
    aws_gd_include_sample_findings: String(p.includeSampleFindings),
    aws_gd_finding_types_include: p.findingTypesInclude?.source ?? '',
    aws_gd_finding_types_exclude: p.findingTypesExclude?.source ?? '',
    aws_gd_accounts_include: p.accountsInclude.join(','),
    aws_gd_accounts_exclude: p.accountsExclude.join(','),
    aws_gd_finding_criteria: JSON.stringify(p.extraCriteria),
    aws_gd_regions: regions?.source ?? '',
  };
}

/** What the store records: the settings in force, since when, and a re-read still owed to some regions. */
interface QualifyingRecord {
  digest: string;
  /** When these settings took effect (epoch ms). */
  since: number;
  settings: Record<string, string>;
  rescan?: {
    /** Re-read from this updatedAt (epoch ms); null: every finding GuardDuty retains. */
    from: number | null;
    /** Detectors (`account/region/detector`) that owed the re-read when the settings changed. */
    owed: string[];
  };
}

/**
 * Called at the start of every cycle. The first time it sees settings that differ from the recorded
 * ones, every region that already has a cursor owes a re-read: from the lookback, or from when the
 * previous settings took effect, whichever is older (no lookback: everything GuardDuty retains).
 * Re-read findings that already have an incident cost nothing in SOAR (their link records the
 * version), so what now qualifies is escalated exactly once. Logs which settings changed.
 */
export function noteQualifyingSettings(store: Store, polling: PollingConfig, regions: RegExp | undefined, now: number, logger: Logger): void {
  const settings = qualifyingSettings(polling, regions);
  const digest = createHash('sha256').update(JSON.stringify(settings)).digest('hex');
  const previous = readRecord(store);
  if (previous?.digest === digest) return;
  if (!previous) {
    // First start (or a database from before this record): nothing to compare with.
    writeRecord(store, { digest, since: now, settings });
    return;
  }
  const lookback = polling.lookbackMinutes;
  let from: number | null = lookback === undefined ? null : Math.min(now - lookback * 60_000, previous.since);
  if (previous.rescan) from = from === null || previous.rescan.from === null ? null : Math.min(from, previous.rescan.from);
  const owed = new Set([...(previous.rescan?.owed ?? []), ...store.cursors.all().filter((c) => c.cursorMs !== undefined).map(detectorKey)]);
  writeRecord(store, { digest, since: now, settings, rescan: { from, owed: [...owed] } });
  const changed = Object.keys(settings).filter((k) => settings[k] !== previous.settings[k]);
  logger.info('Settings that decide which findings are escalated changed: each region is re-read so that findings which now qualify are escalated (once)', {
    changed: Object.fromEntries(changed.map((k) => [k, { from: previous.settings[k] ?? '', to: settings[k] }])),
    rereadFrom: from === null ? 'every finding GuardDuty retains' : new Date(from).toISOString(),
    regions: owed.size,
  });
}

/**
 * The re-read a detector still owes, or undefined when it owes none. `fromMs` undefined: every
 * finding GuardDuty retains.
 */
export function owedRescan(store: Store, target: DetectorKey): { fromMs: number | undefined } | undefined {
  const rescan = readRecord(store)?.rescan;
  if (!rescan?.owed.includes(detectorKey(target))) return undefined;
  return { fromMs: rescan.from ?? undefined };
}

/** The detector's listing went through to its end: it owes no more re-read. */
export function rescanDone(store: Store, target: DetectorKey): void {
  store.transaction(() => {
    const record = readRecord(store);
    if (!record?.rescan) return;
    const owed = record.rescan.owed.filter((k) => k !== detectorKey(target));
    const { rescan: _done, ...rest } = record;
    writeRecord(store, owed.length > 0 ? { ...rest, rescan: { ...record.rescan, owed } } : rest);
  });
}

function detectorKey(key: DetectorKey): string {
  return `${key.account}/${key.region}/${key.detectorId}`;
}

function readRecord(store: Store): QualifyingRecord | undefined {
  const text = store.getMeta(META_KEY);
  return text === undefined ? undefined : (JSON.parse(text) as QualifyingRecord);
}

function writeRecord(store: Store, record: QualifyingRecord): void {
  store.setMeta(META_KEY, JSON.stringify(record));
}
