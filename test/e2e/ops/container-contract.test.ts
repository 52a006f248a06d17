import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompactEncrypt, exportJWK, generateSecret } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startDaemon, type DaemonProcess } from '../../helpers/daemon-process.js';
import { logLines, startHarness, type Harness } from '../../helpers/harness.js';

/**
 * The container image cannot be built here, so this checks what it relies on, outside Docker: the
 * Dockerfile's contract (read from the file), and the CLI running as uid 1001 with the configuration
 * found through APP_CONFIG_FILE in a read-only place, only the state volume writable, logs on
 * stdout, the HEALTHCHECK command, and App Host's encrypted secrets.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const APP_UID = 1001;
const isRoot = process.getuid?.() === 0;

let h: Harness | undefined;
let daemon: DaemonProcess | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  await h?.close();
  h = undefined;
});

/** Instructions of each stage of the Dockerfile, continuation lines joined. */
function dockerfileStages(): { from: string; instructions: string[] }[] {
  const text = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
  const stages: { from: string; instructions: string[] }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (/^FROM /i.test(line)) stages.push({ from: line, instructions: [] });
    else stages[stages.length - 1]?.instructions.push(line);
  }
  return stages;
}

describe('the Dockerfile', () => {
  it('is multi-stage on a Node LTS slim base, builds the native module in the builder, runs as uid 1001', () => {
    const text = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const stages = dockerfileStages();
    expect(stages).toHaveLength(2);
    const [build, runtime] = stages as [(typeof stages)[0], (typeof stages)[0]];
    // Node 24 LTS in the image; package.json promises what the suite runs on, which the image satisfies.
    expect(text).toMatch(/^ARG NODE_VERSION=24$/m);
    const engines = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe('>=20.19.0');
    expect(build.from).toBe('FROM node:${NODE_VERSION}-bookworm-slim AS build');
    expect(runtime.from).toBe('FROM node:${NODE_VERSION}-bookworm-slim');
    // The compiler and npm ci (which builds better-sqlite3) happen in the builder only.
    expect(build.instructions.some((i) => /apt-get install .*g\+\+/.test(i))).toBe(true);
    expect(build.instructions.some((i) => /npm ci/.test(i))).toBe(true);
    expect(build.instructions.some((i) => /npm prune --omit=dev/.test(i))).toBe(true);
    expect(runtime.instructions.some((i) => /npm (ci|install)|apt-get install|g\+\+/.test(i))).toBe(false);
    expect(runtime.instructions).toContain('COPY --from=build /build/node_modules ./node_modules');
    const runtimeText = runtime.instructions.join('\n');
    expect(runtimeText).toMatch(/^ENV .*APP_CONFIG_FILE=\/etc\/rescircuits\/app\.config/m);
    expect(runtimeText).toMatch(/^USER 1001:1001$/m);
    expect(runtimeText).toMatch(/groupadd --gid 1001 /);
    // The App Host environment and folders of IBM's images (soar-functions-contract §6.3).
    expect(runtimeText).toMatch(/^ENV .*APP_HOST_CONTAINER=1 .*APP_LOG_DIR=\/var\/log\/rescircuits/m);
    expect(runtimeText).toMatch(/mkdir -p \/etc\/rescircuits \/var\/rescircuits \/var\/log\/rescircuits /);
    expect(runtimeText).toMatch(/chmod g=u \/var\/lib\/guardduty-soar \/var\/log\/rescircuits/);
    // The config-change restart is an exit (code 3): the documented docker run restarts it.
    expect(text).toMatch(/^#\s+docker run .*--restart unless-stopped/m);
    expect(runtimeText).toMatch(/^VOLUME \["\/var\/lib\/guardduty-soar"\]$/m);
    // The state lands in the volume by default: the working directory is the volume.
    expect(runtime.instructions.filter((i) => i.startsWith('WORKDIR ')).pop()).toBe('WORKDIR /var/lib/guardduty-soar');
    expect(runtimeText).toMatch(/chown 1001:1001 \/var\/lib\/guardduty-soar/);
    expect(runtimeText).toMatch(/^HEALTHCHECK .*CMD \["node", "\/opt\/guardduty-soar\/dist\/src\/cli\.js", "healthcheck"\]$/m);
    expect(runtimeText).toMatch(/^ENTRYPOINT \["node", "\/opt\/guardduty-soar\/dist\/src\/cli\.js"\]$/m);
    expect(runtimeText).toMatch(/^CMD \["run"\]$/m);
    // Everything the runtime copies from the builder exists after a build here.
    for (const copy of runtime.instructions.filter((i) => i.startsWith('COPY --from=build /build/'))) {
      const source = /\/build\/(\S+)/.exec(copy)?.[1] ?? '';
      expect(fs.existsSync(path.join(ROOT, source)), source).toBe(true);
    }
  });

  it('keeps credentials, state and local builds out of the build context', () => {
    const ignored = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['app.config', 'node_modules', 'dist', '*.db', '.git', 'data']) expect(ignored).toContain(entry);
    // What the builder copies must not be ignored.
    for (const needed of ['src', 'emulators', 'templates', 'package.json', 'package-lock.json', 'app.config.example']) expect(ignored).not.toContain(needed);
  });
});

