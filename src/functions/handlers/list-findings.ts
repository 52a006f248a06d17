import { findingCriteria } from '../../config/finding-criteria.js';
import { ExternalServiceError, errorMessage } from '../../errors.js';
import type { Criteria } from '../../regions/findings-source.js';
import { INPUT } from '../definitions.js';
import { FunctionInputError, type FunctionHandler, type FunctionInputs } from '../function-types.js';
import { detectorInput, optionalInteger, optionalText } from '../inputs.js';
import type { PreparedFunctionDeps } from '../function-deps.js';

/**
 * `aws_guardduty_list_findings`: one page of finding ids matching `aws_gd_finding_criteria` (the
 * syntax of the app.config key, checked the same way), newest update first. The content carries
 * `next_token` for the playbook to ask for the next page with the same criteria; null at the end.
 */
export function listFindingsHandler(deps: PreparedFunctionDeps): FunctionHandler {
  return async (call) => {
    const criteria = criteriaInput(call.inputs);
    const maxResults = optionalInteger(call.inputs, INPUT.maxResults, 1, 50);
    const nextToken = optionalText(call.inputs, INPUT.nextToken);
    const target = await detectorInput(await deps(), call.inputs);
    try {
      const page = await target.source.listFindingsPage(target.region, target.detectorId, {
        criteria, ...(maxResults ? { maxResults } : {}), ...(nextToken ? { nextToken } : {}),
      });
      return { success: true, reason: null, content: { finding_ids: page.ids, next_token: page.nextToken ?? null } };
    } catch (err) {
      if (!(err instanceof ExternalServiceError)) throw err;
      return { success: false, reason: errorMessage(err), content: {} };
    }
  };
}

function criteriaInput(inputs: FunctionInputs): Criteria {
  const text = optionalText(inputs, INPUT.findingCriteria);
  if (text === undefined) return {};
  // The criteria parser reads no file and no host: the context is not used.
  const parsed = findingCriteria(text, { cwd: '', templatesDir: '', hostname: '' });
  if (!parsed.ok) throw new FunctionInputError(INPUT.findingCriteria, parsed.hint ? `${parsed.expected} (${parsed.hint})` : parsed.expected, text);
  return parsed.value;
}
