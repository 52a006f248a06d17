import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseLogLine } from '../../bench/daemon-run.js';
import { startEmulators, type Emulators, type EmulatorsOptions } from '../../emulators/index.js';
import type { AdminIncident } from '../../emulators/soar/index.js';
import { onceCommand } from '../../src/commands/once.js';
import { setupCommand } from '../../src/commands/setup.js';
import type { Io } from '../../src/app/app.js';
import { startDaemon, type DaemonProcess } from './daemon-process.js';

/**
 * End-to-end harness: both emulators in-process on 127.0.0.1, an app.config pointing at them, and
 * the real commands (in-process for speed, or the built CLI as a child process). The AWS SDK reaches
 * the emulator through its standard AWS_ENDPOINT_URL_* variables, as an operator would point it at a
 * VPC endpoint: no private test switch.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'dist/src/cli.js');

export interface CapturedIo extends Io {
  out(): string;
  err(): string;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface HarnessOptions extends EmulatorsOptions {
  /** Sample findings generated at start, spread over the detector regions (default 8). */
  findings?: number;
  /** Extra `[fn_aws_guardduty]` keys (or `section.key` for other sections). */
  config?: Record<string, string>;
  /** Run `setup` at start (default true). */
  setup?: boolean;
}

export class Harness {
  readonly dbPath: string;
  readonly configPath: string;
  private readonly daemons: DaemonProcess[] = [];

  constructor(readonly emulators: Emulators, readonly dir: string, private extra: Record<string, string>) {
    this.dbPath = path.join(dir, 'state.db');
    this.configPath = path.join(dir, 'app.config');
    this.writeConfig();
  }

  get aws(): Emulators['aws'] {
    return this.emulators.aws;
  }

  get soar(): Emulators['soar'] {
    return this.emulators.soar;
  }

  /** Environment of the daemon: the SDK's standard endpoint variables point at the emulator. */
  get env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(env)) if (/^(AWS_|HTTPS?_PROXY|NO_PROXY)/i.test(key)) delete env[key];
    for (const service of ['GUARDDUTY', 'EC2', 'STS', 'S3']) env[`AWS_ENDPOINT_URL_${service}`] = this.aws.url;
    env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    return env;
  }

  /** Rewrites app.config with more (or changed) keys. */
  configure(extra: Record<string, string>): void {
    this.extra = { ...this.extra, ...extra };
    this.writeConfig();
  }

  io(): CapturedIo {
    const out: string[] = [];
    const err: string[] = [];
    const sink = (into: string[]): Writable => new Writable({ write: (chunk: Buffer, _enc, done) => { into.push(chunk.toString()); done(); } });
    return { env: this.env, cwd: this.dir, stdout: sink(out), stderr: sink(err), out: () => out.join(''), err: () => err.join('') };
  }

  /** `guardduty-soar once`, in-process. */
  async once(): Promise<CommandResult> {
    const io = this.io();
    const code = await onceCommand(io, { config: this.configPath });
    return { code, stdout: io.out(), stderr: io.err() };
  }

  async setup(): Promise<CommandResult> {
    const io = this.io();
    const code = await setupCommand(io, { config: this.configPath });
    return { code, stdout: io.out(), stderr: io.err() };
  }

  /** The built CLI as a child process (`npm test` builds before running the tests). */
  cli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; onSpawn?: (pid: number) => void } = {}): Promise<CommandResult> {
    return runCli(args, { cwd: this.dir, env: { ...this.env, ...options.env }, timeoutMs: options.timeoutMs, onSpawn: options.onSpawn });
  }

  /** `guardduty-soar run` on this config, the built CLI as a child process; `close` kills what is left. */
  daemon(args: string[] = []): DaemonProcess {
    const daemon = startDaemon(['run', '--config', this.configPath, ...args], { cwd: this.dir, env: this.env });
    this.daemons.push(daemon);
    return daemon;
  }

  incidents(): AdminIncident[] {
    return this.soar.listIncidents();
  }

  incidentFor(findingId: string): AdminIncident | undefined {
    return this.incidents().find((i) => i.properties.aws_guardduty_finding_id === findingId);
  }

  findingIds(): string[] {
    return this.aws.listFindings({}).map((f) => String(f.id));
  }

  async close(): Promise<void> {
    for (const daemon of this.daemons.splice(0)) await daemon.stop();
    await this.emulators.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private writeConfig(): void {
    const soarUrl = new URL(this.soar.url);
    const sections: Record<string, Record<string, string>> = {
      resilient: {
        host: `${soarUrl.protocol}//${soarUrl.hostname}`, port: soarUrl.port, org: this.soar.orgName, api_key_id: 'demo-key', api_key_secret: 'demo-secret',
        // The SOAR functions: the emulator's STOMP broker, its certificate verified against the emulator CA.
        stomp_port: String(this.soar.stompPort ?? ''), stomp_cafile: this.soar.caPath ?? '',
      },
      fn_aws_guardduty: {
        aws_gd_access_key_id: 'AKIAE2ETESTKEY000001',
        aws_gd_secret_access_key: 'e2e-secret-access-key-value',
        aws_gd_master_region: 'us-east-1',
        aws_gd_regions: '^(us|eu)-',
        aws_gd_polling_interval: '10',
        aws_gd_include_sample_findings: 'true',
        aws_gd_db_path: this.dbPath,
      },
    };
    for (const [key, value] of Object.entries(this.extra)) {
      const [section, name] = key.includes('.') ? (key.split('.', 2) as [string, string]) : ['fn_aws_guardduty', key];
      (sections[section] ??= {})[name] = value;
    }
    const text = Object.entries(sections)
      .map(([name, keys]) => [`[${name}]`, ...Object.entries(keys).filter(([, v]) => v !== '').map(([k, v]) => `${k} = ${v}`)].join('\n'))
      .join('\n\n');
    fs.writeFileSync(this.configPath, `${text}\n`);
  }
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const emulators = await startEmulators({
    aws: { sampleFindings: options.findings ?? 8, seed: 3, ...options.aws },
    soar: { ...options.soar },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gds-e2e-'));
  const harness = new Harness(emulators, dir, options.config ?? {});
  // The in-process commands use the SDK in this process: point it at the emulator.
  Object.assign(process.env, harness.env);
  if (options.setup ?? true) {
    const result = await harness.setup();
    if (result.code !== 0) throw new Error(`setup failed: ${result.stderr}`);
  }
  return harness;
}

export function runCli(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number | undefined; onSpawn?: ((pid: number) => void) | undefined },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** Parses JSON log lines (skipping anything else). */
export function logLines(text: string): Record<string, unknown>[] {
  return text.split('\n').flatMap((line) => {
    const parsed = parseLogLine(line);
    return parsed ? [parsed] : [];
  });
}
