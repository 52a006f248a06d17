import { FUNCTION, defineFunction } from '../../function-definition.js';
import { SuppressionUnavailable, proposedNote, suppressionRule, type SuppressBy } from '../../../sync/function-respond.js';
import { INPUT, SUPPRESS_BY } from '../../function-inputs.js';
import { FunctionInputError, type FunctionHandler, type FunctionInputs } from '../../function-types.js';
import { detectorInput, incidentIdInput, optionalBoolean, optionalText } from '../../inputs.js';
import { awsOutcome } from '../aws-outcome.js';
import type { PreparedFunctionDeps } from '../../function-deps.js';
import type { FunctionModule } from '../../function-module.js';
import { incidentFinding } from '../incident-finding.js';
import { filterToken } from './create.js';

export const suppressLikeThis: FunctionModule = {
  definition: defineFunction(
    FUNCTION.suppressLikeThis, 'AWS GuardDuty: Suppress findings like this', 'Builds a suppression rule from the finding of an incident (its type, account, and its resource or remote IP), shows it, and creates it when not a dry run.', [INPUT.incidentId, INPUT.detectorId, INPUT.region, INPUT.suppressBy, INPUT.dryRun],
  ),
  handler: suppressLikeThisHandler,
};

/**
 * `aws_guardduty_suppress_like_this`: a suppression rule built from the incident's finding (its type
 * and account, and its resource, its remote IP or nothing more, by `aws_gd_suppress_by`), named after
 * the incident. A dry run (`aws_gd_dry_run` true or empty) only shows it, in the result and in a note
 * on the incident; `false` creates it (ARCHIVE), records it and notes it. Created twice (a redelivery,
 * a second click), it is one rule: its name is the incident's and a rule already there with the same
 * criteria counts as made.
 */
function suppressLikeThisHandler(prepared: PreparedFunctionDeps): FunctionHandler {
  return async (call) => {
    const incidentId = incidentIdInput(call.inputs);
    const by = byInput(call.inputs);
    const dryRun = optionalBoolean(call.inputs, INPUT.dryRun) ?? true;
    const deps = await prepared();
    const target = await detectorInput(deps, call.inputs);
    return awsOutcome(async () => {
      const { finding } = await incidentFinding(deps, incidentId, target);
      let rule;
      try {
        rule = suppressionRule(finding, incidentId, by);
      } catch (err) {
        if (err instanceof SuppressionUnavailable) throw new FunctionInputError(INPUT.suppressBy, err.message, by);
        throw err;
      }
      const shown = { filter_name: rule.name, action: 'ARCHIVE', criteria: rule.criteria, description: rule.description, detector_id: target.detectorId, region: target.region };
      if (dryRun) {
        const how = `Run "AWS GuardDuty: Suppress findings like this" again with aws_gd_dry_run = false to create it.`;
        await deps.addNoteOnce(incidentId, `suppression-proposed:${call.messageId}`, { format: 'text', content: proposedNote(target, rule, how) });
        return { status: 'dry_run', dry_run: true, ...shown };
      }
      await call.status(`Creating suppression rule ${rule.name}`);
      const { existed } = await deps.createSuppression({
        target, incidentId, finding, rule, clientToken: filterToken(call), why: `from this incident (aws_guardduty_suppress_like_this, by ${by})`,
      });
      return { status: 'ok', dry_run: false, existed, ...shown };
    });
  };
}

function byInput(inputs: FunctionInputs): SuppressBy {
  const text = optionalText(inputs, INPUT.suppressBy);
  if (text === undefined) return 'resource';
  const by = SUPPRESS_BY.find((b) => b === text.toLowerCase().replace(/[\s-]+/g, '_'));
  if (!by) throw new FunctionInputError(INPUT.suppressBy, `one of ${SUPPRESS_BY.join(', ')}`, text);
  return by;
}