describe('logs on stdout', () => {
  it('are JSON lines with levels and a region on every region line; text when configured', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^(us-east-1|eu-west-1)$' } });
    h.aws.generateFindings({ count: 2, region: 'us-east-1' });
    const json = await h.cli(['once', '--config', h.configPath]);
    expect(json.code).toBe(0);
    const lines = logLines(json.stdout);
    expect(lines.length).toBe(json.stdout.trim().split('\n').length);
    expect(new Set(lines.map((l) => l.level))).toEqual(new Set(['info']));
    expect(lines.filter((l) => l.message === 'Region summary').map((l) => l.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    h.configure({ aws_gd_log_format: 'text' });
    const text = await h.cli(['once', '--config', h.configPath]);
    expect(text.code).toBe(0);
    expect(text.stdout.trim().split('\n').every((l) => /^\d{4}-\d\d-\d\dT\S+Z (INFO|WARN|ERROR|DEBUG) /.test(l))).toBe(true);
  });
});

describe('App Host secrets, as the built CLI reads them', () => {
  /** [resilient] api_key_secret = $API_KEY_SECRET, the secret stored as App Host stores it: a JWE file and its key. */
  async function appHostSecrets(harness: Harness, secret: string, keyMatches: boolean): Promise<NodeJS.ProcessEnv> {
    const secrets = fs.mkdtempSync(path.join(os.tmpdir(), 'gds-secrets-'));
    dirs.push(secrets);
    const key = await generateSecret('A256GCM', { extractable: true });
    const stored = keyMatches ? key : await generateSecret('A256GCM', { extractable: true });
    fs.mkdirSync(path.join(secrets, '.jwk'));
    fs.writeFileSync(path.join(secrets, '.jwk', 'key.jwk'), JSON.stringify(await exportJWK(stored)));
    const token = await new CompactEncrypt(new TextEncoder().encode(secret)).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(key);
    fs.writeFileSync(path.join(secrets, 'API_KEY_SECRET'), `${token}\n`);
    harness.configure({ 'resilient.api_key_secret': '$API_KEY_SECRET' });
    return { GUARDDUTY_SOAR_SECRETS_DIR: secrets };
  }

  it('decrypts the JWE secret with the key beside it and signs in with it', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    h.aws.generateFindings({ count: 2, region: 'us-east-1' });
    const env = await appHostSecrets(h, 'demo-secret', true);
    const result = await h.cli(['once', '--config', h.configPath], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(h.incidents()).toHaveLength(2);
    expect(result.stdout).not.toContain('demo-secret');
  });

  it('with the wrong key: exit 2, naming the file, the key and the variable it tried, never the secret', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    const env = await appHostSecrets(h, 'demo-secret', false);
    const result = await h.cli(['once', '--config', h.configPath], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/API_KEY_SECRET holds an App Host \(JWE\) secret that was not decrypted: decryption with .*\.jwk\/key\.jwk failed/);
    expect(result.stderr).toContain('no environment variable API_KEY_SECRET');
    expect(result.stderr + result.stdout).not.toContain('demo-secret');
    expect(h.incidents()).toHaveLength(0);
  });
});

