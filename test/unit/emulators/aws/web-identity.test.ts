import { ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator } from '../../../../emulators/aws/index.js';
import { clients } from './sdk-clients.js';

const ACCOUNT = '123456789012';

/** A JWT as an OIDC provider (EKS, GitHub) issues it; the emulator reads the claims, not the signature. */
function jwt(claims: Record<string, unknown>): string {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

describe('STS AssumeRoleWithWebIdentity (unsigned, as the SDK sends it)', () => {
  let emu: AwsEmulator;
  // No credentials at all: the SDK must not sign this operation, and the emulator must not ask it to.
  const sts = (): STSClient => new STSClient({ endpoint: emu.url, region: 'us-east-1', credentials: async () => Promise.reject(new Error('no credentials')) });

  beforeAll(async () => {
    emu = await startAwsEmulator({ accounts: [{ accountId: ACCOUNT, acceptAnyAccessKey: true, regions: ['us-east-1'], roles: ['PodRole'] }] });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('issues temporary credentials for the role, echoing the token subject, audience and provider', async () => {
    const token = jwt({ sub: 'system:serviceaccount:soar:guardduty-soar', aud: 'sts.amazonaws.com', iss: 'https://oidc.eks.example.com/id/ABC' });
    const out = await sts().send(new AssumeRoleWithWebIdentityCommand({
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/PodRole`, RoleSessionName: 'pod-1', WebIdentityToken: token, DurationSeconds: 900,
    }));
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(out.SubjectFromWebIdentityToken).toBe('system:serviceaccount:soar:guardduty-soar');
    expect(out.Audience).toBe('sts.amazonaws.com');
    expect(out.Provider).toBe('https://oidc.eks.example.com/id/ABC');
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/PodRole/pod-1`);
    const c = out.Credentials!;
    const temp = clients(emu.url, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
    expect(await temp.sts.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: ACCOUNT, Arn: out.AssumedRoleUser?.Arn });
    expect((await temp.gd.send(new ListDetectorsCommand({}))).DetectorIds).toHaveLength(1);
    // The call was counted without an access key (it had none).
    const record = emu.calls().records.find((r) => r.operation === 'AssumeRoleWithWebIdentity');
    expect(record).toMatchObject({ service: 'sts', accessKeyId: undefined, status: 200 });
  });

  it('refuses unknown roles, malformed JWTs and tokens that are too short, as STS does', async () => {
    const attempt = (RoleArn: string, WebIdentityToken: string) =>
      sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn, RoleSessionName: 'pod-1', WebIdentityToken }));
    await expect(attempt(`arn:aws:iam::${ACCOUNT}:role/Nope`, 'opaque-token')).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    await expect(attempt(`arn:aws:iam::${ACCOUNT}:role/PodRole`, 'a.%%%.c')).rejects.toMatchObject({ name: 'InvalidIdentityTokenException', $metadata: { httpStatusCode: 400 } });
    await expect(attempt(`arn:aws:iam::${ACCOUNT}:role/PodRole`, 'abc')).rejects.toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
  });

  it('still requires a signature for every other STS operation', async () => {
    const res = await fetch(emu.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });
});
