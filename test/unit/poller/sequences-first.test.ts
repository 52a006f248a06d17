import { describe, expect, it } from 'vitest';
import { sequencesFirst } from '../../../src/poller/sequences-first.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

describe('sequencesFirst', () => {
  const page = [loadFinding('iam-anomalous-behavior'), loadFinding('attack-sequence-s3-compromised-data'), loadFinding('port-probe-two-details')];

  it('with fold, syncs the attack sequences of a page before the rest; results keep the page order', async () => {
    const order: string[] = [];
    const results = await sequencesFirst(page, true, async (f) => {
      order.push(f.Type);
      await Promise.resolve();
      return f.Id;
    });
    expect(order).toEqual(['AttackSequence:S3/CompromisedData', 'Discovery:IAMUser/AnomalousBehavior', 'Recon:EC2/PortProbeUnprotectedPort']);
    expect(results).toEqual(page.map((f) => f.Id));
  });

  it('otherwise, syncs the page all at once in its order', async () => {
    const order: string[] = [];
    await sequencesFirst(page, false, (f) => Promise.resolve(order.push(f.Type)));
    expect(order).toEqual(page.map((f) => f.Type));
  });
});
