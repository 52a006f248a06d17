import fs from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCommand } from '../../../src/commands/check.js';
import { startHarness, type Harness, type HarnessOptions } from '../../helpers/harness.js';

/**
 * `guardduty-soar check` against the emulators: every failure class an operator meets, driven by the
 * emulators' faults and by wrong settings, each reported on its own line with the reason and the fix.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DETECTOR_REGIONS = '^(us-east-1|us-east-2|us-west-2|eu-west-1)$';
const KEY = 'AKIAE2ETESTKEY000001';
const ADMIN = '111111111111';
const MEMBER = '222222222222';

interface Line {
  verdict: 'OK' | 'WARN' | 'FAIL';
  name: string;
  detail: string;
  fix: string | undefined;
}

function parse(out: string): Line[] {
  return out.split('\n').flatMap((text) => {
    const m = /^(OK|WARN|FAIL)\s+(.*?): (.*)$/.exec(text);
    if (!m) return [];
    const [detail, fix] = (m[3] ?? '').split('  Fix: ');
    return [{ verdict: m[1] as Line['verdict'], name: m[2] ?? '', detail: detail ?? '', fix }];
  });
}

/** The emulators and a working configuration (setup done), then `broken` settings on top. */
async function start(options: HarnessOptions = {}, broken: Record<string, string> = {}): Promise<Harness> {
  h = await startHarness({ findings: 4, ...options, config: { aws_gd_regions: DETECTOR_REGIONS, ...options.config } });
  h.configure(broken);
  return h;
}

/** `check` in-process (the AWS SDK reads the emulator endpoints from this process's environment). */
async function check(harness: Harness): Promise<{ code: number; lines: Line[]; out: string }> {
  const io = harness.io();
  const code = await checkCommand(io, { config: harness.configPath });
  return { code, lines: parse(io.out()), out: io.out() + io.err() };
}

const line = (lines: Line[], name: string): Line | undefined => lines.find((l) => l.name === name);
const failed = (lines: Line[]): Line[] => lines.filter((l) => l.verdict === 'FAIL');

