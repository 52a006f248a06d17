import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_EMULATOR_REGIONS, startEmulators, type Emulators } from '../emulators/index.js';
import type { BenchOptions } from './options.js';
import { runDaemon, startDaemon, type DaemonRun, type RunningDaemon } from './daemon-run.js';

/** `num_workers` of the daemon: the most SOAR functions it runs at once (the key's default, written out for the bound). */
export const FUNCTION_WORKERS = 25;

/**
 * One benchmark world: both emulators in this process (with the configured latency), a fresh
 * temporary database, and an app.config pointing the daemon at them. The daemon itself always runs
 * as a child process (`runDaemon`), so its memory is measured apart from the emulators'.
 */
/**
 * What a world changes from the options: the adaptive-concurrency scenarios run with the ceiling's
 * default (`soarConcurrency: 'default'`), their own SOAR latency, and the health endpoints on.
 */
export interface WorldSettings {
  soarConcurrency?: number | 'default';
  latencySoarMs?: number;
  healthPort?: number;
}

export class World {
  readonly dir: string;
  readonly configPath: string;
  readonly regions: readonly string[] = DEFAULT_EMULATOR_REGIONS;

  private constructor(readonly emulators: Emulators, private readonly options: BenchOptions, private readonly settings: WorldSettings) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gds-bench-'));
    this.configPath = path.join(this.dir, 'app.config');
    fs.writeFileSync(this.configPath, this.config());
  }

  static async start(options: BenchOptions, settings: WorldSettings = {}): Promise<World> {
    const emulators = await startEmulators({
      aws: { regions: [...DEFAULT_EMULATOR_REGIONS], latencyMs: options.latencyAwsMs, seed: 11 },
      soar: { latencyMs: settings.latencySoarMs ?? options.latencySoarMs, seed: 11 },
    });
    const world = new World(emulators, options, settings);
    // The SOAR schema the daemon needs (custom fields, tables, artifact types): not measured.
    const setup = await runDaemon(world, ['setup']);
    if (setup.exitCode !== 0) {
      await world.close();
      throw new Error(`guardduty-soar setup failed (exit ${setup.exitCode}): ${setup.problems.join('; ')}`);
    }
    return world;
  }

  get aws(): Emulators['aws'] {
    return this.emulators.aws;
  }

  get soar(): Emulators['soar'] {
    return this.emulators.soar;
  }

  /** `n` new findings of mixed types, spread evenly over the detector regions (distinct ids): region → ids. */
  generate(n: number): Map<string, string[]> {
    const byRegion = new Map<string, string[]>();
    this.regions.forEach((region, i) => {
      const count = Math.floor(n / this.regions.length) + (i < n % this.regions.length ? 1 : 0);
      byRegion.set(region, count > 0 ? this.aws.generateFindings({ count, region }).map((f) => f.id) : []);
    });
    return byRegion;
  }

  /** One `guardduty-soar once` in a child process, with the call counters of both emulators reset first. */
  async once(): Promise<DaemonRun> {
    this.resetCalls();
    return runDaemon(this, ['once']);
  }

  /** `guardduty-soar run` in a child process (the scheduler and the SOAR functions listener); the caller stops it. */
  startRun(): RunningDaemon {
    // The health endpoints, when on, on loopback only.
    return startDaemon(this, this.settings.healthPort === undefined ? ['run'] : ['run', '--health-host', '127.0.0.1']);
  }

  /** Zeroes both emulators' call counters, so what follows is counted alone. */
  resetCalls(): void {
    this.aws.resetCalls();
    this.soar.resetCalls();
  }

  /** The daemon's environment: the AWS SDK's standard endpoint variables point at the emulator. */
  env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(env)) if (/^(AWS_|HTTPS?_PROXY$|NO_PROXY$)/i.test(key)) delete env[key];
    for (const service of ['GUARDDUTY', 'EC2', 'STS']) env[`AWS_ENDPOINT_URL_${service}`] = this.aws.url;
    env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    return env;
  }

  async close(): Promise<void> {
    await this.emulators.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private config(): string {
    const soarUrl = new URL(this.soar.url);
    return [
      '[resilient]',
      `host = ${soarUrl.protocol}//${soarUrl.hostname}`,
      `port = ${soarUrl.port}`,
      `org = ${this.soar.orgName}`,
      'api_key_id = demo-key',
      'api_key_secret = demo-secret',
      // SOAR functions: the emulator's STOMP broker over TLS, its CA verified.
      `stomp_port = ${String(this.soar.stompPort)}`,
      `stomp_cafile = ${this.soar.caPath ?? ''}`,
      `num_workers = ${FUNCTION_WORKERS}`,
      '',
      '[fn_aws_guardduty]',
      'aws_gd_access_key_id = AKIABENCHMARK0000001',
      'aws_gd_secret_access_key = benchmark-secret-access-key',
      'aws_gd_master_region = us-east-1',
      // Only the detector regions: discovery costs one DescribeRegions plus one ListDetectors per region.
      `aws_gd_regions = ^(${this.regions.join('|')})$`,
      'aws_gd_polling_interval = 10',
      // Generated findings carry the sample marker.
      'aws_gd_include_sample_findings = true',
      ...(this.settings.soarConcurrency === 'default' ? [] : [`aws_gd_soar_concurrency = ${this.settings.soarConcurrency ?? this.options.concurrency}`]),
      ...(this.settings.healthPort === undefined ? [] : [`aws_gd_health_port = ${this.settings.healthPort}`]),
      `aws_gd_db_path = ${path.join(this.dir, 'state.db')}`,
      '',
    ].join('\n');
  }
}
