import { ExternalServiceError, errorMessage } from '../../../core/errors.js';
import { isMemberRefusal } from '../../../sync/archive-on-close.js';
import { FUNCTION, defineFunction } from '../../function-definition.js';
import { INPUT } from '../../function-inputs.js';
import type { FunctionModule } from '../../function-module.js';
import { detectorInput } from '../../inputs.js';
import { findingIdsInput } from './finding-ids-input.js';

/**
 * `aws_guardduty_unarchive_findings`: the way back from an archive (an incident closed by mistake,
 * a suppression rule that was too wide). GuardDuty only: the incidents' `aws_guardduty_archived`
 * field follows on their next refresh. A member account, which GuardDuty never lets unarchive, gets
 * a failed result naming the account that must do it; any other AWS failure is `success: false`
 * with the error, as IBM's functions answer.
 */
export const unarchiveFindings: FunctionModule = {
  definition: defineFunction(
    FUNCTION.unarchiveFindings, 'AWS GuardDuty: Unarchive findings',
    'Unarchives GuardDuty findings, e.g. when an incident closed by mistake is reopened.',
    [INPUT.findingIds, INPUT.detectorId, INPUT.region],
  ),
  handler: (deps) => async (call) => {
    const ids = findingIdsInput(call.inputs);
    const target = await detectorInput(await deps(), call.inputs);
    await call.status(`Unarchiving ${ids.length} GuardDuty finding${ids.length === 1 ? '' : 's'}`);
    try {
      await target.source.unarchiveFindings(target.region, target.detectorId, ids);
      return { success: true, reason: null, content: { status: 'ok', finding_ids: ids } };
    } catch (err) {
      if (!(err instanceof ExternalServiceError)) throw err;
      const reason = isMemberRefusal(err)
        ? `GuardDuty lets only the administrator account unarchive findings, and detector ${target.detectorId} (${target.region}) belongs to member account ${target.account}. Unarchive them from the administrator account.`
        : errorMessage(err);
      return { success: false, reason, content: {} };
    }
  },
};
