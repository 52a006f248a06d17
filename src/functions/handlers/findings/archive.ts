import { FUNCTION, defineFunction } from '../../function-definition.js';
import { INPUT } from '../../function-inputs.js';
import type { FunctionModule } from '../../function-module.js';
import { FunctionInputError } from '../../function-types.js';
import { detectorInput, findingIdInput } from '../../inputs.js';

/**
 * `func_aws_guardduty_archive_finding`: the daemon's archive path for one finding, under its lock:
 * feedback from the closed incident's resolution (`aws_gd_feedback_map`), ArchiveFindings, then the
 * archived field and a note on the linked incident. IBM's content: `{"status":"ok"}`, or
 * `{"status":"error","msg":…}` when GuardDuty rejects the request. A member account, which GuardDuty
 * never lets archive, gets a failed result saying which account must do it.
 */
export const archiveFinding: FunctionModule = {
  definition: defineFunction(
    FUNCTION.archiveFinding, 'AWS GuardDuty: Archive finding',
    'Archives the AWS GuardDuty finding of an incident, e.g. when the incident is closed.',
    [INPUT.region, INPUT.detectorId, INPUT.findingId],
  ),
  handler: (prepared) => async (call) => {
    const deps = await prepared();
    const findingId = findingIdInput(call.inputs);
    const target = await detectorInput(deps, call.inputs);
    const result = await deps.archiveFinding({
      key: { account: target.account, region: target.region, detectorId: target.detectorId, findingId },
      source: target.source,
      why: 'at the request of a SOAR playbook or rule (function func_aws_guardduty_archive_finding)',
      starting: () => call.status(`Archiving GuardDuty finding ${findingId}`),
    });
    switch (result.kind) {
      case 'unknown-finding':
        throw new FunctionInputError(INPUT.findingId, `a finding GuardDuty holds in detector ${target.detectorId} (${target.region})`, findingId);
      case 'archived':
        return { success: true, reason: null, content: { status: 'ok' } };
      case 'rejected':
        // IBM's app answers a rejected request (a validation error) in the content.
        return { success: true, reason: null, content: { status: 'error', msg: result.message } };
      case 'member-refused': {
        const msg =
          `GuardDuty lets only the administrator account archive findings, and detector ${target.detectorId} (${target.region}) ` +
          `belongs to member account ${target.account}. Archive the finding from the administrator account, or configure guardduty-soar with it.`;
        return { success: false, reason: msg, content: { status: 'error', msg } };
      }
    }
  },
};
