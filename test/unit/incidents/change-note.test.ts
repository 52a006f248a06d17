import { describe, expect, it } from 'vitest';
import { renderChangeNote } from '../../../src/incidents/change-note.js';
import { escapeHtml } from '../../../src/incidents/html.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

describe('renderChangeNote', () => {
  it('lists each changed field as label: old → new, then new rows and artifacts', () => {
    const note = renderChangeNote({
      reason: 'updated',
      finding: loadFinding('port-probe-two-details'),
      changes: [
        { field: 'aws_guardduty_count', oldValue: '3', newValue: '4' },
        { field: 'severity_code', oldValue: 'Low', newValue: 'Medium' },
        { field: 'aws_guardduty_severity', oldValue: null, newValue: '5' },
      ],
      rowsWritten: { gd_finding_overview: 1, gd_action_details: 2, gd_instance_details: 0 },
      artifactsAdded: [{ type: 'IP Address', value: '192.0.2.1', description: 'x' }],
    });
    expect(note).toEqual({
      format: 'html',
      content:
        '<p><b>GuardDuty finding updated</b>: 5e1a0c4b9f2d4e7a8b3c6d9e0f1a2b3c (Recon:EC2/PortProbeUnprotectedPort), as of 2025-01-02T05:06:07.890Z</p>' +
        '<ul><li>AWS GuardDuty Count: 3 → 4</li><li>Severity: Low → Medium</li><li>AWS GuardDuty Severity: <i>(empty)</i> → 5</li>' +
        '<li>1 new row in GuardDuty Finding Overview</li><li>2 new rows in GuardDuty Action/Actor Details</li>' +
        '<li>1 new artifact: IP Address 192.0.2.1</li></ul>',
    });
  });

  it('escapes every value: a <script> in a finding value stays text', () => {
    const note = renderChangeNote({
      reason: 'refresh',
      finding: loadFinding('hostile-strings'),
      changes: [{ field: 'aws_guardduty_resource_type', oldValue: '<script>alert(1)</script>', newValue: '"><img src=x>' }],
      rowsWritten: {},
      artifactsAdded: [{ type: 'aws_s3_bucket_name', value: 'bucket"><img src=x onerror=alert(2)>', description: 'x' }],
    });
    expect(note.content).not.toMatch(/<script|<img/);
    expect(note.content).toContain('&lt;script&gt;alert(1)&lt;/script&gt; → &quot;&gt;&lt;img src=x&gt;');
    expect(note.content).toContain('<b>GuardDuty finding refreshed on request</b>');
  });

  it('says so when nothing changed (a requested refresh still gets an answer)', () => {
    const note = renderChangeNote({ reason: 'refresh', finding: loadFinding('dns-request'), changes: [], rowsWritten: {}, artifactsAdded: [] });
    expect(note.content).toContain('<p>Nothing changed.</p>');
  });

  it('lists at most 20 new artifacts by value', () => {
    const artifactsAdded = Array.from({ length: 25 }, (_, i) => ({ type: 'Port', value: String(i), description: 'x' }));
    const note = renderChangeNote({ reason: 'updated', finding: loadFinding('dns-request'), changes: [], rowsWritten: {}, artifactsAdded });
    expect(note.content).toContain('25 new artifacts: Port 0, Port 1,');
    expect(note.content).toContain('Port 19, and 5 more');
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML characters and renders other values as text', () => {
    expect(escapeHtml('<a href="x">\'&</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&lt;/a&gt;');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(3)).toBe('3');
    expect(escapeHtml({ a: '<' })).toBe('{&quot;a&quot;:&quot;&lt;&quot;}');
  });
});

describe('renderChangeNote: an attack sequence that grew', () => {
  it('says first what happened (the new signals, escaped), then the fields and rows', () => {
    const note = renderChangeNote({
      reason: 'updated',
      finding: loadFinding('attack-sequence-s3-compromised-data'),
      changes: [{ field: 'aws_guardduty_finding_updated_at', oldValue: 'a', newValue: 'b' }],
      rowsWritten: { gd_sequence_signals: 1 },
      artifactsAdded: [],
      details: ['The attack sequence has 1 new signal: <Exfil> (GuardDuty finding)'],
    });
    expect(note.content).toContain('<ul><li>The attack sequence has 1 new signal: &lt;Exfil&gt; (GuardDuty finding)</li><li>AWS GuardDuty Finding Updated At: a → b</li>'
      + '<li>1 new row in GuardDuty Attack Sequence - Signals (timeline)</li></ul>');
  });
});
