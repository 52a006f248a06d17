import { nonBlank } from '../findings/finding-values.js';
import type { RawCells } from './table-definitions.js';

/**
 * Whether a row says anything beyond the labels the mapping adds itself (which process, where a
 * container was found): a member GuardDuty sent empty must not become a row of labels only.
 */
export function hasContent(cells: RawCells, labels: readonly string[]): boolean {
  return Object.entries(cells).some(([key, value]) => !labels.includes(key) && nonBlank(value) !== undefined);
}
