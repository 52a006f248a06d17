import { describe, expect, it } from 'vitest';
import { accountLine, describedWithAccount, discoveredDate, incidentDescription, incidentName, truncateText } from '../../../src/incidents/incident-summary.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

describe('incident name, description and discovered date', () => {
  it('names the incident after the title', () => {
    expect(incidentName(loadFinding('dns-request'))).toBe(
      'AWS GuardDuty: Bitcoin-related domain name queried by EC2 instance i-0abc1234def567890.',
    );
  });

  it('without a title, names the type and creation date; without a description, says so', () => {
    const finding = loadFinding('no-title-no-severity');
    expect(incidentName(finding)).toBe('AWS GuardDuty: Recon:EC2/Portscan finding created 2025-07-07T07:07:07.007Z');
    expect(incidentName({ ...finding, Title: '   ' })).toBe(incidentName(finding));
    expect(incidentDescription(finding)).toBe(
      'GuardDuty sent no description for this Recon:EC2/Portscan finding in account 123456789012, region us-east-1. The finding itself is in the first note.',
    );
  });

  it('cuts long names to 255 characters with an ellipsis, never inside an emoji', () => {
    const name = incidentName({ ...loadFinding('dns-request'), Title: 'a'.repeat(300) });
    expect(name).toHaveLength(255);
    expect(name.endsWith('a…')).toBe(true);
    const cut = truncateText(`${'b'.repeat(253)}😀😀`, 255);
    expect(cut).toBe(`${'b'.repeat(253)}…`);
  });

  it('account line: the account and region, whatever GuardDuty sent', () => {
    expect(accountLine('111122223333', 'us-east-1')).toBe('AWS account 111122223333, us-east-1.');
    expect(accountLine(' 111122223333 ', '')).toBe('AWS account 111122223333.');
    expect(accountLine(undefined, null)).toBe('AWS account unknown.');
    expect(describedWithAccount('AWS account 1, r.', 'What happened.')).toBe('AWS account 1, r.\n\nWhat happened.');
  });

  it('discovered date: CreatedAt in epoch ms, else UpdatedAt, else now', () => {
    const finding = loadFinding('dns-request');
    expect(discoveredDate(finding, 1)).toBe(Date.UTC(2025, 4, 5, 5, 5, 5, 5));
    expect(discoveredDate({ ...finding, CreatedAt: 'garbage' }, 1)).toBe(Date.UTC(2025, 4, 5, 5, 6, 0));
    expect(discoveredDate({ ...finding, CreatedAt: 'garbage', UpdatedAt: '' }, 1234)).toBe(1234);
    expect(discoveredDate({ ...finding, CreatedAt: '2025-05-05T05:05:05' }, 1)).toBe(Date.UTC(2025, 4, 5, 5, 5, 5));
  });
});