describe.skipIf(!isRoot)('as the image runs it: uid 1001, APP_CONFIG_FILE, only the volume writable', () => {
  // In the image uid 1001 reads /app; here it must reach the checkout, which a clone made in a
  // `mktemp -d` folder (mode 0700) does not allow. Others may traverse (not list) its folders for
  // these tests; the modes are put back after.
  // The same for the node binary the tests run on (CI's second run takes Node 24 from a cache under $HOME).
  let restoreModes: () => void = () => undefined;
  beforeAll(() => {
    const restores = [letOthersTraverse(ROOT), letOthersTraverse(path.dirname(process.execPath))];
    restoreModes = () => restores.reverse().forEach((restore) => restore());
  });
  afterAll(() => restoreModes());

  /** /etc/rescircuits (root-owned, read-only for the app) and the state volume (owned by 1001). */
  async function layout(writableVolume = true): Promise<{ harness: Harness; configFile: string; volume: string; env: NodeJS.ProcessEnv }> {
    const harness = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    h = harness;
    harness.aws.generateFindings({ count: 3, region: 'us-east-1' });
    // The default aws_gd_db_path (./data/guardduty-soar.db), as an operator who does not set it has.
    harness.configure({ aws_gd_db_path: '' });
    const etc = fs.mkdtempSync(path.join(os.tmpdir(), 'gds-etc-'));
    const volume = fs.mkdtempSync(path.join(os.tmpdir(), 'gds-vol-'));
    dirs.push(etc, volume);
    // The emulator's CA sits in a folder only root may enter; the app reads it from /etc/rescircuits here.
    if (harness.soar.caPath) {
      const ca = path.join(etc, 'emulator-ca.pem');
      fs.copyFileSync(harness.soar.caPath, ca);
      fs.chmodSync(ca, 0o644);
      harness.configure({ 'resilient.stomp_cafile': ca });
    }
    const configFile = path.join(etc, 'app.config');
    fs.copyFileSync(harness.configPath, configFile);
    fs.chmodSync(etc, 0o755);
    fs.chmodSync(configFile, 0o644);
    if (writableVolume) fs.chownSync(volume, APP_UID, APP_UID);
    else fs.chmodSync(volume, 0o755);
    const env = { ...harness.env, APP_CONFIG_FILE: configFile, HOME: volume };
    return { harness, configFile, volume, env };
  }

  it('runs a cycle: configuration from APP_CONFIG_FILE, state created in the volume, JSON logs on stdout', async () => {
    const { harness, configFile, volume, env } = await layout();
    const before = fs.readdirSync(path.dirname(configFile));
    const result = await runCliAs(['once'], volume, env);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(harness.incidents()).toHaveLength(3);
    const db = path.join(volume, 'data', 'guardduty-soar.db');
    expect(fs.statSync(db).uid).toBe(APP_UID);
    expect(fs.readdirSync(path.dirname(configFile))).toEqual(before);
    expect(result.stderr).toBe('');
    const lines = logLines(result.stdout);
    expect(lines.length).toBeGreaterThan(0);
    expect(result.stdout.trim().split('\n').every((l) => l.startsWith('{'))).toBe(true);
    expect(lines.find((l) => l.message === 'guardduty-soar starting')).toBeDefined();
  });

  it('a volume it cannot write is a clear error naming the path and the user', async () => {
    const { volume, env } = await layout(false);
    const result = await runCliAs(['once'], volume, env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Cannot open the state database ${path.join(volume, 'data', 'guardduty-soar.db')}`);
    expect(result.stderr).toContain(`(uid ${APP_UID})`);
    expect(result.stderr).toContain('/var/lib/guardduty-soar');
  });

  it('the HEALTHCHECK command, run as the image runs it, follows the daemon', async () => {
    const port = await freePort();
    const { harness, configFile, volume, env } = await layout();
    fs.writeFileSync(configFile, fs.readFileSync(harness.configPath, 'utf8').replace('[fn_aws_guardduty]', `[fn_aws_guardduty]\naws_gd_health_port = ${port}`));
    daemon = startDaemon(['run', '--health-host', '127.0.0.1'], { cwd: volume, env, uid: APP_UID, gid: APP_UID });
    await daemon.waitFor((l) => l.message === 'Cycle finished');
    const healthy = await runCliAs(['healthcheck'], volume, env);
    expect(healthy.code, healthy.stderr).toBe(0);
    daemon.signal('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
    const stopped = await runCliAs(['healthcheck'], volume, env);
    expect(stopped.code).toBe(1);
  });
});

/** Adds the "search" bit for others on `dir` and every folder above it that lacks it; returns the undo. */
function letOthersTraverse(dir: string): () => void {
  const changed: { dir: string; mode: number }[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    const mode = fs.statSync(d).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(d, mode | 0o001);
      changed.push({ dir: d, mode });
    }
    if (path.dirname(d) === d) break;
  }
  return () => {
    for (const { dir: d, mode } of changed.reverse()) fs.chmodSync(d, mode);
  };
}

/** The built CLI as uid/gid 1001 (the tests run as root here, as CI containers often do). */
async function runCliAs(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startDaemon(args, { cwd, env, uid: APP_UID, gid: APP_UID });
  const { code } = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}
