import {
  ArchiveFindingsCommand, BadRequestException, GetAdministratorAccountCommand, GetFindingsCommand, ListFindingsCommand, UnarchiveFindingsCommand,
} from '@aws-sdk/client-guardduty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator } from '../../../../emulators/aws/index.js';
import { clients } from './sdk-clients.js';

const ADMIN = '111111111111';
const MEMBER = '222222222222';
const adminKey = { accessKeyId: 'AKIAADMIN00000000001', secretAccessKey: 'x' };
const memberKey = { accessKeyId: 'AKIAMEMBER0000000001', secretAccessKey: 'x' };

describe('administrator and member accounts', () => {
  let emu: AwsEmulator;

  beforeAll(async () => {
    emu = await startAwsEmulator({
      accounts: [
        { accountId: ADMIN, accessKeys: [adminKey.accessKeyId], regions: ['us-east-1', 'eu-west-1'] },
        { accountId: MEMBER, accessKeys: [memberKey.accessKeyId], regions: ['us-east-1'], administrator: ADMIN },
      ],
    });
    emu.generateFindings({ account: ADMIN, region: 'us-east-1', count: 3 });
    emu.generateFindings({ account: MEMBER, region: 'us-east-1', count: 4 });
    emu.generateFindings({ account: ADMIN, region: 'eu-west-1', count: 2 });
  });
  afterAll(() => emu.close());

  const adminDetector = () => emu.detectorsOf(ADMIN)['us-east-1'];
  const memberDetector = () => emu.detectorsOf(MEMBER)['us-east-1'];

  it("shows the members' findings (same region) to the administrator, with the member's accountId", async () => {
    const gd = clients(emu.url, adminKey).gd;
    const ids = (await gd.send(new ListFindingsCommand({ DetectorId: adminDetector() }))).FindingIds ?? [];
    expect(ids).toHaveLength(7);
    const findings = (await gd.send(new GetFindingsCommand({ DetectorId: adminDetector(), FindingIds: ids }))).Findings ?? [];
    expect(findings.filter((f) => f.AccountId === MEMBER)).toHaveLength(4);
    const memberOnly = await clients(emu.url, memberKey).gd.send(new ListFindingsCommand({ DetectorId: memberDetector() }));
    expect(memberOnly.FindingIds).toHaveLength(4);
  });

  it("refuses ArchiveFindings on a member's detector; the administrator archives member findings", async () => {
    const [memberFinding] = emu.listFindings({ account: MEMBER });
    const member = clients(emu.url, memberKey).gd;
    const err = await member.send(new ArchiveFindingsCommand({ DetectorId: memberDetector(), FindingIds: [memberFinding.id] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    expect((err as Error).message).toMatch(/member account.*Only the administrator account can archive findings/);
    await expect(member.send(new UnarchiveFindingsCommand({ DetectorId: memberDetector(), FindingIds: [memberFinding.id] }))).rejects.toBeInstanceOf(BadRequestException);
    await clients(emu.url, adminKey).gd.send(new ArchiveFindingsCommand({ DetectorId: adminDetector(), FindingIds: [memberFinding.id] }));
    expect(emu.getFinding(memberFinding.id)!.service.archived).toBe(true);
  });

  it("does not let one account use another's detector", async () => {
    await expect(clients(emu.url, memberKey).gd.send(new ListFindingsCommand({ DetectorId: adminDetector() }))).rejects.toBeInstanceOf(BadRequestException);
  });

  it('names the administrator of a member', async () => {
    const out = await clients(emu.url, memberKey).gd.send(new GetAdministratorAccountCommand({ DetectorId: memberDetector() }));
    expect(out.Administrator).toMatchObject({ AccountId: ADMIN, RelationshipStatus: 'Enabled' });
    const admin = await clients(emu.url, adminKey).gd.send(new GetAdministratorAccountCommand({ DetectorId: adminDetector() }));
    expect(admin.Administrator).toBeUndefined();
  });

  it('counts calls per access key', () => {
    const byKey = emu.calls().byAccessKey;
    expect(byKey[adminKey.accessKeyId]?.['guardduty:ListFindings']).toBe(1);
    expect(byKey[memberKey.accessKeyId]?.['guardduty:ArchiveFindings']).toBe(1);
  });
});
