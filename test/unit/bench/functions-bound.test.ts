import { describe, expect, it } from 'vitest';
import { functionsBound } from '../../../bench/functions.js';

/** The functions scenario's bound: the SOAR slots, or the workers' refreshes one after another, whichever is longer. */
describe('functionsBound', () => {
  it('with fewer SOAR slots than workers: the first GetFindings, then the SOAR calls four at a time', () => {
    const bound = functionsBound(200, 815, { awsMs: 20, soarMs: 30, concurrency: 4 });
    expect(bound.soarShareMs).toBeCloseTo((30 * 815) / 4);
    expect(bound.ms).toBeCloseTo(20 + (30 * 815) / 4);
    expect(bound.awsShareMs).toBeCloseTo(20);
  });

  it('with more SOAR slots than workers: 25 workers, each doing its eight refreshes one after another', () => {
    const bound = functionsBound(200, 800, { awsMs: 20, soarMs: 30, concurrency: 100 });
    // Eight rounds of (GetFindings 20 ms + four SOAR calls of 30 ms) beat 20 + 800 × 30 ÷ 25 = 980 ms.
    expect(bound.ms).toBeCloseTo(8 * (20 + 4 * 30));
    expect(bound.soarShareMs).toBeCloseTo((30 * 800) / 25);
  });
});
