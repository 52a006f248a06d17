import type { AppConfig } from '../config/app-config.js';
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import { buildApp, buildLogger, readAppConfig, type App, type Io } from '../app/app.js';
import { checkAws } from './check-aws.js';
import { checkDatabase } from './check-database.js';
import { checkSoar } from './check-soar.js';
import { checkStomp } from './check-stomp.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../app/exit-codes.js';
import { formatCheckLine, type CheckLine, type CheckOutput } from './check-output.js';
import { describeStorageError, isStorageError } from '../app/storage-error.js';

/**
 * `guardduty-soar check`: the self-test an operator runs after installing or changing the
 * configuration. One line per check, OK, WARN or FAIL with the reason and the fix; checks that
 * depend on a failed one are not run. Exit 0 only if nothing failed, 2 for a bad configuration.
 */
export async function checkCommand(io: Io, options: { config?: string | undefined }): Promise<number> {
  const lines: CheckLine[] = [];
  const print: CheckOutput = (line) => {
    lines.push(line);
    io.stdout.write(`${formatCheckLine(line)}\n`);
  };
  const app = startCheck(io, options.config, print);
  if (typeof app === 'number') return app;
  print({ verdict: 'OK', name: 'configuration', detail: `valid; state in ${app.config.dbPath}` });
  for (const warning of app.config.warnings) print({ verdict: 'WARN', name: 'configuration', detail: warning });
  try {
    for (const spec of app.aws) await checkAws(app, spec, print);
    const org = await checkSoar(app, print);
    if (org) await checkDatabase(app, org, print);
    // The STOMP checks need the org id, so they depend on the SOAR ones.
    if (org) await checkStomp(app, org, print);
  } finally {
    app.close();
  }
  const failed = lines.filter((l) => l.verdict === 'FAIL').length;
  io.stdout.write(failed === 0 ? 'All checks passed.\n' : `${failed} check${failed === 1 ? '' : 's'} failed; checks that depend on a failed one were not run.\n`);
  return failed === 0 ? EXIT_OK : EXIT_FAILURE;
}

/**
 * The app, built so that the report is all `check` prints. A configuration problem is a FAIL line
 * with its fix (exit 2, nothing contacted), an unusable database one more. The log would only repeat
 * the report, as JSON lines between its lines, so it shows nothing below errors, on stderr. Every
 * AWS and SOAR call is made once: a refused port fails at once, with no retry warnings.
 */
function startCheck(io: Io, configPath: string | undefined, print: CheckOutput): App | number {
  let config: AppConfig | undefined;
  try {
    config = readAppConfig(io, configPath);
    const logger = buildLogger({ ...config, logLevel: 'error' }, { ...io, stdout: io.stderr });
    return buildApp(config, io, { logger, singleAttempt: true });
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const problem of err.problems) print(problemLine(problem));
      const count = err.problems.length;
      io.stdout.write(`The configuration has ${count} problem${count === 1 ? '' : 's'}; nothing was contacted. Correct ${count === 1 ? 'it' : 'them'} and run check again.\n`);
      return EXIT_USAGE;
    }
    if (config && isStorageError(err)) {
      print({ verdict: 'FAIL', name: 'state database', detail: describeStorageError(config.dbPath, err) });
      return EXIT_FAILURE;
    }
    throw err;
  }
}

function problemLine(p: ConfigProblem): CheckLine {
  return { verdict: 'FAIL', name: 'configuration', detail: `${p.key}: ${p.value === undefined ? 'missing' : `found ${JSON.stringify(p.value)}`}; expected ${p.expected}`, fix: p.hint };
}
