import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallRecord } from '../../../emulators/aws/index.js';
import { prepare } from '../../../src/app/start.js';
import { buildApp, readAppConfig } from '../../../src/app/app.js';
import { runCycle } from '../../../src/poller/run-cycle.js';
import { logLines, startHarness, type Harness, type HarnessOptions } from '../../helpers/harness.js';

/**
 * Every AWS credential mode, end to end: the real CLI (a child process, so that the environment the
 * default chain reads is the test's alone) runs a cycle against the emulator, and the emulator's call
 * log shows which access key signed every GuardDuty, EC2 and STS call.
 */

let h: Harness | undefined;
const servers: http.Server[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
  await h?.close();
  h = undefined;
});

const ACCOUNT = '123456789012';
const TARGET = '210987654321';
const SOURCE_KEY = 'AKIASOURCEKEY0000001';

/** A harness whose config has no static keys: the default chain decides. */
async function withoutStaticKeys(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ findings: 3, ...options, config: { aws_gd_regions: '^(us-east-1|eu-west-1)$', ...options.config } });
  h.configure({ aws_gd_access_key_id: '', aws_gd_secret_access_key: '' });
  return h;
}

/** The environment of a daemon on a machine with nothing else configured: no ~/.aws, no instance metadata. */
function isolatedEnv(harness: Harness, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const home = path.join(harness.dir, 'home');
  fs.mkdirSync(home, { recursive: true });
  return { HOME: home, AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

/** Access keys that signed GuardDuty, EC2 and STS calls other than the credential exchange itself. */
function keysOfServiceCalls(records: CallRecord[]): string[] {
  return [...new Set(records.filter((r) => !r.operation.startsWith('AssumeRole')).map((r) => r.accessKeyId ?? 'unsigned'))];
}

async function once(harness: Harness, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  harness.aws.resetCalls();
  const result = await harness.cli(['once', '--config', harness.configPath], { env });
  expect(result.code, result.stdout + result.stderr).toBe(0);
  return result;
}

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const expiresIn = (ms: number): string => new Date(Date.now() + ms).toISOString();

describe('static keys', () => {
  it('sign every call, and win over keys in the environment', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^(us-east-1|eu-west-1)$' } });
    h.aws.generateFindings({ count: 3, region: 'us-east-1' });
    const result = await once(h, isolatedEnv(h, { AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT00001', AWS_SECRET_ACCESS_KEY: 'env-secret' }));
    expect(keysOfServiceCalls(h.aws.calls().records)).toEqual(['AKIAE2ETESTKEY000001']);
    expect(logLines(result.stdout).find((l) => l.message === 'AWS credentials')).toMatchObject({ mode: 'static keys (AKIAE2ETESTKEY000001)' });
    expect(h.incidents()).toHaveLength(3);
  });
});

describe('the default credential chain, when the configuration has no keys', () => {
  it('reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment', async () => {
    const harness = await withoutStaticKeys();
    const result = await once(harness, isolatedEnv(harness, { AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT00001', AWS_SECRET_ACCESS_KEY: 'env-secret' }));
    expect(keysOfServiceCalls(harness.aws.calls().records)).toEqual(['AKIAENVIRONMENT00001']);
    expect(logLines(result.stdout).find((l) => l.message === 'AWS credentials')).toMatchObject({ mode: 'the AWS default credential chain' });
  });

  it('reads a named profile from the shared credentials and config files, including a profile that assumes a role', async () => {
    const harness = await withoutStaticKeys({
      aws: { accounts: [{ accountId: ACCOUNT, acceptAnyAccessKey: true, regions: ['us-east-1', 'eu-west-1'], roles: [{ name: 'ProfileRole', externalId: 'profile-ext' }] }] },
    });
    const credentials = path.join(harness.dir, 'credentials');
    const config = path.join(harness.dir, 'config');
    fs.writeFileSync(credentials, '[default]\naws_access_key_id = AKIADEFAULTPROFILE01\naws_secret_access_key = d\n\n[soar]\naws_access_key_id = AKIASHAREDFILE000001\naws_secret_access_key = shared-secret\n');
    fs.writeFileSync(config, `[profile soar]\nregion = us-east-1\n\n[profile soar-role]\nrole_arn = arn:aws:iam::${ACCOUNT}:role/ProfileRole\nsource_profile = soar\nexternal_id = profile-ext\nrole_session_name = from-profile\n`);
    const files = { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config };
    await once(harness, isolatedEnv(harness, { ...files, AWS_PROFILE: 'soar' }));
    expect(keysOfServiceCalls(harness.aws.calls().records)).toEqual(['AKIASHAREDFILE000001']);

    const viaRole = await once(harness, isolatedEnv(harness, { ...files, AWS_PROFILE: 'soar-role' }));
    const records = harness.aws.calls().records;
    expect(records[0]).toMatchObject({ operation: 'AssumeRole', accessKeyId: 'AKIASHAREDFILE000001' });
    expect(keysOfServiceCalls(records)).toEqual([expect.stringMatching(/^ASIA/)]);
    expect(logLines(viaRole.stdout).find((l) => l.message === 'AWS identity')).toMatchObject({ arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ProfileRole/from-profile` });
  });

  it('reads the container role from AWS_CONTAINER_CREDENTIALS_FULL_URI (ECS, EKS Pod Identity), with its authorization token', async () => {
    const harness = await withoutStaticKeys();
    const seen: string[] = [];
    const endpoint = await serve((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
      if (req.headers.authorization !== 'container-token') return void res.writeHead(401).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        AccessKeyId: 'AKIACONTAINERROLE001', SecretAccessKey: 'container-secret', Token: 'container-session-token', Expiration: expiresIn(3_600_000),
      }));
    });
    await once(harness, isolatedEnv(harness, { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${endpoint}/v2/credentials`, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-token' }));
    expect(seen[0]).toBe('GET /v2/credentials container-token');
    expect(keysOfServiceCalls(harness.aws.calls().records)).toEqual(['AKIACONTAINERROLE001']);
  });

  it('reads the instance role from the instance metadata service (IMDSv2: a session token first)', async () => {
    const harness = await withoutStaticKeys();
    const seen: string[] = [];
    const imds = await serve((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.method === 'PUT' && req.url === '/latest/api/token') return void res.end('imds-session-token');
      if (req.headers['x-aws-ec2-metadata-token'] !== 'imds-session-token') return void res.writeHead(401).end();
      if (/security-credentials\/$/.test(req.url ?? '')) return void res.end('InstanceRole');
      if (/security-credentials\/InstanceRole$/.test(req.url ?? '')) {
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
          Code: 'Success', Type: 'AWS-HMAC', LastUpdated: new Date().toISOString(), AccessKeyId: 'AKIAINSTANCEROLE0001',
          SecretAccessKey: 'instance-secret', Token: 'instance-session-token', Expiration: expiresIn(3_600_000),
        }));
      }
      res.writeHead(404).end();
    });
    const env = isolatedEnv(harness, { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds });
    delete env.AWS_EC2_METADATA_DISABLED;
    await once(harness, env);
    expect(seen[0]).toBe('PUT /latest/api/token');
    expect(seen.some((s) => s.endsWith('/security-credentials/InstanceRole'))).toBe(true);
    expect(keysOfServiceCalls(harness.aws.calls().records)).toEqual(['AKIAINSTANCEROLE0001']);
  });

  it('exchanges a web identity token (EKS IRSA) with STS AssumeRoleWithWebIdentity at the configured STS endpoint', async () => {
    const harness = await withoutStaticKeys({
      aws: { accounts: [{ accountId: ACCOUNT, acceptAnyAccessKey: true, regions: ['us-east-1', 'eu-west-1'], roles: ['PodRole'] }] },
    });
    const tokenFile = path.join(harness.dir, 'token');
    const claims = Buffer.from(JSON.stringify({ sub: 'system:serviceaccount:soar:guardduty-soar', aud: 'sts.amazonaws.com' })).toString('base64url');
    fs.writeFileSync(tokenFile, `eyJhbGciOiJSUzI1NiJ9.${claims}.c2ln`);
    const result = await once(harness, isolatedEnv(harness, {
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/PodRole`, AWS_ROLE_SESSION_NAME: 'irsa-session',
    }));
    const records = harness.aws.calls().records;
    expect(records.filter((r) => r.operation === 'AssumeRoleWithWebIdentity')).toEqual([expect.objectContaining({ accessKeyId: undefined, status: 200 })]);
    expect(records[0]?.operation).toBe('AssumeRoleWithWebIdentity');
    expect(keysOfServiceCalls(records)).toEqual([expect.stringMatching(/^ASIA/)]);
    expect(logLines(result.stdout).find((l) => l.message === 'AWS identity')).toMatchObject({ arn: `arn:aws:sts::${ACCOUNT}:assumed-role/PodRole/irsa-session` });
  });

  it('finds no credentials at all: the cycle fails with a message that says where to put them', async () => {
    const harness = await withoutStaticKeys();
    harness.aws.resetCalls();
    const result = await harness.cli(['check', '--config', harness.configPath], { env: isolatedEnv(harness, {}) });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL +AWS identity \(default credential chain\): .*CredentialsProviderError/);
    expect(result.stdout).toContain('No AWS credentials were found');
    expect(harness.aws.calls().counts).toEqual({});
  });
});

describe('aws_gd_role_arn: every GuardDuty and EC2 call with credentials from STS AssumeRole', () => {
  const accounts = (maxSessionDurationSeconds = 43_200): NonNullable<HarnessOptions['aws']>['accounts'] => [
    { accountId: ACCOUNT, accessKeys: [SOURCE_KEY], regions: ['us-east-1'] },
    { accountId: TARGET, regions: ['us-east-1', 'eu-west-1'], roles: [{ name: 'GuardDutyReader', externalId: 'soar-7f3a', maxSessionDurationSeconds }] },
  ];
  const roleConfig = {
    aws_gd_access_key_id: SOURCE_KEY, aws_gd_role_arn: `arn:aws:iam::${TARGET}:role/GuardDutyReader`,
    aws_gd_role_session_name: 'soar-e2e', aws_gd_session_duration: '7200', aws_gd_external_id: 'soar-7f3a', aws_gd_regions: '^(us-east-1|eu-west-1)$',
  };

  it('the emulator sees AssumeRole (session name, duration, external id), then only calls signed with the temporary key', async () => {
    h = await startHarness({ findings: 0, aws: { accounts: accounts() }, config: roleConfig });
    h.aws.generateFindings({ count: 4, account: TARGET });
    const result = await once(h, isolatedEnv(h, {}));
    const records = h.aws.calls().records;
    expect(records[0]).toMatchObject({ service: 'sts', operation: 'AssumeRole', accessKeyId: SOURCE_KEY, status: 200 });
    expect(records.filter((r) => r.accessKeyId === SOURCE_KEY)).toHaveLength(1);
    const temporary = keysOfServiceCalls(records);
    expect(temporary).toEqual([expect.stringMatching(/^ASIA/)]);
    for (const op of ['sts:GetCallerIdentity', 'ec2:DescribeRegions', 'guardduty:ListDetectors', 'guardduty:ListFindings', 'guardduty:GetFindings']) {
      expect(h.aws.calls().byAccessKey[temporary[0] ?? '']?.[op], op).toBeGreaterThan(0);
    }
    expect(logLines(result.stdout).find((l) => l.message === 'AWS identity')).toMatchObject({
      account: TARGET, arn: `arn:aws:sts::${TARGET}:assumed-role/GuardDutyReader/soar-e2e`,
    });
    expect(h.incidents()).toHaveLength(4);
  });

  it('sends aws_gd_session_duration: a duration above the role maximum is refused by STS and reported', async () => {
    h = await startHarness({ findings: 0, aws: { accounts: accounts(3_600) }, config: roleConfig });
    const result = await h.cli(['check', '--config', h.configPath], { env: isolatedEnv(h, {}) });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL +AWS identity \(arn:aws:iam::210987654321:role\/GuardDutyReader\): .*ValidationError.*MaxSessionDuration/);
    h.configure({ aws_gd_session_duration: '3600' });
    expect((await h.cli(['check', '--config', h.configPath], { env: isolatedEnv(h, {}) })).code).toBe(0);
  });

  it('assumes the role with credentials from the default chain when the configuration has no keys', async () => {
    h = await startHarness({ findings: 0, aws: { accounts: accounts() }, config: roleConfig });
    h.configure({ aws_gd_access_key_id: '', aws_gd_secret_access_key: '' });
    h.aws.generateFindings({ count: 2, account: TARGET });
    await once(h, isolatedEnv(h, { AWS_ACCESS_KEY_ID: SOURCE_KEY, AWS_SECRET_ACCESS_KEY: 'from-env' }));
    expect(h.aws.calls().records[0]).toMatchObject({ operation: 'AssumeRole', accessKeyId: SOURCE_KEY });
    expect(keysOfServiceCalls(h.aws.calls().records)).toEqual([expect.stringMatching(/^ASIA/)]);
  });

  it('refreshes the credentials before they expire: a daemon 11 minutes into a 15-minute session assumes the role again', async () => {
    h = await startHarness({ findings: 0, aws: { accounts: accounts() }, config: { ...roleConfig, aws_gd_session_duration: '900' } });
    h.aws.generateFindings({ count: 2, account: TARGET, region: 'us-east-1' });
    const io = h.io();
    const app = buildApp(readAppConfig(io, h.configPath), io);
    try {
      // Only Date is faked: the daemon, the SDK and both emulators share this clock; sockets stay real.
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      h.aws.resetCalls();
      const deps = await prepare(app);
      expect((await runCycle(deps)).ok).toBe(true);
      vi.setSystemTime(Date.now() + 11 * 60_000);
      h.aws.generateFindings({ count: 1, account: TARGET, region: 'eu-west-1' });
      expect((await runCycle(deps)).ok).toBe(true);
    } finally {
      vi.useRealTimers();
      app.close();
    }
    const records = h.aws.calls().records;
    const assumes = records.map((r, i) => ({ r, i })).filter(({ r }) => r.operation === 'AssumeRole');
    expect(assumes).toHaveLength(2);
    const [first, second] = [records.slice(1, assumes[1]?.i), records.slice((assumes[1]?.i ?? 0) + 1)];
    const [key1, key2] = [keysOfServiceCalls(first), keysOfServiceCalls(second)];
    expect(key1).toEqual([expect.stringMatching(/^ASIA/)]);
    expect(key2).toEqual([expect.stringMatching(/^ASIA/)]);
    expect(key2).not.toEqual(key1);
    // The old key was still valid when it was replaced: no call was ever refused.
    expect(records.every((r) => r.status === 200)).toBe(true);
    expect(h.incidents()).toHaveLength(3);
  });
});
