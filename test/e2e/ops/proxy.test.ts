import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startForwardProxy, type ForwardProxy } from '../../helpers/forward-proxy.js';
import { createTestCa, type TestCa } from '../../helpers/test-ca.js';
import { logLines, startHarness, type Harness } from '../../helpers/harness.js';

/**
 * The daemon behind an egress proxy, as operators run it: a real forwarding proxy on 127.0.0.1 (plain
 * HTTP with absolute URIs, HTTPS through CONNECT, Basic credentials) counts what passed through it,
 * and the emulators count what arrived.
 */

const PROXY_USER = 'svc-soar';
const PROXY_PASSWORD = 'Pr0xy:p@ss/word!';
const ENCODED_PASSWORD = encodeURIComponent(PROXY_PASSWORD);
const SOAR_SECRET = 'soar-api-secret-value-42';
const AWS_SECRET = 'e2e-secret-access-key-value';

let h: Harness | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await h?.close();
  h = undefined;
});

async function proxy(auth = true): Promise<ForwardProxy> {
  const p = await startForwardProxy(auth ? { auth: { user: PROXY_USER, password: PROXY_PASSWORD } } : {});
  cleanups.push(() => p.close());
  return p;
}

function ca(): TestCa {
  const c = createTestCa();
  cleanups.push(() => c.cleanup());
  return c;
}

/** AWS calls the emulator answered, all services. */
function awsTotal(harness: Harness): number {
  return Object.values(harness.aws.calls().counts).reduce((n, c) => n + c, 0);
}

function soarTotal(harness: Harness): number {
  return Object.values(harness.soar.calls().counts).reduce((n, c) => n + c, 0);
}

const hostOf = (url: string): string => new URL(url).host;

async function run(harness: Harness, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  harness.aws.resetCalls();
  harness.soar.resetCalls();
  return harness.cli([...args, '--config', harness.configPath], { env });
}

