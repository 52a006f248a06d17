import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_MAP } from '../../../src/findings/severity.js';
import { buildTemplateContext, closeSummary } from '../../../src/incidents/template-context.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

const options = { region: 'eu-west-1', detectorId: 'det-polled', severityMap: DEFAULT_SEVERITY_MAP, now: Date.UTC(2025, 1, 11) };

describe('buildTemplateContext', () => {
  it('assembles everything a template sees for one finding', () => {
    const finding = loadFinding('s3-two-buckets');
    const context = buildTemplateContext(finding, options);
    expect(Object.keys(context).sort()).toEqual([
      'account_id', 'account_line', 'artifactInputs', 'artifacts', 'close_summary', 'description', 'detector_id', 'discovered_date',
      'finding', 'incident_description', 'incident_name', 'note', 'properties', 'reason', 'region', 'severity',
    ]);
    expect(context.finding).toBe(finding);
    expect(context.incident_name).toBe('AWS GuardDuty: S3 bucket discovery from a known malicious IP address.');
    expect(context.severity).toEqual({ value: 8, band: 'High', name: 'High' });
    expect(context.discovered_date).toBe(Date.UTC(2025, 1, 10, 8));
    expect({ region: context.region, account: context.account_id, detector: context.detector_id }).toEqual({
      region: 'eu-west-1', account: '123456789012', detector: 'det-polled',
    });
    expect(context.artifacts[0]).toEqual({
      type: { name: 'IP Address' }, value: '198.51.100.23',
      description: { format: 'text', content: 'GuardDuty finding field Service.Action.AwsApiCallAction.RemoteIpDetails.IpAddressV4' },
    });
    expect(context.artifactInputs.map((a) => a.value)).toEqual(context.artifacts.map((a) => a.value));
    expect(context.note.format).toBe('html');
    expect(context.note.content.startsWith('<p><b>S3 bucket discovery from a known malicious IP address.</b></p>')).toBe(true);
    expect(context.note.content).toContain('<summary>The whole finding as GuardDuty sent it (JSON): aa11bb22cc33dd44ee55ff6677889900');
    expect(context.reason).toBe('archived');
    // The polled region, as in the custom field, not the one the finding claims.
    expect(context.account_line).toBe('AWS account 123456789012, eu-west-1.');
    expect(context.incident_description).toBe(`AWS account 123456789012, eu-west-1.\n\n${context.description}`);
  });

  it('the account line names the member account of each finding', () => {
    const context = buildTemplateContext(loadFinding('eks-exec-in-kube-system'), options);
    expect(context.account_line).toBe('AWS account 111122223333, eu-west-1.');
    expect(context.properties.aws_guardduty_account_id).toBe('111122223333');
    expect(context.incident_description.split('\n')[0]).toBe(context.account_line);
  });

  it('close summary for archival and for another reason', () => {
    const finding = loadFinding('dns-request');
    expect(closeSummary(finding, 'archived', Date.UTC(2025, 0, 1))).toBe(
      'Closed by guardduty-soar: the GuardDuty finding d05d05d05d05d05d05d05d05d05d05d0 was archived in GuardDuty (noticed on 2025-01-01T00:00:00.000Z).',
    );
    const context = buildTemplateContext(finding, { ...options, closeReason: 'it no longer exists in GuardDuty' });
    expect(context.close_summary).toBe(
      'Closed by guardduty-soar: the GuardDuty finding d05d05d05d05d05d05d05d05d05d05d0: it no longer exists in GuardDuty.',
    );
  });
});
