import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const ADMIN = '111111111111';
const MEMBER_A = '222222222222';
const MEMBER_B = '333333333333';
const REGIONS = ['us-east-1', 'eu-west-1'];
const config = (extra: Record<string, string>): Record<string, string> => ({ aws_gd_regions: '^(us-east-1|eu-west-1)$', ...extra });

describe('administrator mode: one account sees every member', () => {
  it('escalates members\' findings, filters accounts by the criteria, and archives through the administrator detector', async () => {
    h = await startHarness({
      findings: 0,
      aws: {
        accounts: [
          { accountId: ADMIN, accessKeys: ['AKIAADMIN00000000001'], regions: REGIONS },
          { accountId: MEMBER_A, accessKeys: ['AKIAMEMBERA000000001'], regions: REGIONS, administrator: ADMIN },
          { accountId: MEMBER_B, accessKeys: ['AKIAMEMBERB000000001'], regions: REGIONS, administrator: ADMIN },
        ],
      },
      config: config({ aws_gd_access_key_id: 'AKIAADMIN00000000001', aws_gd_accounts_exclude: MEMBER_B }),
    });
    const a = h.aws.generateFindings({ account: MEMBER_A, count: 3, updatedAt: Date.now() });
    h.aws.generateFindings({ account: MEMBER_B, count: 2, updatedAt: Date.now() });
    expect((await h.once()).code).toBe(0);
    expect(h.incidents().map((i) => i.properties.aws_guardduty_account_id)).toEqual([MEMBER_A, MEMBER_A, MEMBER_A]);

    const closed = h.incidentFor(String(a[0]?.id));
    h.soar.closeIncident(closed?.id ?? 0, { resolution: 'Resolved', summary: 'Contained.' });
    h.aws.resetCalls();
    expect((await h.once()).code).toBe(0);
    expect(h.aws.getFinding(String(a[0]?.id))?.service?.archived).toBe(true);
    // The administrator's key archived it (a member's own detector would have refused).
    expect(h.aws.calls().byAccessKey.AKIAADMIN00000000001?.['guardduty:ArchiveFindings']).toBe(1);
  });
});

describe('role-per-account mode: no administrator, one assumed role per account', () => {
  it('polls each account with its own credentials, keys state by account, and archives in the finding\'s own account', async () => {
    const role = { name: 'GuardDutySoar', externalId: 'soc-7f3a' };
    h = await startHarness({
      findings: 0,
      aws: {
        accounts: [
          { accountId: '444444444444', accessKeys: ['AKIATOOLING000000001'], regions: [] },
          { accountId: MEMBER_A, regions: REGIONS, roles: [role] },
          { accountId: MEMBER_B, regions: REGIONS, roles: [role] },
        ],
      },
      config: config({
        aws_gd_access_key_id: 'AKIATOOLING000000001',
        aws_gd_role_arns: `arn:aws:iam::${MEMBER_A}:role/GuardDutySoar, arn:aws:iam::${MEMBER_B}:role/GuardDutySoar`,
        aws_gd_external_id: 'soc-7f3a',
      }),
    });
    const fa = h.aws.generateFindings({ account: MEMBER_A, count: 2, updatedAt: Date.now() });
    const fb = h.aws.generateFindings({ account: MEMBER_B, count: 2, updatedAt: Date.now() });
    expect((await h.once()).code).toBe(0);
    expect(h.incidents()).toHaveLength(4);
    const calls = h.aws.calls().byAccessKey;
    // The tooling key only assumes the roles; each account's GuardDuty is read with its own temporary key.
    expect(Object.keys(calls.AKIATOOLING000000001 ?? {}).sort()).toEqual(['sts:AssumeRole']);
    const temporary = Object.keys(calls).filter((k) => k.startsWith('ASIA'));
    expect(temporary).toHaveLength(2);
    for (const key of temporary) expect(calls[key]?.['guardduty:ListFindings']).toBe(REGIONS.length);

    const status = await h.cli(['status', '--json', '--config', h.configPath]);
    const report = JSON.parse(status.stdout) as { regions: { account: string; region: string; cursor: string | null }[] };
    expect(report.regions.map((r) => `${r.account}/${r.region}`).sort()).toEqual(
      [MEMBER_A, MEMBER_B].flatMap((acct) => REGIONS.map((r) => `${acct}/${r}`)).sort(),
    );

    const target = h.incidentFor(String(fb[1]?.id));
    h.soar.closeIncident(target?.id ?? 0, { resolution: 'Duplicate', summary: 'Same as another case.' });
    expect((await h.once()).code).toBe(0);
    expect(h.aws.getFinding(String(fb[1]?.id))?.service?.archived).toBe(true);
    expect(h.aws.getFinding(String(fa[0]?.id))?.service?.archived).toBe(false);
  });
});
