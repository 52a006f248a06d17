import { describe, expect, it } from 'vitest';
import { findingJson } from '../../../src/incidents/finding-note.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

const origin = { region: 'us-east-1', detectorId: 'det-1' };

describe('findingJson (the JSON block of the first note)', () => {
  it('is the whole finding as pretty-printed JSON in its own key order', () => {
    const finding = loadFinding('port-probe-two-details');
    const json = findingJson(finding, origin);
    expect(json).toBe(JSON.stringify(finding, null, 2));
    expect(JSON.parse(json)).toEqual(finding);
  });

  it('keeps hostile text as JSON-escaped text', () => {
    const finding = loadFinding('hostile-strings');
    const json = findingJson(finding, origin);
    expect(JSON.parse(json)).toEqual(finding);
    expect([...json].filter((c) => c.charCodeAt(0) < 0x20 && c !== '\n')).toEqual([]);
  });

  it('cuts a finding above the limit, saying how much was cut and where to see it whole', () => {
    const finding = { ...loadFinding('s3-two-buckets'), Description: 'x'.repeat(5000) };
    const json = findingJson(finding, origin, 2000);
    expect(json.length).toBeLessThan(2600);
    expect(json).toMatch(/\[TRUNCATED: the last [\d,]+ of [\d,]+ characters of this finding are not shown\./);
    expect(json).toContain('GuardDuty console (region us-east-1, finding aa11bb22cc33dd44ee55ff6677889900)');
    expect(json).toContain('aws guardduty get-findings --region us-east-1 --detector-id det-1 --finding-ids aa11bb22cc33dd44ee55ff6677889900]');
  });

  it('does not cut a 100 KB description under the default limit', () => {
    const finding = { ...loadFinding('s3-two-buckets'), Description: 'y'.repeat(100 * 1024) };
    expect(findingJson(finding, origin)).not.toContain('TRUNCATED');
  });
});
