import { nonBlank } from '../findings/finding-values.js';

/** A row's values by column name before they are turned into SOAR text. */
export type RawCells = Partial<Record<string, unknown>>;

/**
 * Whether a row says anything beyond the labels the mapping adds itself (which process, where a
 * container was found): a member GuardDuty sent empty must not become a row of labels only.
 */
export function hasContent(cells: RawCells, labels: readonly string[]): boolean {
  return Object.entries(cells).some(([key, value]) => !labels.includes(key) && nonBlank(value) !== undefined);
}
