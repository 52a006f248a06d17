import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, type TestCa } from '../../helpers/test-ca.js';
import { logLines, startHarness, type Harness } from '../../helpers/harness.js';

/**
 * SOAR over HTTPS with a certificate from a private CA the test generates (as most SOAR appliances
 * have): verified by default, trusted through `cafile`, and `cafile = false` works with a loud warning.
 */

let authority: TestCa;
let stranger: TestCa;
let h: Harness | undefined;

beforeAll(() => {
  authority = createTestCa('SOC internal CA');
  stranger = createTestCa('Some other CA');
});
afterAll(() => {
  authority.cleanup();
  stranger.cleanup();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(): Promise<Harness> {
  h = await startHarness({
    findings: 0,
    soar: { tls: { key: authority.key, cert: authority.cert } },
    config: { aws_gd_regions: '^us-east-1$', 'resilient.cafile': authority.caFile },
  });
  h.aws.generateFindings({ count: 2, region: 'us-east-1' });
  return h;
}

const soarLines = (stdout: string): string[] => stdout.split('\n').filter((l) => / SOAR (reachable|TLS|credentials|org):/.test(l));

describe('SOAR TLS', () => {
  it('cafile trusts the private CA: the cycle runs and check says what the certificate was verified against', async () => {
    const harness = await start();
    expect(harness.soar.url).toMatch(/^https:/);
    const once = await harness.cli(['once', '--config', harness.configPath]);
    expect(once.code, once.stdout + once.stderr).toBe(0);
    expect(harness.incidents()).toHaveLength(2);
    const check = await harness.cli(['check', '--config', harness.configPath]);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain(`OK    SOAR TLS: certificate verified against cafile ${authority.caFile}`);
  });

  it('is verified by default: without cafile the certificate is refused, and check names the fix', async () => {
    const harness = await start();
    harness.configure({ 'resilient.cafile': '' });
    const check = await harness.cli(['check', '--config', harness.configPath]);
    expect(check.code).toBe(1);
    const lines = soarLines(check.stdout);
    expect(lines[0]).toMatch(/^OK +SOAR reachable/);
    expect(lines[1]).toMatch(/^FAIL +SOAR TLS: .*(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER).*Fix: .*cafile/);
    expect(lines).toHaveLength(2);
    const once = await harness.cli(['once', '--config', harness.configPath]);
    expect(once.code).toBe(1);
    expect(once.stderr).toContain('cafile');
    expect(harness.incidents()).toHaveLength(0);
  });

  it('a cafile of another CA is refused the same way', async () => {
    const harness = await start();
    harness.configure({ 'resilient.cafile': stranger.caFile });
    const check = await harness.cli(['check', '--config', harness.configPath]);
    expect(check.code).toBe(1);
    expect(soarLines(check.stdout)[1]).toMatch(/^FAIL +SOAR TLS: /);
  });

  it('cafile = false works, with a loud warning at start and a WARN line in check', async () => {
    const harness = await start();
    harness.configure({ 'resilient.cafile': 'false' });
    const once = await harness.cli(['once', '--config', harness.configPath]);
    expect(once.code, once.stdout + once.stderr).toBe(0);
    expect(harness.incidents()).toHaveLength(2);
    const warnings = logLines(once.stdout).filter((l) => l.level === 'warn').map((l) => String(l.message));
    expect(warnings.some((m) => m.includes('TLS CERTIFICATE VERIFICATION IS DISABLED'))).toBe(true);
    const check = await harness.cli(['check', '--config', harness.configPath]);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/WARN +SOAR TLS: certificate NOT verified \(cafile = false\).*Fix: Set \[resilient\] cafile/);
  });

  it('a cafile that does not exist is a configuration error, before any network call', async () => {
    const harness = await start();
    harness.configure({ 'resilient.cafile': path.join(harness.dir, 'missing-ca.pem') });
    harness.soar.resetCalls();
    const once = await harness.cli(['once', '--config', harness.configPath]);
    expect(once.code).toBe(2);
    expect(once.stderr).toContain('resilient.cafile');
    expect(harness.soar.calls().counts).toEqual({});
  });
});
