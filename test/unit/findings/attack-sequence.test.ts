import { describe, expect, it } from 'vitest';
import { attackSequence, isAttackSequence, memberFindingId, memberSignals } from '../../../src/findings/attack-sequence.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

const SEQUENCE = { AccountId: '111122223333', Region: 'eu-west-1' };
const DETECTOR = 'arn:aws:guardduty:eu-west-1:111122223333:detector/5ec0a7b1c2d3e4f5a6b7c8d9e0f1a2b3';

describe('attack sequence reader', () => {
  it('a FINDING signal names its member by finding id or by ARN, in the sequence’s own account and region only', () => {
    expect(memberFindingId({ type: 'FINDING', uid: 'aaaa0000000000000000000000000001' }, SEQUENCE)).toBe('aaaa0000000000000000000000000001');
    expect(memberFindingId({ type: 'FINDING', uid: `${DETECTOR}/finding/abc123` }, SEQUENCE)).toBe('abc123');
    expect(memberFindingId({ type: 'FINDING', uid: `${DETECTOR.replace('eu-west-1', 'us-east-1')}/finding/abc123` }, SEQUENCE)).toBeUndefined();
    expect(memberFindingId({ type: 'FINDING', uid: `${DETECTOR.replace('111122223333', '999999999999')}/finding/abc123` }, SEQUENCE)).toBeUndefined();
    expect(memberFindingId({ type: 'FINDING', uid: 'not/a finding' }, SEQUENCE)).toBeUndefined();
    expect(memberFindingId({ type: 'CLOUD_TRAIL', uid: 'aaaa0000000000000000000000000001' }, SEQUENCE)).toBeUndefined();
  });

  it('the members of a sequence, each once, with the signal that names it', () => {
    const members = memberSignals(loadFinding('attack-sequence-s3-compromised-data'));
    expect([...members.keys()]).toEqual(['aaaa0000000000000000000000000001', 'aaaa0000000000000000000000000003']);
    expect(members.get('aaaa0000000000000000000000000003')?.name).toBe('Exfiltration:S3/AnomalousBehavior');
  });

  it('sequences are recognised by type or by their Detection.Sequence; other findings have none', () => {
    expect(isAttackSequence(loadFinding('attack-sequence-s3-compromised-data'))).toBe(true);
    expect(isAttackSequence(loadFinding('critical-attack-sequence'))).toBe(true);
    expect(isAttackSequence(loadFinding('iam-anomalous-behavior'))).toBe(false);
    expect(attackSequence(loadFinding('port-probe-two-details'))).toBeUndefined();
    expect(attackSequence(loadFinding('attack-sequence-s3-compromised-data'))?.additionalTypes).toEqual(['AttackSequence:IAM/CompromisedCredentials']);
  });
});
