import { afterEach, describe, expect, it } from 'vitest';
import { FUNCTION } from '../../../src/functions/definitions.js';
import { FunctionInputError } from '../../../src/functions/function-types.js';
import { findingOf, guardDutyCalls, incidentOf, laterNotes, newFinding, soarWrites } from '../../helpers/sync-helpers.js';
import { startHandlerWorld, type HandlerWorld } from './handler-world.js';

let w: HandlerWorld;
afterEach(async () => {
  await w?.close();
});

describe('func_aws_guardduty_archive_finding', () => {
  it('archives the finding, records it on the incident (field and one note) and answers {"status":"ok"}', async () => {
    w = await startHandlerWorld({ config: { aws_gd_feedback_map: 'Resolved=USEFUL' } });
    const finding = newFinding(w.h);
    await w.cycle();
    const incident = incidentOf(w.h, finding.id);
    w.h.soar.closeIncident(incident.id, { resolution: 'Resolved', summary: 'Contained.' });
    w.h.aws.resetCalls();

    const outcome = await w.invoke(FUNCTION.archiveFinding, { ...w.at(), aws_gd_finding_id: finding.id });
    expect(outcome).toEqual({ success: true, reason: null, content: { status: 'ok' }, payloadVersion: 1 });
    expect(findingOf(w.h, finding.id).service.archived).toBe(true);
    expect(guardDutyCalls(w.h, 'ArchiveFindings')).toBe(1);
    expect(guardDutyCalls(w.h, 'UpdateFindingsFeedback')).toBe(1);
    const after = incidentOf(w.h, finding.id);
    expect(after.properties.aws_guardduty_archived).toBe('True');
    expect(laterNotes(after)).toEqual([expect.stringMatching(/archived GuardDuty finding .* at the request of a SOAR playbook or rule/)]);

    // The cycle that follows finds the close already handled: no second archive, no second note.
    w.h.aws.resetCalls();
    await w.cycle();
    expect(guardDutyCalls(w.h, 'ArchiveFindings')).toBe(0);
    expect(laterNotes(incidentOf(w.h, finding.id))).toHaveLength(1);
  });

  it('archives a finding that has no incident; answers as IBM\'s app for ids the detector does not hold and unknown detectors; refuses only missing inputs', async () => {
    w = await startHandlerWorld();
    const [finding] = w.h.aws.generateFindings({ count: 1, region: 'eu-west-1', severity: 2 });
    w.h.soar.resetCalls();
    const outcome = await w.invoke(FUNCTION.archiveFinding, { ...w.at('eu-west-1'), aws_gd_finding_id: String(finding?.id) });
    expect(outcome.content).toEqual({ status: 'ok' });
    expect(findingOf(w.h, String(finding?.id)).service.archived).toBe(true);

    // AWS accepts an id the detector does not hold (200), and so does IBM's app: "ok".
    w.h.aws.resetCalls();
    const notHeld = await w.invoke(FUNCTION.archiveFinding, { ...w.at('eu-west-1'), aws_gd_finding_id: 'not-a-finding-0000' });
    expect(notHeld).toEqual({ success: true, reason: null, content: { status: 'ok' }, payloadVersion: 1 });
    expect(guardDutyCalls(w.h, 'ArchiveFindings')).toBe(1);

    // A detector guardduty-soar does not poll goes to AWS, whose BadRequestException IBM's app answers in the content.
    const unknownDetector = await w.invoke(FUNCTION.archiveFinding, { ...w.at('eu-west-1'), aws_gd_detector_id: 'feedfacefeedfacefeedfacefeedface', aws_gd_finding_id: 'x' });
    expect(unknownDetector).toEqual({
      success: true, reason: null, payloadVersion: 1,
      content: { status: 'error', msg: 'An error occurred (BadRequestException) when calling the ArchiveFindings operation: The request is rejected because the input detectorId is not owned by the current account.' },
    });

    for (const missing of ['aws_gd_finding_id', 'aws_gd_region', 'aws_gd_detector_id']) {
      const inputs = { ...w.at('eu-west-1'), aws_gd_finding_id: 'x', [missing]: '' };
      const error = await w.invoke(FUNCTION.archiveFinding, inputs).then(() => undefined, (e: unknown) => e);
      expect(error, missing).toBeInstanceOf(FunctionInputError);
      expect((error as FunctionInputError).input).toBe(missing);
    }
    expect(soarWrites(w.h)).toEqual([]);
  });

  it('a member account, which GuardDuty never lets archive, gets IBM\'s {status: "error"} saying which account must', async () => {
    const ADMIN = '111111111111';
    const MEMBER = '222222222222';
    w = await startHandlerWorld({
      aws: {
        accounts: [
          { accountId: ADMIN, accessKeys: ['AKIAADMIN00000000001'], regions: ['us-east-1'] },
          { accountId: MEMBER, accessKeys: ['AKIAMEMBER0000000001'], regions: ['us-east-1'], administrator: ADMIN },
        ],
      },
      config: { aws_gd_access_key_id: 'AKIAMEMBER0000000001', aws_gd_regions: '^us-east-1$' },
    });
    const [finding] = w.h.aws.generateFindings({ account: MEMBER, count: 1, updatedAt: Date.now() });
    await w.cycle();
    const outcome = await w.invoke(FUNCTION.archiveFinding, { ...w.at('us-east-1', MEMBER), aws_gd_finding_id: String(finding?.id) });
    expect(outcome).toEqual({ success: true, reason: null, content: { status: 'error', msg: expect.stringMatching(/only the administrator account archive findings.*member account 222222222222/) }, payloadVersion: 1 });
    expect(findingOf(w.h, String(finding?.id)).service.archived).toBe(false);
    // Nothing is left queued for the cycle to retry: the responder was told, and the incident is untouched.
    expect(w.deps.store.ops.all().filter((op) => op.kind === 'archive')).toEqual([]);
    expect(incidentOf(w.h, String(finding?.id)).properties.aws_guardduty_archived).toBe('False');
  });
});