describe('AWS through http_proxy (plain HTTP, absolute URIs)', () => {
  it('sends every AWS call through the app-section proxy, AssumeRole included, with the proxy credentials', async () => {
    const wanted = await proxy();
    const ignored = await proxy();
    h = await startHarness({ findings: 4, config: { aws_gd_regions: '^(us-east-1|eu-west-1)$' } });
    h.configure({
      aws_gd_role_arn: 'arn:aws:iam::123456789012:role/GuardDutySoar',
      http_proxy: `http://${PROXY_USER}:${ENCODED_PASSWORD}@127.0.0.1:${wanted.port}`,
      // The app section wins over [integrations], as in IBM's apps.
      'integrations.http_proxy': ignored.url,
      aws_gd_log_level: 'debug',
    });
    const result = await run(h, ['once']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(h.aws.calls().counts['sts:AssumeRole']).toBe(1);
    expect(wanted.counts()).toEqual({ [`http ${hostOf(h.aws.url)}`]: awsTotal(h) });
    expect(wanted.requests().every((r) => r.authorization === `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`)).toBe(true);
    expect(wanted.refused + wanted.relativeRequests).toBe(0);
    expect(ignored.requests()).toEqual([]);
    // SOAR has no proxy configured: straight there.
    expect(soarTotal(h)).toBeGreaterThan(0);
    const everything = result.stdout + result.stderr;
    expect(everything).not.toContain(PROXY_PASSWORD);
    expect(everything).not.toContain(ENCODED_PASSWORD);
    expect(everything).not.toContain(AWS_SECRET);
    expect(logLines(result.stdout).find((l) => l.message === 'AWS calls use a proxy')).toMatchObject({ http: `http://127.0.0.1:${wanted.port}/` });
  });

  it('uses the [integrations] proxy when the app section has none', async () => {
    const p = await proxy(false);
    h = await startHarness({ findings: 2, config: { aws_gd_regions: '^us-east-1$', 'integrations.http_proxy': p.url } });
    const result = await run(h, ['once']);
    expect(result.code).toBe(0);
    expect(p.counts()).toEqual({ [`http ${hostOf(h.aws.url)}`]: awsTotal(h) });
  });

  it('goes around the proxy for NO_PROXY destinations, while SOAR keeps its own [resilient] proxy', async () => {
    const awsProxy = await proxy(false);
    const soarProxy = await proxy(false);
    h = await startHarness({ findings: 2, config: { aws_gd_regions: '^us-east-1$' } });
    h.configure({ http_proxy: awsProxy.url, 'resilient.proxy_host': 'http://127.0.0.1', 'resilient.proxy_port': String(soarProxy.port) });
    const result = await run(h, ['once'], { NO_PROXY: `localhost,${hostOf(h.aws.url)}` });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(awsTotal(h)).toBeGreaterThan(0);
    expect(awsProxy.requests()).toEqual([]);
    expect(soarProxy.counts()).toEqual({ [`http ${hostOf(h.soar.url)}`]: soarTotal(h) });
  });

  it('uses the environment\'s http_proxy (as App Host and container platforms set it) when app.config names none', async () => {
    const fromEnv = await proxy(false);
    const fromConfig = await proxy(false);
    h = await startHarness({ findings: 2, config: { aws_gd_regions: '^us-east-1$' } });
    const viaEnv = await run(h, ['once'], { HTTP_PROXY: fromEnv.url });
    expect(viaEnv.code, viaEnv.stdout + viaEnv.stderr).toBe(0);
    // Both AWS and SOAR (plain HTTP here) went through it.
    expect(fromEnv.counts()).toEqual({ [`http ${hostOf(h.aws.url)}`]: awsTotal(h), [`http ${hostOf(h.soar.url)}`]: soarTotal(h) });
    fromEnv.reset();
    h.configure({ http_proxy: fromConfig.url });
    const keyWins = await run(h, ['once'], { HTTP_PROXY: fromEnv.url });
    expect(keyWins.code).toBe(0);
    expect(fromConfig.counts()).toEqual({ [`http ${hostOf(h.aws.url)}`]: awsTotal(h) });
    expect(fromEnv.counts()).toEqual({ [`http ${hostOf(h.soar.url)}`]: soarTotal(h) });
  });

  it('a proxy that refuses the credentials (407) is reported by check with the setting to fix', async () => {
    const p = await proxy();
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$', http_proxy: `http://${PROXY_USER}:wrong-password@127.0.0.1:${p.port}` } });
    const result = await run(h, ['check']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL +AWS identity \(static keys\): .*407.*Fix: The proxy refused the credentials: check the user and password in http_proxy/);
    expect(p.refused).toBeGreaterThan(0);
    expect(awsTotal(h)).toBe(0);
    expect(result.stdout + result.stderr).not.toContain('wrong-password');
  });
});

describe('check says which way its requests went', () => {
  it('"through the proxy" only when the request went through it: NO_PROXY sends it directly, and check says so', async () => {
    const awsProxy = await proxy(false);
    const soarProxy = await proxy(false);
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    h.configure({ http_proxy: awsProxy.url, 'resilient.proxy_host': 'http://127.0.0.1', 'resilient.proxy_port': String(soarProxy.port) });
    const soarVia = `http://127.0.0.1:${soarProxy.port}/, from [resilient] proxy_host`;
    const awsVia = `http://127.0.0.1:${awsProxy.port}/`;

    const through = await run(h, ['check']);
    expect(through.code, through.stdout).toBe(0);
    expect(through.stdout).toMatch(new RegExp(`^OK {4}SOAR reachable: ${h.soar.url} answered \\(through the proxy ${soarVia.replace(/[[\]]/g, '\\$&')}\\)$`, 'm'));
    expect(through.stdout).toMatch(new RegExp(`^OK {4}AWS identity \\(static keys\\): .*\\(account 123456789012\\) \\(through the proxy ${awsVia}\\)$`, 'm'));
    expect(soarProxy.counts()[`http ${hostOf(h.soar.url)}`]).toBeGreaterThan(0);
    expect(awsProxy.counts()[`http ${hostOf(h.aws.url)}`]).toBeGreaterThan(0);

    soarProxy.reset();
    awsProxy.reset();
    const around = await run(h, ['check'], { NO_PROXY: '127.0.0.1' });
    expect(around.code, around.stdout).toBe(0);
    expect(around.stdout).not.toContain('through the proxy');
    expect(around.stdout).toContain(`SOAR reachable: ${h.soar.url} answered (directly: NO_PROXY excludes 127.0.0.1 from the proxy ${soarVia})`);
    expect(around.stdout).toContain(`(account 123456789012) (directly: NO_PROXY excludes the AWS endpoint from the proxy ${awsVia})`);
    expect(soarProxy.requests()).toEqual([]);
    expect(awsProxy.requests()).toEqual([]);
  });

  it('names the environment variable a proxy came from', async () => {
    const fromEnv = await proxy(false);
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    const result = await run(h, ['check'], { HTTP_PROXY: fromEnv.url });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(`SOAR reachable: ${h.soar.url} answered (through the proxy http://127.0.0.1:${fromEnv.port}/, from the environment's HTTP_PROXY)`);
  });
});

describe('HTTPS through CONNECT', () => {
  it('AWS over HTTPS: https_proxy tunnels every call (VPC endpoints, real AWS)', async () => {
    const authority = ca();
    const p = await proxy();
    h = await startHarness({ findings: 2, config: { aws_gd_regions: '^us-east-1$' } });
    // A TLS front for the AWS emulator, with a certificate from the test CA, as an AWS endpoint has.
    const emulator = new URL(h.aws.url);
    const front = https.createServer({ key: authority.key, cert: authority.cert }, (req, res) => {
      const upstream = http.request({ host: emulator.hostname, port: emulator.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => front.close(() => resolve())));
    const tlsUrl = `https://127.0.0.1:${(front.address() as AddressInfo).port}`;
    h.configure({ https_proxy: `http://${PROXY_USER}:${ENCODED_PASSWORD}@127.0.0.1:${p.port}` });
    const result = await run(h, ['once'], {
      AWS_ENDPOINT_URL_GUARDDUTY: tlsUrl, AWS_ENDPOINT_URL_EC2: tlsUrl, AWS_ENDPOINT_URL_STS: tlsUrl, NODE_EXTRA_CA_CERTS: authority.caFile,
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const tunnels = p.requests();
    expect(tunnels.length).toBeGreaterThan(0);
    expect(tunnels.every((t) => t.kind === 'connect' && t.target === hostOf(tlsUrl))).toBe(true);
    expect(awsTotal(h)).toBeGreaterThanOrEqual(tunnels.length);
    expect(result.stdout + result.stderr).not.toContain(PROXY_PASSWORD);
  });

  it('SOAR over HTTPS through the [resilient] proxy with proxy_user/proxy_password; no secret in the logs', async () => {
    const authority = ca();
    const p = await proxy();
    h = await startHarness({
      findings: 0,
      soar: { tls: { key: authority.key, cert: authority.cert }, apiKeys: [{ id: 'soar-key', secret: SOAR_SECRET }] },
      config: {
        aws_gd_regions: '^(us-east-1|eu-west-1)$',
        'resilient.cafile': authority.caFile, 'resilient.api_key_id': 'soar-key', 'resilient.api_key_secret': SOAR_SECRET,
      },
    });
    h.aws.generateFindings({ count: 3, region: 'us-east-1' });
    h.configure({
      'resilient.proxy_host': 'http://127.0.0.1', 'resilient.proxy_port': String(p.port),
      'resilient.proxy_user': PROXY_USER, 'resilient.proxy_password': PROXY_PASSWORD, aws_gd_log_level: 'debug',
    });
    const result = await run(h, ['once']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(h.incidents().length).toBeGreaterThanOrEqual(3);
    const tunnels = p.requests();
    expect(tunnels.length).toBeGreaterThan(0);
    expect(tunnels.every((t) => t.kind === 'connect' && t.target === hostOf(h!.soar.url))).toBe(true);
    expect(awsTotal(h)).toBeGreaterThan(0);
    const everything = result.stdout + result.stderr;
    for (const secret of [PROXY_PASSWORD, ENCODED_PASSWORD, SOAR_SECRET, AWS_SECRET]) expect(everything).not.toContain(secret);
    expect(logLines(result.stdout).find((l) => l.message === 'SOAR calls use a proxy')).toMatchObject({ proxy: `http://127.0.0.1:${p.port}/` });

    h.configure({ 'resilient.proxy_password': 'not-the-password' });
    const refused = await run(h, ['check']);
    expect(refused.stdout).toMatch(/FAIL +SOAR reachable: .*407.*Fix: The proxy refused the credentials: check proxy_user and proxy_password in \[resilient\]/);
    expect(refused.stdout + refused.stderr).not.toContain('not-the-password');
  });
});
