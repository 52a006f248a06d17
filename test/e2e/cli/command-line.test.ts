import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, logLines, runCli, startHarness, type CommandResult, type Harness } from '../../helpers/harness.js';
import { until } from '../../helpers/wait.js';
import { soarWrites } from '../../helpers/sync-helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('guardduty-soar emulate', () => {
  it('prints one JSON line saying where the emulators listen, serves both, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'emulate', '--regions', 'us-east-1,eu-west-1', '--sample-findings', '6', '--soar-api-key', 'key1:sec1', '--soar-org', 'Acme SOC'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    const firstLine = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    const info = JSON.parse(firstLine) as { aws: string; soar: string; orgId: number; detectors: Record<string, string> };
    expect(info.aws).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.soar).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(info.detectors).sort()).toEqual(['eu-west-1', 'us-east-1']);
    const session = await fetch(`${info.soar}/rest/session`, { headers: { authorization: `Basic ${Buffer.from('key1:sec1').toString('base64')}` } });
    expect(session.status).toBe(200);
    const body = (await session.json()) as { orgs: { id: number; name: string }[] };
    expect(body.orgs).toContainEqual(expect.objectContaining({ id: info.orgId, name: 'Acme SOC' }));
    const unsigned = await fetch(`${info.aws}/detector`);
    expect(unsigned.status).toBe(403);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});