describe('check: everything in order', () => {
  it('prints one OK line per check and exits 0', async () => {
    const harness = await start();
    const { code, lines, out } = await check(harness);
    expect(failed(lines), out).toEqual([]);
    expect(code).toBe(0);
    const regions = ['eu-west-1', 'us-east-1', 'us-east-2', 'us-west-2'];
    expect(lines.map((l) => l.name)).toEqual([
      'configuration',
      'AWS identity (static keys)',
      'AWS regions',
      ...regions.flatMap((r) => [`GuardDuty detector in ${r}`, `GuardDuty findings in ${r}`, `GuardDuty archive in ${r}`]),
      'SOAR reachable', 'SOAR TLS', 'SOAR credentials', 'SOAR org',
      'SOAR custom incident fields', 'SOAR data tables', 'SOAR artifact types',
      'SOAR actions framework', 'SOAR function inputs', 'SOAR message destination',
      'SOAR destination membership', 'SOAR functions', 'State database',
      'SOAR STOMP reachable', 'SOAR STOMP TLS', 'SOAR STOMP login', 'SOAR STOMP subscription',
    ]);
    expect(line(lines, 'AWS identity (static keys)')?.detail).toContain('account 123456789012');
    expect(line(lines, 'GuardDuty detector in us-east-1')?.detail).toBe(harness.aws.detectors['us-east-1']);
    expect(line(lines, 'SOAR org')?.detail).toBe(`"Demo Org" (id ${harness.soar.orgId})`);
    expect(out).toContain('All checks passed.');
    // The check reads; it writes nothing anywhere.
    expect(Object.keys(harness.aws.calls().counts).filter((op) => /Archive|Update|Create/.test(op))).toEqual([]);
  });

  it('runs the same through the real CLI, exit code included', async () => {
    const harness = await start();
    const ok = await harness.cli(['check', '--config', harness.configPath]);
    expect(ok.code).toBe(0);
    expect(parse(ok.stdout).every((l) => l.verdict === 'OK')).toBe(true);
    harness.configure({ 'resilient.api_key_secret': 'not-the-secret' });
    const bad = await harness.cli(['check', '--config', harness.configPath]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('1 check failed');
    expect(bad.stdout + bad.stderr).not.toContain('not-the-secret');
  });
});

describe('check: configuration', () => {
  it('gives every problem its own FAIL line with the fix and exits 2 before any network call', async () => {
    const harness = await start({}, { aws_gd_severity_threshold: '12', 'resilient.port': 'eighty' });
    harness.aws.resetCalls();
    harness.soar.resetCalls();
    const { code, lines, out } = await check(harness);
    expect(code).toBe(2);
    expect(lines.map((l) => `${l.verdict} ${l.name}: ${l.detail.split(':')[0] ?? ''}`)).toEqual([
      'FAIL configuration: resilient.port', 'FAIL configuration: fn_aws_guardduty.aws_gd_severity_threshold',
    ]);
    expect(line(lines, 'configuration')?.detail).toBe('resilient.port: found "eighty"; expected a whole number from 1 to 65535');
    expect(lines.every((l) => l.fix !== undefined)).toBe(true);
    expect(out).toContain('The configuration has 2 problems; nothing was contacted. Correct them and run check again.');
    expect(harness.aws.calls().counts).toEqual({});
    expect(harness.soar.calls().counts).toEqual({});
  });
});

describe('check: what it prints', () => {
  it('readable lines only: no log line between them, and a misspelt key\'s warning once', async () => {
    const harness = await start({}, { aws_gd_polling_intervl: '5' });
    const result = await harness.cli(['check', '--config', harness.configPath]);
    expect(result.code, result.stdout).toBe(0);
    const printed = result.stdout.trimEnd().split('\n');
    expect(printed.filter((l) => !/^(OK|WARN|FAIL) {2}/.test(l))).toEqual(['All checks passed.']);
    expect(printed.filter((l) => l.includes('aws_gd_polling_intervl'))).toEqual([
      'WARN  configuration: Unknown key [fn_aws_guardduty] aws_gd_polling_intervl: did you mean aws_gd_polling_interval?',
    ]);
    expect(result.stderr).toBe('');
  });

  it('a port that refuses or drops the connection fails at once: one attempt each for AWS and SOAR, no retry, the fix on the line', async () => {
    const harness = await start();
    const dropped = await droppingServer();
    try {
      harness.configure({ 'resilient.host': 'http://127.0.0.1', 'resilient.port': String(dropped.port) });
      const result = await harness.cli(['check', '--config', harness.configPath], { env: { AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${dropped.port}` } });
      expect(result.code).toBe(1);
      const lines = parse(result.stdout);
      expect(line(lines, 'AWS identity (static keys)')).toMatchObject({ verdict: 'FAIL', fix: expect.stringContaining('reset') });
      expect(line(lines, 'SOAR reachable')).toMatchObject({ verdict: 'FAIL', fix: expect.stringContaining('reset') });
      // One connection from STS GetCallerIdentity, one from the SOAR session: nothing retried.
      expect(dropped.connections()).toBe(2);
      expect(result.stdout.trimEnd().split('\n').filter((l) => !/^(OK|WARN|FAIL) {2}/.test(l))).toEqual([
        '2 checks failed; checks that depend on a failed one were not run.',
      ]);
      expect(result.stderr).toBe('');
    } finally {
      await dropped.close();
    }
    // Nothing listens on port 1: refused, and said so on the line with the fix.
    harness.configure({ 'resilient.port': '1' });
    const refused = await harness.cli(['check', '--config', harness.configPath], { env: { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1' } });
    expect(line(parse(refused.stdout), 'SOAR reachable')).toMatchObject({ verdict: 'FAIL', detail: expect.stringContaining('ECONNREFUSED') });
    expect(line(parse(refused.stdout), 'AWS identity (static keys)')).toMatchObject({ verdict: 'FAIL', detail: expect.stringContaining('ECONNREFUSED') });
    expect(refused.stderr).toBe('');
  });

  it('an unusable aws_gd_db_path is a FAIL line with the cause, not a configuration problem', async () => {
    const harness = await start();
    fs.writeFileSync(`${harness.dir}/a-file`, '');
    harness.configure({ aws_gd_db_path: `${harness.dir}/a-file/state.db` });
    const { code, lines } = await check(harness);
    expect(code).toBe(1);
    expect(lines).toEqual([{
      verdict: 'FAIL', name: 'state database', fix: undefined,
      detail: `Cannot open the state database ${harness.dir}/a-file/state.db: ${harness.dir}/a-file is a file, not a folder (EEXIST). Point aws_gd_db_path at a file in a folder, or move ${harness.dir}/a-file out of the way.`,
    }]);
  });
});

/** A TCP server that accepts each connection and drops it at once, counting them. */
async function droppingServer(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = net.createServer((socket) => {
    count += 1;
    socket.resetAndDestroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('check: AWS failures', () => {
  it('401-class: an access key AWS does not know is a credentials problem, not a permission', async () => {
    const harness = await start({
      aws: { accounts: [{ accountId: '123456789012', accessKeys: ['AKIAOTHERKEY00000001'], regions: ['us-east-1'] }] },
    });
    const { code, lines } = await check(harness);
    expect(code).toBe(1);
    const identity = line(lines, 'AWS identity (static keys)');
    expect(identity).toMatchObject({ verdict: 'FAIL' });
    expect(identity?.detail).toContain('InvalidClientTokenId');
    expect(identity?.fix).toContain('aws_gd_access_key_id');
    // Nothing that needs an identity ran; SOAR was still checked.
    expect(lines.some((l) => l.name.startsWith('GuardDuty'))).toBe(false);
    expect(line(lines, 'SOAR org')?.verdict).toBe('OK');
  });

  it('403 on DescribeRegions names the missing permission', async () => {
    const harness = await start();
    harness.aws.setFault({ service: 'ec2', operation: 'DescribeRegions', failNext: 10, statuses: [403] });
    const { lines } = await check(harness);
    expect(line(lines, 'AWS regions')).toMatchObject({ verdict: 'FAIL' });
    expect(line(lines, 'AWS regions')?.detail).toContain('UnauthorizedOperation');
    expect(line(lines, 'AWS regions')?.fix).toContain('ec2:DescribeRegions');
  });

  it('403 on ListFindings in one region fails that region only', async () => {
    const harness = await start();
    harness.aws.setFault({ service: 'guardduty', operation: 'ListFindings', region: 'eu-west-1', failNext: 10, statuses: [403] });
    const { lines } = await check(harness);
    expect(failed(lines).map((l) => l.name)).toEqual(['GuardDuty findings in eu-west-1']);
    expect(line(lines, 'GuardDuty findings in eu-west-1')?.fix).toContain('guardduty:ListFindings');
    expect(line(lines, 'GuardDuty findings in us-east-1')?.verdict).toBe('OK');
  });

  it('a selected region without a detector is a warning with the way out, as the daemon treats it: exit 0', async () => {
    // The regex of app.config.example, which selects us-west-1 where the emulator has no detector.
    const example = /^aws_gd_regions = (.*)$/m.exec(fs.readFileSync(new URL('../../../app.config.example', import.meta.url), 'utf8'))?.[1];
    expect(example).toBe('"^us-"');
    const harness = await start({ config: { aws_gd_regions: example ?? '' } });
    const { code, lines, out } = await check(harness);
    const missing = line(lines, 'GuardDuty detector in us-west-1');
    expect(missing).toMatchObject({ verdict: 'WARN', detail: 'none: GuardDuty is not enabled in this region, which is not polled' });
    expect(missing?.fix).toContain('aws_gd_regions');
    expect(line(lines, 'AWS regions')?.detail).toContain('us-west-1');
    expect(failed(lines), out).toEqual([]);
    expect(code).toBe(0);
    expect(out).toContain('All checks passed.');
  });

  it('fails when no selected region has a detector: nothing would be polled', async () => {
    const harness = await start({ config: { aws_gd_regions: '^(us-west-1|eu-central-1)$' } });
    const { code, lines } = await check(harness);
    expect(lines.filter((l) => l.name.startsWith('GuardDuty detector in')).map((l) => l.verdict)).toEqual(['WARN', 'WARN']);
    expect(line(lines, 'GuardDuty detectors')).toMatchObject({ verdict: 'FAIL', detail: 'none of the 2 selected regions has one: nothing would be polled' });
    expect(code).toBe(1);
  });

  it('a GuardDuty member account may not archive: FAIL while archive-on-close is on, OK when it is off', async () => {
    const harness = await start({
      aws: {
        regions: ['us-east-1'],
        accounts: [
          { accountId: ADMIN, accessKeys: ['AKIAADMIN00000000001'], regions: ['us-east-1'] },
          { accountId: MEMBER, accessKeys: [KEY], regions: ['us-east-1'], administrator: ADMIN },
        ],
      },
      config: { aws_gd_regions: '^us-east-1$' },
    });
    const member = await check(harness);
    expect(line(member.lines, 'GuardDuty archive in us-east-1')).toMatchObject({ verdict: 'FAIL' });
    expect(line(member.lines, 'GuardDuty archive in us-east-1')?.detail).toContain(`administrator ${ADMIN}`);
    expect(line(member.lines, 'GuardDuty archive in us-east-1')?.fix).toContain('aws_gd_archive_on_close = false');
    harness.configure({ aws_gd_archive_on_close: 'false' });
    const off = await check(harness);
    expect(off.code).toBe(0);
    expect(line(off.lines, 'GuardDuty archive in us-east-1')?.detail).toContain('not needed');
  });

  it('a role whose trust policy refuses us (wrong external id) is a trust problem', async () => {
    const harness = await start({
      aws: {
        regions: ['us-east-1'],
        accounts: [
          { accountId: '123456789012', accessKeys: [KEY], regions: ['us-east-1'] },
          { accountId: MEMBER, regions: ['us-east-1'], roles: [{ name: 'GuardDutySoar', externalId: 'right-id' }] },
        ],
      },
      config: { aws_gd_regions: '^us-east-1$', aws_gd_role_arn: `arn:aws:iam::${MEMBER}:role/GuardDutySoar`, aws_gd_external_id: 'wrong-id' },
    });
    const { lines } = await check(harness);
    const identity = line(lines, `AWS identity (arn:aws:iam::${MEMBER}:role/GuardDutySoar)`);
    expect(identity).toMatchObject({ verdict: 'FAIL' });
    expect(identity?.detail).toContain('AccessDenied');
    expect(identity?.fix).toContain('trust policy');
    expect(identity?.fix).toContain('aws_gd_external_id');
    harness.configure({ aws_gd_external_id: 'right-id' });
    const fixed = await check(harness);
    expect(line(fixed.lines, `AWS identity (arn:aws:iam::${MEMBER}:role/GuardDutySoar)`)?.detail).toContain(`account ${MEMBER}`);
  });

  it('429-class: throttling says to wait and run check again, after one attempt (check does not retry)', async () => {
    const harness = await start();
    harness.aws.resetCalls();
    harness.aws.setFault({ service: 'sts', operation: 'GetCallerIdentity', failNext: 3, statuses: [400] });
    const { lines } = await check(harness);
    const identity = line(lines, 'AWS identity (static keys)');
    expect(identity?.detail).toContain('Throttling');
    expect(identity?.fix).toMatch(/throttling/i);
    expect(harness.aws.calls().counts['sts:GetCallerIdentity']).toBe(1);
  });

  it('a timeout names the timeout setting', async () => {
    const harness = await start({ config: { 'integrations.timeout': '1' } });
    harness.aws.setFault({ service: 'sts', operation: 'GetCallerIdentity', latencyMs: 2_500 });
    const { lines } = await check(harness);
    const identity = line(lines, 'AWS identity (static keys)');
    expect(identity).toMatchObject({ verdict: 'FAIL' });
    expect(identity?.detail).toMatch(/ETIMEDOUT|TimeoutError/);
    expect(identity?.fix).toContain('[integrations] timeout');
  });

  it('DNS: an endpoint that does not resolve points at DNS, the proxy and the endpoint override', async () => {
    const harness = await start();
    const result = await harness.cli(['check', '--config', harness.configPath], { env: { AWS_ENDPOINT_URL_STS: 'http://sts.does-not-exist.invalid' } });
    const identity = line(parse(result.stdout), 'AWS identity (static keys)');
    expect(identity).toMatchObject({ verdict: 'FAIL' });
    expect(identity?.detail).toContain('ENOTFOUND');
    expect(identity?.fix).toContain('DNS');
    expect(result.code).toBe(1);
  });
});

describe('check: SOAR failures', () => {
  it('401: a wrong API key secret fails the credentials line, after reachability and TLS passed', async () => {
    const harness = await start({}, { 'resilient.api_key_secret': 'wrong-secret-value' });
    const { lines, out } = await check(harness);
    expect(lines.filter((l) => l.name.startsWith('SOAR')).map((l) => `${l.verdict} ${l.name}`)).toEqual([
      'OK SOAR reachable', 'OK SOAR TLS', 'FAIL SOAR credentials',
    ]);
    expect(line(lines, 'SOAR credentials')?.fix).toContain('api_key_id and api_key_secret');
    expect(out).not.toContain('wrong-secret-value');
  });

  it('403: an API key without the permission says which permissions it needs', async () => {
    const harness = await start();
    harness.soar.addFault({ operations: ['GET /rest/session'], statuses: [403], failNext: 10 });
    const { lines } = await check(harness);
    expect(line(lines, 'SOAR credentials')).toMatchObject({ verdict: 'FAIL' });
    expect(line(lines, 'SOAR credentials')?.fix).toContain('permission');
  });

  it('404: a wrong resource_prefix is an address problem', async () => {
    const harness = await start({}, { 'resilient.resource_prefix': '/not-soar' });
    const { lines } = await check(harness);
    expect(line(lines, 'SOAR reachable')).toMatchObject({ verdict: 'FAIL' });
    expect(line(lines, 'SOAR reachable')?.detail).toContain('404');
    expect(line(lines, 'SOAR reachable')?.fix).toContain('resource_prefix');
  });

  it('400: a rejected request points at the configuration', async () => {
    const harness = await start();
    harness.soar.addFault({ operations: ['GET /rest/session'], statuses: [400], failNext: 10 });
    const { lines } = await check(harness);
    expect(line(lines, 'SOAR reachable')?.fix).toContain('check org and resource_prefix');
  });

  it('429: throttling says to wait and run check again, after one attempt (check does not retry)', async () => {
    const harness = await start();
    harness.soar.resetCalls();
    harness.soar.addFault({ operations: ['GET /rest/session'], statuses: [429], failNext: 5 });
    const { lines } = await check(harness);
    expect(line(lines, 'SOAR reachable')?.detail).toContain('429');
    expect(line(lines, 'SOAR reachable')?.fix).toMatch(/throttling/);
    expect(harness.soar.calls().counts['GET /rest/session']).toBe(1);
  });

  it('an org the key does not belong to lists the orgs it does belong to', async () => {
    const harness = await start({}, { 'resilient.org': 'Another Org' });
    const { lines } = await check(harness);
    expect(line(lines, 'SOAR credentials')?.verdict).toBe('OK');
    expect(line(lines, 'SOAR org')).toMatchObject({ verdict: 'FAIL' });
    expect(line(lines, 'SOAR org')?.detail).toContain('member of: Demo Org');
    expect(line(lines, 'SOAR org')?.fix).toContain('[resilient] org');
  });

  it('DNS and refused connections are reachability problems', async () => {
    const harness = await start({}, { 'resilient.host': 'https://soar.does-not-exist.invalid', 'resilient.port': '443' });
    const dns = await check(harness);
    expect(line(dns.lines, 'SOAR reachable')?.detail).toContain('ENOTFOUND');
    expect(line(dns.lines, 'SOAR reachable')?.fix).toContain('DNS');
    // A port nobody listens on (the AWS emulator's port + a closed neighbour is not guaranteed free: use port 1).
    harness.configure({ 'resilient.host': 'http://127.0.0.1', 'resilient.port': '1' });
    const refused = await check(harness);
    expect(line(refused.lines, 'SOAR reachable')?.detail).toContain('ECONNREFUSED');
    expect(line(refused.lines, 'SOAR reachable')?.fix).toContain('host and port');
  });

  it('a missing schema fails the three schema lines and points to setup', async () => {
    const harness = await start({ setup: false });
    const { code, lines } = await check(harness);
    expect(code).toBe(1);
    for (const name of ['SOAR custom incident fields', 'SOAR data tables', 'SOAR artifact types']) {
      expect(line(lines, name)).toMatchObject({ verdict: 'FAIL' });
      expect(line(lines, name)?.fix).toContain('guardduty-soar setup');
    }
    expect(line(lines, 'SOAR custom incident fields')?.detail).toContain('aws_guardduty_finding_id');
    expect(line(lines, 'SOAR data tables')?.detail).toContain('gd_finding_overview');
    expect(line(lines, 'SOAR artifact types')?.detail).toContain('aws_iam_access_key_id');
  });
});

describe('check: the STOMP side of the SOAR functions', () => {
  it('names the stage that fails: nothing on the port, a CA that did not sign the certificate, a key SOAR does not let subscribe', async () => {
    const harness = await start({ soar: { apiKeys: [{ id: 'demo-key', secret: 'demo-secret' }, { id: 'other-key', secret: 'other-secret' }] } }, { 'resilient.stomp_port': '1' });
    const unreachable = await check(harness);
    expect(unreachable.code).toBe(1);
    expect(line(unreachable.lines, 'SOAR STOMP reachable')).toMatchObject({ verdict: 'FAIL', fix: expect.stringContaining('stomp_port') });
    expect(line(unreachable.lines, 'SOAR STOMP TLS')).toBeUndefined();

    harness.configure({ 'resilient.stomp_port': String(harness.soar.stompPort), 'resilient.stomp_cafile': '' });
    const untrusted = await check(harness);
    expect(line(untrusted.lines, 'SOAR STOMP TLS')).toMatchObject({ verdict: 'FAIL', fix: expect.stringContaining('stomp_cafile') });
    expect(line(untrusted.lines, 'SOAR STOMP login')).toBeUndefined();

    // A key SOAR knows, but not a user of fn_aws_gd (setup made demo-key one).
    harness.configure({ 'resilient.stomp_cafile': harness.soar.caPath ?? '', 'resilient.api_key_id': 'other-key', 'resilient.api_key_secret': 'other-secret' });
    const refused = await check(harness);
    expect(line(refused.lines, 'SOAR STOMP login')?.verdict).toBe('OK');
    expect(line(refused.lines, 'SOAR STOMP subscription')).toMatchObject({ verdict: 'FAIL', detail: expect.stringContaining('not authorized'), fix: expect.stringContaining('setup') });
  });

  it('with aws_gd_functions = false it says STOMP is not used and connects nowhere', async () => {
    const harness = await start({}, { aws_gd_functions: 'false', 'resilient.stomp_port': '1' });
    const { code, lines } = await check(harness);
    expect(code).toBe(0);
    expect(lines.filter((l) => l.name.startsWith('SOAR STOMP'))).toEqual([expect.objectContaining({ verdict: 'OK', name: 'SOAR STOMP', detail: expect.stringContaining('not used') })]);
  });
});
