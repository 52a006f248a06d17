#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { imageProblem } from './apphost/app-package.js';
import { ConfigError } from './core/errors.js';
import type { Io } from './app/app.js';
import { packageMeta } from './core/package-meta.js';
import { checkCommand } from './commands/check.js';
import { demoCommand } from './commands/demo.js';
import { emulateCommand } from './commands/emulate.js';
import { healthcheckCommand } from './commands/healthcheck.js';
import { onceCommand } from './commands/once.js';
import { DEFAULT_PACKAGE_DIR, packageCommand } from './commands/package.js';
import { runCommand } from './commands/run.js';
import { setupCommand } from './commands/setup.js';
import { statusCommand } from './commands/status.js';

/** The CLI entry: parses the command line and sets the exit code (0 ok, 1 runtime failure, 2 configuration or usage). */

// The AWS SDK prints a multi-line process warning on Node 20 at every start; the daemon logs the
// same fact once, as a log line (see logStartup), instead of an unstructured stderr block.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const io: Io = { env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr };


const program = new Command('guardduty-soar')
  .description('Escalates Amazon GuardDuty findings into IBM SOAR incidents and keeps both sides in sync.')
  .version(packageMeta().version, '-V, --version', 'print the version and exit')
  .showHelpAfterError()
  .exitOverride();
const configOption = (): Option =>
  new Option('--config <path>', 'app.config to use (default: $APP_CONFIG_FILE, else ./app.config)');
const integer = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer.`);
  return n;
};

const imageReference = (value: string): string => {
  const problem = imageProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
};

let exitCode = 0;
const settle = (code: number): void => {
  exitCode = code;
};

program.command('run').description('the daemon: first cycle at once, then on schedule, until SIGTERM/SIGINT')
  .addOption(configOption())
  .option('--health-host <host>', 'address the health endpoints bind', '0.0.0.0')
  .action(async (o: { config?: string; healthHost: string }) => settle(await runCommand(io, { config: o.config, healthHost: o.healthHost })));
program.command('once').description('one full cycle, then exit; the exit code says whether anything failed')
  .addOption(configOption())
  .action(async (o: { config?: string }) => settle(await onceCommand(io, o)));
program.command('check').description('self-test: configuration, AWS credentials and permissions, SOAR connection and schema')
  .addOption(configOption())
  .action(async (o: { config?: string }) => settle(await checkCommand(io, o)));
program.command('setup').description('create the custom fields, data tables and artifact types SOAR lacks (idempotent)')
  .addOption(configOption())
  .option('--dry-run', 'only list what is missing')
  .action(async (o: { config?: string; dryRun?: boolean }) => settle(await setupCommand(io, o)));
program.command('status').description('state from SQLite: cursors, lag, errors, links, pending operations')
  .addOption(configOption())
  .option('--json', 'machine-readable output')
  .action((o: { config?: string; json?: boolean }) => settle(statusCommand(io, o)));
program.command('healthcheck').description('the container HEALTHCHECK: GET /healthz on aws_gd_health_port; exit 0 when healthy or when health is off')
  .addOption(configOption())
  .option('--host <host>', 'address of the health endpoints', '127.0.0.1')
  .action(async (o: { config?: string; host: string }) => settle(await healthcheckCommand(io, o)));
program.command('emulate').description('start the local AWS and SOAR emulators and print where they listen')
  .option('--aws-port <n>', 'AWS emulator port (0 = any free port)', integer('--aws-port'), 0)
  .option('--soar-port <n>', 'SOAR emulator port (0 = any free port)', integer('--soar-port'), 0)
  .option('--stomp-port <n>', 'SOAR emulator STOMP (TLS) port for SOAR functions, printed as "stomp" (0 = any free port)', integer('--stomp-port'), 0)
  .option('--tls', 'serve SOAR REST over HTTPS with a certificate from the emulator CA, whose file is printed as "ca" (use it as cafile)')
  .option('--ca-file <path>', 'also write the emulator CA to this file (app.config.emulators reads data/emulator-ca.pem as stomp_cafile); removed on exit')
  .option('--regions <list>', 'regions that have a GuardDuty detector', 'us-east-1,us-east-2,us-west-2,eu-west-1')
  .option('--sample-findings <n>', 'sample findings spread over those regions', integer('--sample-findings'), 0)
  .option('--latency-ms <n>', 'latency added to every response', integer('--latency-ms'), 0)
  .option('--soar-api-key <id:secret>', 'API key the SOAR emulator accepts', 'demo-key:demo-secret')
  .option('--soar-org <name>', 'SOAR org name', 'Demo Org')
  .action(async (o: { awsPort: number; soarPort: number; stompPort: number; tls?: boolean; caFile?: string; regions: string; sampleFindings: number; latencyMs: number; soarApiKey: string; soarOrg: string }) =>
    settle(await emulateCommand(io, { ...o, regions: o.regions.split(',').map((r) => r.trim()).filter(Boolean) })));
program.command('package').description('write the IBM App Host app package (app.json and export.res in app-<name>-<version>.zip)')
  // A wrong reference is a mistake on the command line, not in app.config (which package never reads).
  .addOption(new Option('--image <ref>', 'container image App Host pulls, REPO:TAG or REPO@sha256:DIGEST (default: guardduty-soar:<version>)').argParser(imageReference))
  .option('--out <dir>', `folder to write the zip into (git ignores the default, ${DEFAULT_PACKAGE_DIR}/)`, DEFAULT_PACKAGE_DIR)
  .action((o: { image?: string; out: string }) => settle(packageCommand(io, o)));
program.command('demo').description('the embedded default: emulators with sample findings, setup, and the real daemon for a few cycles')
  .option('--findings <n>', 'sample findings to start with (at least 5: the story changes five of them)', integer('--findings'), 24)
  .option('--verbose', 'also show the daemon\'s log')
  .action(async (o: { findings: number; verbose?: boolean }) => settle(await demoCommand(io, o)));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const code = (err as { code?: string }).code;
  // `help` and --help exit 0; no command at all prints the help on stderr as a usage error (exit 2).
  if (code === 'commander.helpDisplayed' || code === 'commander.version') exitCode = 0;
  else if (code === 'commander.help') exitCode = (err as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  else if (typeof code === 'string' && code.startsWith('commander.')) exitCode = 2;
  else if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    exitCode = 2;
  } else {
    process.stderr.write(`guardduty-soar: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    exitCode = 1;
  }
}
process.exitCode = exitCode;
// The command is over. A request abandoned at shutdown (a hung SOAR call) would otherwise keep the
// event loop, and so the container, alive; the timer is unref'd, so a clean exit does not wait for it.
setTimeout(() => process.exit(exitCode), 1_000).unref();
