import { findingCriteria } from '../../../config/finding-criteria.js';
import type { Criteria } from '../../../findings/criteria.js';
import type { FilterAction, FilterUpdate } from '../../../regions/respond-api.js';
import { FILTER_ACTIONS, INPUT } from '../../function-inputs.js';
import { FunctionInputError, type FunctionInputs } from '../../function-types.js';
import { optionalInteger, optionalText, requiredText } from '../../inputs.js';

/** The inputs of the filter functions, checked before any call as GuardDuty would check them. */

const NAME = 'a filter name: 3-64 letters, digits, period (.), underscore (_) and dash (-)';

export function filterNameInput(inputs: FunctionInputs): string {
  const name = requiredText(inputs, INPUT.filterName, NAME);
  if (!/^[A-Za-z0-9._-]{3,64}$/.test(name)) throw new FunctionInputError(INPUT.filterName, NAME, name);
  return name;
}

/** `aws_gd_finding_criteria` in the syntax of the app.config key of that name, checked the same way. */
export function criteriaInput(inputs: FunctionInputs, required: boolean): Criteria | undefined {
  const text = optionalText(inputs, INPUT.findingCriteria);
  if (text === undefined) {
    if (required) throw new FunctionInputError(INPUT.findingCriteria, 'the criteria as JSON, e.g. {"type": {"equals": ["Recon:EC2/PortProbeUnprotectedPort"]}}');
    return undefined;
  }
  // The criteria parser reads no file and no host: the context is not used.
  const parsed = findingCriteria(text, { cwd: '', templatesDir: '', hostname: '' });
  if (!parsed.ok) throw new FunctionInputError(INPUT.findingCriteria, parsed.hint ? `${parsed.expected} (${parsed.hint})` : parsed.expected, text);
  if (Object.keys(parsed.value).length === 0) throw new FunctionInputError(INPUT.findingCriteria, 'at least one criterion: a filter without one would match every finding', text);
  return parsed.value;
}

export function actionInput(inputs: FunctionInputs): FilterAction | undefined {
  const text = optionalText(inputs, INPUT.filterAction);
  if (text === undefined) return undefined;
  const action = FILTER_ACTIONS.find((a) => a === text.toUpperCase());
  if (!action) throw new FunctionInputError(INPUT.filterAction, `one of ${FILTER_ACTIONS.join(', ')}`, text);
  return action;
}

export function descriptionInput(inputs: FunctionInputs): string | undefined {
  const text = optionalText(inputs, INPUT.filterDescription);
  if (text !== undefined && text.length > 512) throw new FunctionInputError(INPUT.filterDescription, 'at most 512 characters', text);
  return text;
}

/** The changes an update sends: only what is given; none is an error reply. */
export function filterChanges(inputs: FunctionInputs): FilterUpdate {
  const changes: FilterUpdate = {};
  const criteria = criteriaInput(inputs, false);
  if (criteria) changes.criteria = criteria;
  const action = actionInput(inputs);
  if (action) changes.action = action;
  const description = descriptionInput(inputs);
  if (description !== undefined) changes.description = description;
  const rank = optionalInteger(inputs, INPUT.filterRank, 1, 100);
  if (rank !== undefined) changes.rank = rank;
  return changes;
}

/** GuardDuty's 400 for a filter name that is taken, or that does not exist. */
export function filterExists(err: { status?: number | undefined; message: string }): boolean {
  return err.status === 400 && /already exists/i.test(err.message);
}

export function filterMissing(err: { status?: number | undefined; message: string }): boolean {
  return (err.status === 400 || err.status === 404) && /does not exist|not found/i.test(err.message);
}
