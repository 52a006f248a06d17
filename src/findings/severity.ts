/** GuardDuty's severity bands (Critical, 9.0–10.0, arrived with attack sequences). */
export type SeverityBand = 'Low' | 'Medium' | 'High' | 'Critical';

/** The SOAR severity names used when the configuration does not say otherwise (SPEC §4). */
export const DEFAULT_SEVERITY_MAP: Readonly<Record<SeverityBand, string>> = {
  Low: 'Low',
  Medium: 'Medium',
  High: 'High',
  Critical: 'High',
};

export interface MappedSeverity {
  /** GuardDuty's number, when it sent a usable one. */
  value: number | undefined;
  band: SeverityBand | undefined;
  /** The SOAR `severity_code` name; always set. */
  name: string;
}

/**
 * GuardDuty severity → band. The bands are half-open so that no value falls into a gap (IBM's
 * 3.9/4.0 gap returned None); values outside 1–10 are clamped rather than rejected, because
 * GuardDuty has widened its scale before (Critical, 9.0–10.0, arrived with attack sequences).
 */
export function severityBand(value: unknown): SeverityBand | undefined {
  if (typeof value !== 'number' || Number.isNaN(value)) return undefined;
  if (value < 4) return 'Low';
  if (value < 7) return 'Medium';
  if (value < 9) return 'High';
  return 'Critical';
}

/**
 * Band → SOAR severity name through the configured map. An unknown severity maps like Low rather
 * than failing: an incident with a guessed severity beats a finding that never reaches SOAR.
 */
export function mapSeverity(value: unknown, severityMap: Readonly<Record<SeverityBand, string>>): MappedSeverity {
  const band = severityBand(value);
  const name = severityMap[band ?? 'Low'] || DEFAULT_SEVERITY_MAP[band ?? 'Low'];
  return { value: band === undefined ? undefined : (value as number), band, name };
}
