import { describe, expect, it } from 'vitest';
import { CUSTOM_FIELDS, fieldLabel, mapProperties } from '../../../src/incidents/custom-fields.js';
import type { Finding } from '../../../src/findings/finding.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

describe('custom incident fields', () => {
  it('declares IBM’s twelve fields, all text except the boolean trigger, then the attack sequence’s incident', () => {
    expect(CUSTOM_FIELDS.map((f) => [f.name, f.inputType])).toEqual([
      ['aws_guardduty_finding_id', 'text'], ['aws_guardduty_finding_arn', 'text'], ['aws_guardduty_finding_type', 'text'],
      ['aws_guardduty_finding_updated_at', 'text'], ['aws_guardduty_region', 'text'], ['aws_guardduty_account_id', 'text'],
      ['aws_guardduty_severity', 'text'], ['aws_guardduty_resource_type', 'text'], ['aws_guardduty_detector_id', 'text'],
      ['aws_guardduty_count', 'text'], ['aws_guardduty_archived', 'text'], ['aws_guardduty_trigger_refresh', 'boolean'],
      ['aws_guardduty_sequence_incident', 'text'],
    ]);
    for (const field of CUSTOM_FIELDS) {
      expect(field.label).toMatch(/^AWS GuardDuty /);
      expect(field.tooltip).toBeTruthy();
      expect(`${field.name} ${field.label} ${field.tooltip}`).not.toMatch(/guarddduty|GuarDuty|Resource Updated At|an refresh|this is GuardDuty/);
    }
    expect(fieldLabel('aws_guardduty_finding_updated_at')).toBe('AWS GuardDuty Finding Updated At');
    expect(fieldLabel('properties.aws_guardduty_count')).toBe('AWS GuardDuty Count');
    expect(fieldLabel('severity_code')).toBe('Severity');
  });
});

describe('mapProperties', () => {
  it('maps a finding to the property values, with the polled region and detector', () => {
    expect(mapProperties(loadFinding('port-probe-two-details'), { region: 'us-east-1', detectorId: 'det-polled' })).toEqual({
      aws_guardduty_finding_id: '5e1a0c4b9f2d4e7a8b3c6d9e0f1a2b3c',
      aws_guardduty_finding_arn:
        'arn:aws:guardduty:us-east-1:123456789012:detector/7ab4e2f1c0d94b8e9a6f3c2d1e0f9a8b/finding/5e1a0c4b9f2d4e7a8b3c6d9e0f1a2b3c',
      aws_guardduty_finding_type: 'Recon:EC2/PortProbeUnprotectedPort',
      aws_guardduty_finding_updated_at: '2025-01-02T05:06:07.890Z',
      aws_guardduty_region: 'us-east-1',
      aws_guardduty_account_id: '123456789012',
      aws_guardduty_severity: '2',
      aws_guardduty_resource_type: 'Instance',
      aws_guardduty_detector_id: 'det-polled',
      aws_guardduty_count: '3',
      aws_guardduty_archived: 'False',
      aws_guardduty_trigger_refresh: false,
    });
  });

  it('uses the polled region when the finding names another, and writes a fractional severity as is', () => {
    const finding = { ...loadFinding('critical-attack-sequence'), Region: 'us-west-1' };
    const props = mapProperties(finding, { region: 'us-east-1', detectorId: 'd' });
    expect(props.aws_guardduty_region).toBe('us-east-1');
    expect(props.aws_guardduty_severity).toBe('9.5');
    expect(props.aws_guardduty_account_id).toBe('123456789012');
  });

  it('archived findings say "True"', () => {
    const finding = loadFinding('dns-request');
    finding.Service = { ...finding.Service, Archived: true };
    expect(mapProperties(finding, { region: 'us-east-1', detectorId: 'd' }).aws_guardduty_archived).toBe('True');
  });

  it('a finding without severity, resource or service leaves those values empty', () => {
    const props = mapProperties(loadFinding('no-title-no-severity'), { region: 'us-east-1', detectorId: 'd' });
    expect(props).toMatchObject({ aws_guardduty_archived: 'False', aws_guardduty_detector_id: 'd', aws_guardduty_trigger_refresh: false });
    expect(props.aws_guardduty_severity).toBeUndefined();
    expect(props.aws_guardduty_resource_type).toBeUndefined();
    expect(props.aws_guardduty_count).toBeUndefined();
    const odd = { ...loadFinding('no-title-no-severity'), Severity: 'abc' } as unknown as Finding;
    expect(mapProperties(odd, { region: 'us-east-1', detectorId: 'd' }).aws_guardduty_severity).toBeUndefined();
  });
});
