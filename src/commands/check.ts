import type { Io } from '../main.js';
import { checkAws } from './check-aws.js';
import { checkDatabase } from './check-database.js';
import { checkSoar } from './check-soar.js';
import { checkStomp } from './check-stomp.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, startApp } from './command-support.js';

/** OK passes; WARN passes but says what an operator should know; FAIL fails the check. */
export type Verdict = 'OK' | 'WARN' | 'FAIL';

export interface CheckLine {
  verdict: Verdict;
  name: string;
  detail: string;
  fix?: string | undefined;
}

/** Receives each check's line as soon as it is known (a slow check shows where it waits). */
export type CheckOutput = (line: CheckLine) => void;

/** One line, whatever the service put in its message (SDK errors carry newlines). */
export function formatCheckLine(line: CheckLine): string {
  const flat = (text: string): string => text.replace(/\s+/g, ' ').trim();
  return `${line.verdict.padEnd(4)}  ${line.name}: ${flat(line.detail)}${line.fix ? `  Fix: ${flat(line.fix)}` : ''}`;
}

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
  // Configuration problems are part of the report, so they go to stdout above the check lines.
  const app = startApp({ ...io, stderr: io.stdout }, options.config, 'check', { quiet: true });
  if (typeof app === 'number') {
    print({ verdict: 'FAIL', name: 'configuration', detail: 'invalid (every problem is listed above)', fix: 'Correct the keys listed above and run check again.' });
    return EXIT_USAGE;
  }
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
