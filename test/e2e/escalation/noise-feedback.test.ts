import { afterEach, describe, expect, it } from 'vitest';
import { logLines, startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('noise control', () => {
  it('filters by finding type (include and exclude regexes) and by extra GuardDuty criteria', async () => {
    h = await startHarness({
      findings: 0,
      config: {
        aws_gd_finding_types_include: '^(Recon|UnauthorizedAccess|Backdoor):EC2/',
        aws_gd_finding_types_exclude: 'SSHBruteForce',
        aws_gd_finding_criteria: '{"resource.resourceType": {"equals": ["Instance"]}}',
      },
    });
    const types = ['Recon:EC2/PortProbeUnprotectedPort', 'UnauthorizedAccess:EC2/SSHBruteForce', 'Backdoor:EC2/C&CActivity.B!DNS', 'Policy:IAMUser/RootCredentialUsage'];
    for (const type of types) h.aws.generateFindings({ count: 1, type, region: 'us-east-1', updatedAt: Date.now() });
    const result = await h.once();
    expect(result.code).toBe(0);
    expect(h.incidents().map((i) => i.properties.aws_guardduty_finding_type).sort()).toEqual(['Backdoor:EC2/C&CActivity.B!DNS', 'Recon:EC2/PortProbeUnprotectedPort']);
    // The criteria went to GuardDuty: the access-key finding was not even listed; the type filters
    // then skipped the SSH brute force.
    const summary = logLines(result.stdout).find((l) => l.message === 'Region summary' && l.region === 'us-east-1');
    expect(summary).toMatchObject({ listed: 3, created: 2, skipped: 1 });
  });

  it('maps GuardDuty severity bands to the SOAR names the operator chose', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_severity_map: 'Low=Medium; Critical=High' } });
    h.aws.generateFindings({ count: 1, region: 'us-east-1', severity: 2, updatedAt: Date.now() });
    h.aws.generateFindings({ count: 1, region: 'us-east-1', severity: 9.5, updatedAt: Date.now() });
    await h.once();
    const bySeverity = Object.fromEntries(h.incidents().map((i) => [String(i.properties.aws_guardduty_severity), i.severity]));
    expect(bySeverity).toEqual({ '2': 'Medium', '9.5': 'High' });
  });
});

describe('feedback to GuardDuty', () => {
  it('sends the feedback the resolution maps to before archiving, and none for an unmapped resolution', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_feedback_map: 'Duplicate=NONE; Unresolved=NOT_USEFUL' } });
    const findings = h.aws.generateFindings({ count: 4, region: 'us-east-1', updatedAt: Date.now() });
    await h.once();
    const ids = findings.map((f) => String(f.id));
    const resolutions = ['Not an Issue', 'Resolved', 'Duplicate', 'Unresolved'];
    ids.forEach((id, i) => h.soar.closeIncident(h.incidentFor(id)?.id ?? 0, { resolution: resolutions[i], summary: 'Reviewed.' }));
    h.aws.resetCalls();
    expect((await h.once()).code).toBe(0);
    const feedback = ids.map((id) => h.aws.getFinding(id)?.service?.userFeedback ?? null);
    expect(feedback).toEqual(['NOT_USEFUL', 'USEFUL', null, 'NOT_USEFUL']);
    for (const id of ids) expect(h.aws.getFinding(id)?.service?.archived).toBe(true);
    const ops = h.aws.calls().records.map((r) => r.operation);
    // One call per (feedback, resolution): the comment names the resolution.
    expect(ops.filter((op) => op === 'UpdateFindingsFeedback')).toHaveLength(3);
    expect(ops.lastIndexOf('UpdateFindingsFeedback')).toBeLessThan(ops.indexOf('ArchiveFindings'));
  });
});
