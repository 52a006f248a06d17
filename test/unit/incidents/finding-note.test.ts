import { describe, expect, it } from 'vitest';
import { findingNote } from '../../../src/incidents/finding-note.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

const origin = { region: 'us-east-1', detectorId: 'det-1' };

describe('findingNote', () => {
  it('holds the whole finding as pretty-printed JSON in its own key order, under a heading', () => {
    const finding = loadFinding('port-probe-two-details');
    const note = findingNote(finding, origin);
    expect(note.format).toBe('text');
    const [heading, ...rest] = note.content.split('\n');
    expect(heading).toBe(
      'AWS GuardDuty finding 5e1a0c4b9f2d4e7a8b3c6d9e0f1a2b3c (Recon:EC2/PortProbeUnprotectedPort), as of 2025-01-02T05:06:07.890Z:',
    );
    const json = rest.join('\n');
    expect(json).toBe(JSON.stringify(finding, null, 2));
    expect(JSON.parse(json)).toEqual(finding);
  });

  it('keeps hostile text as JSON-escaped text', () => {
    const finding = loadFinding('hostile-strings');
    const content = findingNote(finding, origin).content;
    expect(JSON.parse(content.slice(content.indexOf('\n') + 1))).toEqual(finding);
    const raw = [...content].filter((c) => c.charCodeAt(0) < 0x20 && c !== '\n');
    expect(raw).toEqual([]);
  });

  it('cuts a finding above the limit, saying how much was cut and where to see it whole', () => {
    const finding = { ...loadFinding('s3-two-buckets'), Description: 'x'.repeat(5000) };
    const content = findingNote(finding, origin, 2000).content;
    expect(content.length).toBeLessThan(2600);
    expect(content).toMatch(/\[TRUNCATED: the last [\d,]+ of [\d,]+ characters of this finding are not shown\./);
    expect(content).toContain('GuardDuty console (region us-east-1, finding aa11bb22cc33dd44ee55ff6677889900)');
    expect(content).toContain('aws guardduty get-findings --region us-east-1 --detector-id det-1 --finding-ids aa11bb22cc33dd44ee55ff6677889900]');
  });

  it('does not cut a 100 KB description under the default limit', () => {
    const finding = { ...loadFinding('s3-two-buckets'), Description: 'y'.repeat(100 * 1024) };
    expect(findingNote(finding, origin).content).not.toContain('TRUNCATED');
  });
});
