import { ExternalServiceError } from '../../../core/errors.js';
import { FUNCTION, defineFunction } from '../../function-definition.js';
import { INPUT } from '../../function-inputs.js';
import type { FunctionModule } from '../../function-module.js';
import type { FunctionOutcome } from '../../function-types.js';
import { ibmDetectorTarget, ibmRequiredText, type DetectorTarget } from '../../inputs.js';
import { botocoreText } from '../ibm-outcome.js';

/**
 * `func_aws_guardduty_archive_finding`: the daemon's archive path for one finding, under its lock:
 * feedback from the closed incident's resolution (`aws_gd_feedback_map`), ArchiveFindings, then the
 * archived field and a note on the linked incident. It answers as IBM's app does (issue 22), with
 * IBM's v1 payload (`version` "1.0"): `{"status":"ok"}` whenever ArchiveFindings succeeds — also for
 * an id the detector does not hold, which AWS accepts; `{"status":"error","msg":…}` (still
 * `success: true`) when GuardDuty rejects the request (BadRequestException: an unknown detector, a
 * malformed id, a member account, which GuardDuty never lets archive); any other failure (403, 5xx
 * after retries, no connection) is an error reply, as IBM's `FunctionError()`.
 */
export const archiveFinding: FunctionModule = {
  definition: defineFunction(
    FUNCTION.archiveFinding, 'AWS GuardDuty: Archive finding',
    'Archives the AWS GuardDuty finding of an incident, e.g. when the incident is closed.',
    [INPUT.region, INPUT.detectorId, INPUT.findingId],
  ),
  handler: (prepared) => async (call) => {
    const deps = await prepared();
    const findingId = ibmRequiredText(call.inputs, INPUT.findingId).trim();
    const target = await ibmDetectorTarget(deps, call.inputs);
    let result: Awaited<ReturnType<typeof deps.archiveFinding>>;
    try {
      result = await deps.archiveFinding({
        key: { account: target.account, region: target.region, detectorId: target.detectorId, findingId },
        source: target.source,
        why: 'at the request of a SOAR playbook or rule (function func_aws_guardduty_archive_finding)',
        starting: () => call.status(`Archiving GuardDuty finding ${findingId}`),
      });
    } catch (err) {
      // GetFindings refused the request (an unknown detector, a malformed id): ArchiveFindings, which
      // is all IBM's app calls, answers for itself.
      if (err instanceof ExternalServiceError && err.operation !== 'ArchiveFindings' && isClientError(err)) return archiveAtAws(target, findingId);
      throw err;
    }
    switch (result.kind) {
      case 'unknown-finding':
        // Not held by the detector: AWS accepts the archive (200) and IBM's app answers ok.
        return archiveAtAws(target, findingId);
      case 'archived':
        return ok();
      case 'rejected':
        return rejected(result.error);
      case 'member-refused':
        // GuardDuty's BadRequestException, which IBM's app answers in the content; ours says what to do.
        return v1Error(
          `GuardDuty lets only the administrator account archive findings, and detector ${target.detectorId} (${target.region}) ` +
          `belongs to member account ${target.account}. Archive the finding from the administrator account, or configure guardduty-soar with it.`,
        );
    }
  },
};

async function archiveAtAws(target: DetectorTarget, findingId: string): Promise<FunctionOutcome> {
  try {
    await target.source.archiveFindings(target.region, target.detectorId, [findingId]);
    return ok();
  } catch (err) {
    if (err instanceof ExternalServiceError) return rejected(err);
    throw err;
  }
}

function isClientError(err: ExternalServiceError): boolean {
  return err.status !== undefined && err.status >= 400 && err.status < 500;
}

/** IBM's `post` catches what names BadRequestException or ValidationError; anything else is its FunctionError (an error reply). */
function rejected(err: ExternalServiceError): FunctionOutcome {
  const text = botocoreText(err);
  if (err.status !== undefined && /BadRequestException|ValidationError/.test(text)) return v1Error(text);
  throw err;
}

function ok(): FunctionOutcome {
  return { success: true, reason: null, content: { status: 'ok' }, payloadVersion: 1 };
}

function v1Error(msg: string): FunctionOutcome {
  return { success: true, reason: null, content: { status: 'error', msg }, payloadVersion: 1 };
}