describe('configuration errors', () => {
  it('lists every problem at once and exits 2 before any network call', async () => {
    h = await startHarness({ findings: 3 });
    h.configure({
      aws_gd_regions: '"(us|eu-"',
      aws_gd_severity_threshold: '11',
      aws_gd_polling_interval: 'ten',
      aws_gd_close_incident_template: path.join(h.dir, 'missing-close.json.njk'),
      aws_gd_pollng_interval: '5',
    });
    h.aws.resetCalls();
    h.soar.resetCalls();
    const result = await h.cli(['once', '--config', h.configPath]);
    expect(result.code).toBe(2);
    for (const key of ['aws_gd_regions', 'aws_gd_severity_threshold', 'aws_gd_polling_interval', 'aws_gd_close_incident_template']) {
      expect(result.stderr).toContain(key);
    }
    expect(result.stderr).toMatch(/4 problems/);
    expect(h.aws.calls().counts).toEqual({});
    expect(h.soar.calls().counts).toEqual({});
  });

  it('finds the file through $APP_CONFIG_FILE, and says where it looked when there is none', async () => {
    h = await startHarness({ findings: 2 });
    const viaEnv = await h.cli(['once'], { env: { APP_CONFIG_FILE: h.configPath } });
    expect(viaEnv.code).toBe(0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gds-noconf-'));
    const none = await runCli(['once'], { cwd: dir, env: { PATH: process.env.PATH } });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(path.join(dir, 'app.config'));
  });
});

describe('the command line itself', () => {
  const bare = (args: string[]): Promise<CommandResult> => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gds-bare-'));
    return runCli(args, { cwd: dir, env: { PATH: process.env.PATH } }).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
  };

  it('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const result = await bare([flag]);
      expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
    }
  });

  it('without a command prints the help on stderr and exits 2; help and --help exit 0', async () => {
    const none = await bare([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('Usage: guardduty-soar [options] [command]');
    expect(none.stderr).toMatch(/\n {2}once \[options\] /);
    for (const args of [['help'], ['--help']]) {
      const help = await bare(args);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: guardduty-soar [options] [command]');
    }
  });

  it('package: an image reference App Host cannot pull is a usage error (exit 2, the option named), not a configuration problem', async () => {
    const bad = await bare(['package', '--image', 'Registry.example.com/GuardDuty-SOAR']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain("error: option '--image <ref>' argument 'Registry.example.com/GuardDuty-SOAR' is invalid. Expected an image reference with a tag or digest");
    expect(bad.stderr).toContain('end it with :TAG or @sha256:DIGEST');
    expect(bad.stderr).toContain('Usage: guardduty-soar package [options]');
    expect(bad.stderr).not.toMatch(/configuration/i);
  });

  it('package without --out writes into ./apphost and says so', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gds-bare-'));
    try {
      const result = await runCli(['package'], { cwd: dir, env: { PATH: process.env.PATH } });
      expect(result.code, result.stderr).toBe(0);
      const [zip] = fs.readdirSync(path.join(dir, 'apphost'));
      expect(result.stdout).toContain(`Wrote ${path.join(dir, 'apphost', zip ?? '')}\n`);
      expect(fs.readdirSync(dir)).toEqual(['apphost']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('demo refuses fewer findings than its story changes, and honours the number asked for', async () => {
    for (const n of ['0', '1', '4']) {
      const refused = await bare(['demo', '--findings', n]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`--findings ${n} is too few`);
      expect(refused.stderr).toContain('use --findings 5 or more');
      expect(refused.stdout).toBe('');
    }
    const six = await bare(['demo', '--findings', '6']);
    expect(six.code).toBe(0);
    expect(six.stdout).toMatch(/GuardDuty holds 6 sample findings in \d+ regions/);
  });

  it('demo shows an attack sequence\'s case and its members pointing at it, and ends with SOAR functions over STOMP: a responder\'s refresh and an IPSet created from SOAR, each answered once and ACKed', async () => {
    const demo = await bare(['demo']);
    expect(demo.code).toBe(0);
    // The attack sequence (issue 20): its story note, its tables, each member's incident naming it.
    const attack = demo.stdout.slice(demo.stdout.indexOf('== An attack sequence'));
    const sequenceIncident = /^ {2}incident (\d+) "/m.exec(attack)?.[1];
    expect(sequenceIncident).toBeDefined();
    expect(attack).toMatch(/sequence tables: gd_sequence_signals [1-9]/);
    const members = [...attack.matchAll(/^ {2}member \S+: incident \d+, aws_guardduty_sequence_incident = (\S+)$/gm)].map((m) => m[1]);
    expect(members.length).toBeGreaterThan(0);
    expect(new Set(members)).toEqual(new Set([sequenceIncident]));
    const story = demo.stdout.slice(demo.stdout.indexOf('== SOAR functions'));
    expect(story).toMatch(/listener connected: STOMP 1\.2 over TLS to port \d+ \(CA verified\), subscribed to actions\.\d+\.fn_aws_gd/);
    // (a) Refresh Finding: the status messages, one successful final reply, the ACK, and what the responder sees.
    const refresh = story.slice(story.indexOf('(a)'), story.indexOf('(b)'));
    expect(refresh).toContain('MESSAGE func_aws_guardduty_refresh_finding (correlation-id invid:1) on fn_aws_gd, delivered 1x');
    expect(refresh).toMatch(/status: Refreshing incident (\d+) from GuardDuty finding \w+/);
    expect(refresh).toContain('final reply (message_type 0): success true; 1 final reply');
    expect(refresh).toContain('ACK of delivery 1');
    expect(refresh).toMatch(/result content: severity_code High, aws_guardduty_count 3/);
    expect(refresh).toMatch(/note: GuardDuty finding refreshed on request: .*Severity: \w+ → High.*Count: 1 → 3/);
    // (b) Create IPSet from an S3 list, then Get IPSet: the new id and the status GuardDuty reports.
    const ipset = story.slice(story.indexOf('(b)'));
    expect(ipset).toContain('from s3://guardduty-soar-demo-lists/trusted/scanners.txt');
    const id = /new IpSetId: ([0-9a-f]{32})/.exec(ipset)?.[1];
    expect(id).toBeDefined();
    expect(ipset).toContain('MESSAGE aws_guardduty_get_ipset (correlation-id invid:3)');
    expect(ipset).toContain('Get IPSet: "Our scanners" status ACTIVE');
    expect(ipset).toContain('GuardDuty read 2 entries from S3: 198.51.100.7, 203.0.113.0/24');
    expect(ipset.match(/ACK of delivery 1/g)).toHaveLength(2);
    expect(demo.stdout).toContain('the SOAR functions succeeded.');
  });
});

describe('configuration problems the operator meets first', () => {
  it('an app.config that is not UTF-8 exits 2 naming the line and byte offset', async () => {
    h = await startHarness({ findings: 0, setup: false });
    const text = fs.readFileSync(h.configPath);
    const at = text.indexOf('demo-secret');
    // A Latin-1 "é" inside the SOAR secret.
    fs.writeFileSync(h.configPath, Buffer.concat([text.subarray(0, at), Buffer.from([0xe9]), text.subarray(at)]));
    const line = text.subarray(0, at).toString().split('\n').length;
    const result = await h.cli(['once', '--config', h.configPath]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`app.config line ${line}: found "byte 0xe9 at byte offset ${at}"`);
    expect(result.stderr).not.toContain('demo-secret');
  });

  it('an aws_gd_db_path below a file, or through a symbolic-link loop, is one sentence with the cause and the fix, no stack trace', async () => {
    h = await startHarness({ findings: 0, setup: false });
    fs.writeFileSync(path.join(h.dir, 'state'), '');
    fs.symlinkSync(path.join(h.dir, 'loop-b'), path.join(h.dir, 'loop-a'));
    fs.symlinkSync(path.join(h.dir, 'loop-a'), path.join(h.dir, 'loop-b'));
    const cases = [
      { dbPath: path.join(h.dir, 'state', 'sub', 'guardduty-soar.db'), cause: `${path.join(h.dir, 'state')} is a file, not a folder (ENOTDIR)` },
      { dbPath: path.join(h.dir, 'loop-a', 'guardduty-soar.db'), cause: `${path.join(h.dir, 'loop-a')} is a symbolic link that leads back to itself (ELOOP)` },
    ];
    for (const { dbPath, cause } of cases) {
      h.configure({ aws_gd_db_path: dbPath });
      const result = await h.cli(['once', '--config', h.configPath]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^Cannot open the state database ${dbPath}: ${cause.replace(/[()]/g, '\\$&')}\\. [^\\n]+\\n$`));
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it('once with aws_gd_regions matching no region exits 2 naming the regex and the regions it was matched against', async () => {
    h = await startHarness({ findings: 2, config: { aws_gd_regions: '^mars-' } });
    const result = await h.cli(['once', '--config', h.configPath]);
    expect(result.code, result.stderr + result.stdout).toBe(2);
    expect(result.stderr).toMatch(/aws_gd_regions \/\^mars-\/ matches none of the \d+ regions enabled for these credentials \(account 123456789012, DescribeRegions in us-east-1\): [a-z0-9, -]*us-east-1, [a-z0-9, -]*; nothing was polled/);
    expect(result.stderr).toContain('Fix: Widen aws_gd_regions');
    expect(h.incidents()).toEqual([]);
  });

  it('a misspelt key that decides what is escalated: once and run refuse to start (exit 2) naming it, check FAILs on it with "did you mean"', async () => {
    h = await startHarness({ findings: 2, config: { aws_gd_regions: '^us-east-1$' } });
    h.configure({ aws_gd_severity_treshold: '7' });
    const line = fs.readFileSync(h.configPath, 'utf8').split('\n').findIndex((l) => l.startsWith('aws_gd_severity_treshold')) + 1;
    const problem = 'fn_aws_guardduty.aws_gd_severity_treshold: found "7"; expected a key guardduty-soar reads; aws_gd_severity_treshold is not one, ' +
      'so aws_gd_severity_threshold is not set and findings of every severity would be escalated';
    const fix = `did you mean aws_gd_severity_threshold? Rename the key on line ${line}.`;
    h.aws.resetCalls();
    h.soar.resetCalls();
    for (const command of ['once', 'run']) {
      const result = await h.cli([command, '--config', h.configPath]);
      expect(result.code, `${command}: ${result.stdout}${result.stderr}`).toBe(2);
      expect(result.stderr).toContain(`  - ${problem}. Fix: ${fix}`);
    }
    expect(h.incidents()).toEqual([]);
    expect(h.aws.calls().counts).toEqual({});
    const check = await h.cli(['check', '--config', h.configPath]);
    expect(check.code).toBe(2);
    expect(check.stdout).toContain(`FAIL  configuration: ${problem}  Fix: ${fix}\n`);
  });

  it('any other misspelt key: "did you mean" once in the start-up log and once as a check warning; a misspelt required key in the "missing" error', async () => {
    h = await startHarness({ findings: 1, config: { aws_gd_polling_intervl: '5', aws_gd_regions: '^us-east-1$' } });
    const advice = 'Unknown key [fn_aws_guardduty] aws_gd_polling_intervl: did you mean aws_gd_polling_interval?';
    const once = await h.cli(['once', '--config', h.configPath]);
    expect(once.code).toBe(0);
    expect(logLines(once.stdout).filter((l) => l.message === advice)).toEqual([expect.objectContaining({ level: 'warn' })]);
    const check = await h.cli(['check', '--config', h.configPath]);
    expect(check.stdout.split('\n').filter((l) => l.includes('aws_gd_polling_intervl'))).toEqual([`WARN  configuration: ${advice}`]);
    h.configure({ aws_gd_master_region: '', aws_gd_mastr_region: 'us-east-1' });
    const missing = await h.cli(['once', '--config', h.configPath]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/fn_aws_guardduty\.aws_gd_master_region: missing; .* Fix: did you mean aws_gd_master_region for the key aws_gd_mastr_region you wrote on line \d+\?/);
  });

  it('run with polling off and health off warns that it will do nothing (and check says so too)', async () => {
    h = await startHarness({ findings: 0, setup: false, config: { aws_gd_polling_interval: '0' } });
    const check = await h.cli(['check', '--config', h.configPath]);
    expect(check.stdout).toMatch(/WARN {2}configuration: aws_gd_polling_interval = 0 turns polling off and aws_gd_health_port is not set: `run` will poll nothing/);
    const daemon = h.daemon();
    try {
      const warning = await daemon.waitFor((l) => l.level === 'warn' && String(l.message).includes('`run` will poll nothing and serve nothing'));
      expect(warning.message).toContain('aws_gd_polling_interval = 0');
    } finally {
      await daemon.stop();
    }
  });
});

describe('secrets', () => {
  it('never appear in the logs, while the effective configuration is logged with them blanked', async () => {
    h = await startHarness({ findings: 4 });
    const secretsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gds-secrets-'));
    h.configure({ 'resilient.api_key_secret': '$SOAR_SECRET', aws_gd_secret_access_key: '${AWS_SECRET}' });
    const result = await h.cli(['once', '--config', h.configPath], {
      env: { SOAR_SECRET: 'demo-secret', AWS_SECRET: 'aws-secret-value-0123456789', GUARDDUTY_SOAR_SECRETS_DIR: secretsDir },
    });
    fs.rmSync(secretsDir, { recursive: true, force: true });
    expect(result.code).toBe(0);
    const everything = result.stdout + result.stderr;
    expect(everything).not.toContain('demo-secret');
    expect(everything).not.toContain('aws-secret-value-0123456789');
    const start = logLines(result.stdout).find((l) => l.message === 'guardduty-soar starting') as { config: Record<string, Record<string, string>> };
    expect(start.config.resilient?.api_key_secret).toBe('***');
    expect(start.config.fn_aws_guardduty?.aws_gd_secret_access_key).toBe('***');
    expect(start.config.resilient?.api_key_id).toBe('demo-key');
  });
});

describe('the real CLI, end to end', () => {
  it('200 new findings in one region cost 1 DescribeRegions, the detector lookups and coverage check, 5 ListFindings and 4 GetFindings; SOAR writes are one create per finding plus one per row', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    h.aws.generateFindings({ count: 200, region: 'us-east-1' });
    h.aws.resetCalls();
    h.soar.resetCalls();
    const result = await h.cli(['once', '--config', h.configPath]);
    expect(result.code).toBe(0);
    const aws = h.aws.calls().counts;
    // The coverage check goes with the rediscovery: once per region and aws_gd_regions_interval.
    const coverage = { 'guardduty:GetDetector': 1, 'guardduty:GetCoverageStatistics': 1, 'guardduty:ListMembers': 1 };
    expect(aws).toEqual({ 'ec2:DescribeRegions': 1, 'guardduty:ListDetectors': 1, 'sts:GetCallerIdentity': 1, 'guardduty:ListFindings': 4, 'guardduty:GetFindings': 4, ...coverage });
    const soar = h.soar.calls().counts;
    const rows = h.incidents().reduce((n, i) => n + Object.values(i.tables).reduce((m, t) => m + t.length, 0), 0);
    expect(h.incidents()).toHaveLength(200);
    expect(soar['POST /rest/orgs/{org}/incidents']).toBe(200);
    expect(soar['POST /rest/orgs/{org}/incidents/{id}/table_data/{table}/row_data']).toBe(rows);
    // Beyond them, the links of the attack sequences among the 200 (issue 20): one note and the
    // field on the incident of each finding a sequence is made of, and at most one update of its row
    // on the sequence's incident (none when the member's incident existed when that row was written).
    const linked = h.incidents().filter((i) => i.properties.aws_guardduty_sequence_incident !== null).length;
    expect(linked).toBeGreaterThan(0);
    expect(soar['POST /rest/orgs/{org}/incidents/{id}/comments']).toBe(linked);
    expect(soar['PATCH /rest/orgs/{org}/incidents/{id}']).toBe(linked);
    const writes = soarWrites(h);
    const rowsNamed = writes.filter(([op]) => op.startsWith('PUT ') && op.includes('/row_data/')).reduce((n, [, c]) => n + c, 0);
    expect(rowsNamed).toBeLessThanOrEqual(linked);
    expect(writes.reduce((n, [, c]) => n + c, 0)).toBe(200 + rows + 2 * linked + rowsNamed);
    // One summary line per region and one per cycle.
    const lines = logLines(result.stdout);
    expect(lines.filter((l) => l.message === 'Region summary')).toEqual([expect.objectContaining({ region: 'us-east-1', listed: 200, created: 200, failed: 0 })]);
    expect(lines.filter((l) => l.message === 'Cycle finished')).toHaveLength(1);
  });

  it('a process killed between the SOAR create and the link completion leaves exactly one incident per finding', async () => {
    h = await startHarness({ findings: 5 });
    // SOAR processes the first create, then holds the answer back: the daemon is killed while it waits.
    const fault = h.soar.addFault({ operations: ['POST /rest/orgs/{org}/incidents'], answerDelayMs: 10_000 });
    let pid = 0;
    const run = h.cli(['once', '--config', h.configPath], { onSpawn: (p) => (pid = p) });
    await until(() => (h?.incidents().length ?? 0) > 0, 'the first create reaching SOAR', { everyMs: 20 });
    process.kill(pid, 'SIGKILL');
    await run;
    h.soar.removeFault(fault.id);
    const before = h.incidents().length;
    const again = await h.cli(['once', '--config', h.configPath]);
    expect(again.code).toBe(0);
    expect(h.incidents()).toHaveLength(5);
    expect(before).toBeLessThanOrEqual(5);
    const ids = h.incidents().map((i) => i.properties.aws_guardduty_finding_id);
    expect(new Set(ids).size).toBe(5);
    for (const incident of h.incidents()) expect(incident.tables.gd_finding_overview).toHaveLength(1);
  });
});
