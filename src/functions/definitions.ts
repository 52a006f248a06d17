import type { FunctionDefinition, FunctionName } from './function-definition.js';
import { inputDefinition, type InputName } from './function-inputs.js';
import { FUNCTION_MODULES } from './handlers/index.js';

/**
 * The SOAR function definitions of the app: the message destination, IBM's twelve functions, the
 * fifteen beyond them, and their `__function` input fields. `setup` creates these over REST, `check`
 * compares them with the org, the listener routes on the names, and the App Host package writes
 * `export.res` from the same objects (soar-functions-contract.md §5.1, §7.2). Names are IBM's, so an
 * org moving from IBM's app keeps its playbooks and rules. Each function is defined beside its code
 * (`handlers/<resource>/<verb>.ts`); this module assembles them.
 */

export {
  APP_PACKAGE, FEEDBACK_VALUES, FUNCTION_INPUTS, INPUT, LIST_FORMATS, PUBLISHING_FREQUENCIES, inputDefinition, uuidFromString,
  type FunctionInputDefinition, type FunctionInputType, type InputName, type SelectValueDefinition,
} from './function-inputs.js';
export {
  FUNCTION, MESSAGE_DESTINATION, type FunctionDefinition, type FunctionName, type MessageDestinationDefinition,
} from './function-definition.js';

// [I] Display names of the ten list functions follow the two IBM's guide shows ("AWS GuardDuty: Create IPSet", §7.2).
export const FUNCTIONS: readonly FunctionDefinition[] = FUNCTION_MODULES.map((m) => m.definition);

export function functionDefinition(name: string): FunctionDefinition | undefined {
  return FUNCTIONS.find((f) => f.name === name);
}

/** The inputs a function requires, by API name (what a handler validates first). */
export function requiredInputs(fnName: FunctionName): InputName[] {
  return (functionDefinition(fnName)?.inputs ?? []).filter((n) => inputDefinition(n).required);
}

/** IBM's example playbooks and 1.0.0 rules/workflows (reference §7.3), for the package. */
export const IBM_PLAYBOOKS = [
  'example_aws_guardduty_refresh_finding_details_pb',
  'example_aws_guardduty_update_finding_details_pb',
  'example_aws_guardduty_archive_finding_pb',
  ...(['create', 'delete', 'get', 'list', 'update'] as const).flatMap((op) => [`aws_guardduty_${op}_ipset_pb`, `aws_guardduty_${op}_threatintelset_pb`]),
] as const;
export const IBM_RULES = [
  'Example: AWS GuardDuty: Archive Finding',
  'Example: AWS GuardDuty: Refresh Finding Details',
  'Example: AWS GuardDuty: Update Finding Details',
] as const;
export const IBM_WORKFLOWS = ['wf_aws_guardduty_archive_finding', 'wf_aws_guardduty_refresh_finding'] as const;
