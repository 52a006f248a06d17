import { findingCriteria } from '../../../config/finding-criteria.js';
import type { Criteria } from '../../../findings/criteria.js';
import { FUNCTION, defineFunction } from '../../function-definition.js';
import { INPUT } from '../../function-inputs.js';
import type { FunctionModule } from '../../function-module.js';
import { FunctionInputError, type FunctionInputs } from '../../function-types.js';
import { detectorInput, optionalInteger, optionalText } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';

/**
 * `aws_guardduty_list_findings`: one page of finding ids matching `aws_gd_finding_criteria` (the
 * syntax of the app.config key, checked the same way), newest update first. The content carries
 * `next_token` for the playbook to ask for the next page with the same criteria; null at the end.
 */
export const listFindings: FunctionModule = {
  definition: defineFunction(
    FUNCTION.listFindings, 'AWS GuardDuty: List findings',
    'Lists the IDs of GuardDuty findings matching criteria, one page at a time, newest update first.',
    [INPUT.detectorId, INPUT.region, INPUT.findingCriteria, INPUT.maxResults, INPUT.nextToken],
  ),
  handler: (deps) => async (call) => {
    const criteria = criteriaInput(call.inputs);
    const maxResults = optionalInteger(call.inputs, INPUT.maxResults, 1, 50);
    const nextToken = optionalText(call.inputs, INPUT.nextToken);
    const target = await detectorInput(await deps(), call.inputs);
    return awsOutcome(async () => {
      const page = await target.source.listFindingsPage(target.region, target.detectorId, {
        criteria, ...(maxResults ? { maxResults } : {}), ...(nextToken ? { nextToken } : {}),
      });
      return { finding_ids: page.ids, next_token: page.nextToken ?? null };
    });
  },
};

function criteriaInput(inputs: FunctionInputs): Criteria {
  const text = optionalText(inputs, INPUT.findingCriteria);
  if (text === undefined) return {};
  // The criteria parser reads no file and no host: the context is not used.
  const parsed = findingCriteria(text, { cwd: '', templatesDir: '', hostname: '' });
  if (!parsed.ok) throw new FunctionInputError(INPUT.findingCriteria, parsed.hint ? `${parsed.expected} (${parsed.hint})` : parsed.expected, text);
  return parsed.value;
}
