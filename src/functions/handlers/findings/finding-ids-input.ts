import { INPUT } from '../../function-inputs.js';
import { FunctionInputError, type FunctionInputs } from '../../function-types.js';
import { requiredText } from '../../inputs.js';

/** What `aws_gd_finding_ids` holds, for the error reply. */
const FINDING_IDS = 'GuardDuty finding ids separated by commas (each 1-300 characters, no spaces)';

/**
 * `aws_gd_finding_ids` of the functions that act on several findings at once: ids separated by
 * commas, semicolons or white space, duplicates dropped, each as GuardDuty's FindingId allows.
 */
export function findingIdsInput(inputs: FunctionInputs): string[] {
  const text = requiredText(inputs, INPUT.findingIds, FINDING_IDS);
  const ids = [...new Set(text.split(/[\s,;]+/).filter((id) => id !== ''))];
  if (ids.length === 0) throw new FunctionInputError(INPUT.findingIds, FINDING_IDS);
  const bad = ids.find((id) => id.length > 300);
  if (bad !== undefined) throw new FunctionInputError(INPUT.findingIds, FINDING_IDS, bad);
  return ids;
}
