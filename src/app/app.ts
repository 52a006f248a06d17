import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { systemClock, type Clock } from '../core/clock.js';
import type { AppConfig } from '../config/app-config.js';
import { withEnvironmentProxies } from '../config/env-proxies.js';
import { loadConfig, locateConfigFile } from '../config/load-config.js';
import { Metrics } from '../health/metrics.js';
import { bundledTemplatePaths } from '../incidents/bundled-templates.js';
import { loadTemplates, type Templates } from '../incidents/templates.js';
import { createLogger, type Logger } from '../logging/logger.js';
import type { AwsCredentialsMode, AwsCredentialsSource } from '../regions/aws-clients.js';
import type { FindingsSource } from '../regions/findings-source.js';
import { createGuardDutySource } from '../regions/guardduty-client.js';
import type { CaseSystem, SchemaCatalog } from '../soar/case-system.js';
import { createSoarClient, type SoarClient } from '../soar/soar-client.js';
import { createSoarLimit, type SoarLimit } from '../soar/soar-limit.js';
import { Store } from '../store/store.js';
import type { LockOwner } from '../store/lock-repo.js';
import { CallGate } from '../util/call-gate.js';
import type { ProxyRoute, RouteCounts } from '../util/proxy-routing.js';

/**
 * The composition root: the only place (with the CLI entry) that reads the environment, and the one
 * that builds the logger, the clock, the AWS and SOAR adapters, the SQLite store and the templates,
 * then hands them down.
 */

export interface Io {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: Writable;
  stderr: Writable;
}

export function readAppConfig(io: Io, cliPath: string | undefined): AppConfig {
  const path = locateConfigFile({ cliPath, env: io.env, cwd: io.cwd });
  const config = loadConfig({ path, env: io.env, cwd: io.cwd, secretsDir: io.env.GUARDDUTY_SOAR_SECRETS_DIR ?? '/etc/secrets', templatesDir: bundledTemplatesDir() });
  return withEnvironmentProxies(config, io.env);
}

function bundledTemplatesDir(): string {
  const create = bundledTemplatePaths().create;
  return create.slice(0, create.lastIndexOf('/'));
}

export function buildLogger(config: AppConfig, io: Io): Logger {
  return createLogger({ level: config.logLevel, ...(config.logFormat ? { format: config.logFormat } : {}), secrets: config.secrets, stream: io.stdout });
}

/** One polling identity: the credentials of one account (or role) and the source that uses them. */
export interface AwsSourceSpec {
  label: string;
  source: FindingsSource;
  /** Requests sent through the AWS proxy and straight to AWS so far. */
  routed(): Record<'http' | 'https', RouteCounts>;
  /** Releases the source's keep-alive sockets. */
  close(): void;
}

export interface App {
  config: AppConfig;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  templates: Templates;
  soarClient: SoarClient;
  /** The incidents; every request takes a slot of `soarLimit`. */
  soar: CaseSystem;
  /** The org's schema (fields, data tables, artifact types), under the same limit. */
  soarSchema: SchemaCatalog;
  /** The org's adaptive SOAR concurrency, shared by the cycle and the SOAR functions. */
  soarLimit: SoarLimit;
  aws: AwsSourceSpec[];
  store: Store;
  lockOwner: LockOwner;
  /** Closed by `run` when it stops: no SOAR or AWS call is made after its deadline (see CallGate). */
  gate: CallGate;
  close(): void;
}

export interface BuildOptions {
  clock?: Clock;
  logger?: Logger;
  metrics?: Metrics;
  /**
   * One attempt per AWS and SOAR call, no retry (`check`): a diagnosis reports what happened at once;
   * backing off against a refused port only delays the answer, and the daemon retries on its own.
   */
  singleAttempt?: boolean;
}

export function buildApp(config: AppConfig, io: Io, options: BuildOptions = {}): App {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? buildLogger(config, io);
  const metrics = options.metrics ?? new Metrics();
  const templates = loadTemplates(config.templates);
  const noProxy = io.env.NO_PROXY ?? io.env.no_proxy;
  const gate = new CallGate();
  // Every SOAR request takes a slot of it, retries included; a retry waiting out its backoff holds none.
  const soarLimit = createSoarLimit({ min: config.soarConcurrencyMin, max: config.soarConcurrency }, { clock, logger, metrics });
  const soarClient = createSoarClient(config.soar, {
    clock, logger, observer: metrics, noProxy, gate, limit: soarLimit.limit, ...(options.singleAttempt ? { retryPolicy: { maxAttempts: 1 } } : {}),
  });
  const soar: CaseSystem = soarClient.incidents;
  const soarSchema: SchemaCatalog = soarClient.catalog;
  const aws = buildAwsSources(config, { clock, logger, metrics, noProxy, gate, maxAttempts: options.singleAttempt ? 1 : undefined });
  const store = Store.open(config.dbPath, () => clock.now());
  const lockOwner = { owner: randomUUID(), pid: process.pid, host: os.hostname() };
  return {
    config, logger, clock, metrics, templates, soarClient, soar, soarSchema, soarLimit, aws, store, lockOwner, gate,
    close: () => {
      soarClient.close();
      for (const spec of aws) spec.close();
      store.close();
    },
  };
}

function buildAwsSources(
  config: AppConfig, deps: { clock: Clock; logger: Logger; metrics: Metrics; noProxy: string | undefined; gate: CallGate; maxAttempts: number | undefined },
): AwsSourceSpec[] {
  const { aws } = config;
  const proxy: ProxyRoute = { httpProxy: aws.httpProxy, httpsProxy: aws.httpsProxy, noProxy: deps.noProxy };
  const base: AwsCredentialsSource =
    aws.accessKeyId && aws.secretAccessKey
      ? { kind: 'static', accessKeyId: aws.accessKeyId, secretAccessKey: aws.secretAccessKey }
      : { kind: 'default-chain' };
  const assume = (roleArn: string): AwsCredentialsMode => ({
    kind: 'assume-role', roleArn, roleSessionName: aws.roleSessionName, durationSeconds: aws.sessionDurationSeconds,
    externalId: aws.externalId, source: base,
  });
  const roles = assumedRoles(aws);
  const modes: { label: string; credentials: AwsCredentialsMode }[] =
    roles.length > 0
      ? roles.map((arn) => ({ label: arn, credentials: assume(arn) }))
      : [{ label: base.kind === 'static' ? 'static keys' : 'default credential chain', credentials: base }];
  return modes.map(({ label, credentials }) => {
    const source = createGuardDutySource({
      masterRegion: aws.masterRegion, credentials, proxy, timeoutMs: aws.timeoutMs, maxAttempts: deps.maxAttempts,
      observer: deps.metrics, logger: deps.logger.child({ credentials: label }), clock: deps.clock, gate: deps.gate,
    });
    return { label, source, routed: () => source.routed(), close: () => source.close() };
  });
}

/** The roles to assume, one credential set each: `aws_gd_role_arns`, or `aws_gd_role_arn` (never both). */
export function assumedRoles(aws: AppConfig['aws']): string[] {
  return aws.roleArns.length > 0 ? aws.roleArns : aws.roleArn ? [aws.roleArn] : [];
}
