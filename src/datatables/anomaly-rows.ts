import { asRecord, asRecords, nonBlank, type Obj } from '../findings/finding-values.js';
import type { Finding } from '../findings/finding.js';
import type { RawCells } from './row-cells.js';

/**
 * Rows of `gd_anomaly_details`: what GuardDuty's anomaly detection found unusual
 * (`Service.Detection.Anomaly.Unusual.Behavior`: profile → feature → the unusual observation) and,
 * beside it, what that profile usually sees for the feature (`Anomaly.Profiles`: profile → feature →
 * observations), so a responder reads "API DeleteTrail, never seen for this user; usually
 * DescribeInstances, GetObject". One row per (profile, feature) that was unusual.
 */
export function anomalyRows(finding: Finding): RawCells[] {
  const anomaly = asRecord(asRecord(asRecord(finding.Service)?.Detection)?.Anomaly);
  const behavior = asRecord(asRecord(anomaly?.Unusual)?.Behavior);
  if (!behavior) return [];
  const profiles = asRecord(anomaly?.Profiles);
  const rows: RawCells[] = [];
  for (const [profile, features] of Object.entries(behavior)) {
    for (const [feature, value] of Object.entries(asRecord(features) ?? {})) {
      const unusual = asRecord(value);
      if (!unusual) continue;
      const usual = asRecords(asRecord(profiles?.[profile])?.[feature]);
      rows.push({
        profile,
        feature,
        unusual: observations(unusual),
        frequency: unusual.ProfileSubtype,
        profile_type: unusual.ProfileType,
        usual: joined(usual.flatMap((o) => observationList(o))),
        usual_frequency: joined(usual.map((o) => nonBlank(o.ProfileSubtype)).filter((t): t is string => t !== undefined)),
      });
    }
  }
  return rows;
}

function observationList(object: Obj): string[] {
  const list = asRecord(object.Observations)?.Text;
  return Array.isArray(list) ? list.map(nonBlank).filter((t): t is string => t !== undefined) : [];
}

function observations(object: Obj): string | undefined {
  return joined(observationList(object));
}

function joined(values: string[]): string | undefined {
  const distinct = [...new Set(values)];
  return distinct.length > 0 ? distinct.join(', ') : undefined;
}
