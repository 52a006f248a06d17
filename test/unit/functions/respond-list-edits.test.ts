import { afterEach, describe, expect, it } from 'vitest';
import { FUNCTION } from '../../../src/functions/definitions.js';
import { startHandlerWorld, type HandlerWorld } from './handler-world.js';

/** The list-edit handlers called directly against the emulators: the edge cases STOMP adds nothing to. */

let w: HandlerWorld;
afterEach(async () => {
  await w?.close();
});

async function threatList(location = 's3://soc-lists/threats.txt'): Promise<Record<string, unknown>> {
  w.h.aws.createBucket({ name: 'soc-lists', region: 'us-east-1' });
  const created = await w.invoke(FUNCTION.createThreatIntelSet, { ...w.at(), aws_gd_format: 'TXT', aws_gd_name: 'Threats', aws_gd_activate: true, aws_gd_location: location });
  return { ...w.at(), aws_gd_threat_intel_set_id: (created.content as { ThreatIntelSetId: string }).ThreatIntelSetId };
}

const calls = (op: string): number => w.h.aws.calls().counts[op] ?? 0;

describe('editing a list object', () => {
  it('gives up after 8 lost races without updating the set, and says nothing was lost', async () => {
    w = await startHandlerWorld();
    const where = await threatList();
    w.h.aws.setFault({ service: 's3', operation: 'PutObject', errorRate: 1, statuses: [412] });
    w.h.aws.resetCalls();
    const outcome = await w.invoke(FUNCTION.addToThreatIntelSet, { ...where, aws_gd_ip_addresses: '203.0.113.7' });
    expect(outcome).toEqual({
      success: false, content: {},
      reason: 's3://soc-lists/threats.txt kept changing while it was edited (8 attempts); nothing was lost, run the function again',
    });
    expect([calls('s3:GetObject'), calls('s3:PutObject'), calls('guardduty:UpdateThreatIntelSet')]).toEqual([8, 8, 0]);
  });

  it('a redelivery after the write still has GuardDuty reload the list (no second write)', async () => {
    w = await startHandlerWorld();
    const where = await threatList();
    // The first run writes the object, then its UpdateThreatIntelSet fails (as a crash there would leave it).
    const fault = w.h.aws.setFault({ service: 'guardduty', operation: 'UpdateThreatIntelSet', failNext: 3, statuses: [500] });
    const first = await w.invoke(FUNCTION.addToThreatIntelSet, { ...where, aws_gd_ip_addresses: '203.0.113.7' }, 'ID:same');
    expect(first.success).toBe(false);
    expect(first.reason).toMatch(/GuardDuty UpdateThreatIntelSet in us-east-1 failed/);
    expect(w.h.aws.getObjectText('soc-lists', 'threats.txt')?.text).toBe('203.0.113.7\n');
    w.h.aws.clearFaults(fault);
    w.h.aws.resetCalls();
    const again = await w.invoke(FUNCTION.addToThreatIntelSet, { ...where, aws_gd_ip_addresses: '203.0.113.7' }, 'ID:same');
    expect(again).toMatchObject({ success: true, content: { added: [], already_present: ['203.0.113.7'], entries: 1 } });
    expect([calls('s3:PutObject'), calls('guardduty:UpdateThreatIntelSet')]).toEqual([0, 1]);
    expect(w.h.aws.threatLists()[0]?.lastLoad?.entries).toEqual(['203.0.113.7']);
  });

  it('an S3 failure other than a lost race is a failed result naming S3 and the operation', async () => {
    w = await startHandlerWorld();
    const where = await threatList();
    w.h.aws.setFault({ service: 's3', operation: 'GetObject', errorRate: 1, statuses: [403] });
    const outcome = await w.invoke(FUNCTION.addToThreatIntelSet, { ...where, aws_gd_ip_addresses: '203.0.113.7' });
    expect(outcome.success).toBe(false);
    expect(outcome.reason).toMatch(/^S3 GetObject in us-east-1 failed: .*403/);
    expect(w.h.aws.getObjectText('soc-lists', 'threats.txt')).toBeUndefined();
  });
});
