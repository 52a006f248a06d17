import fs from 'node:fs';
import path from 'node:path';
import { EMULATOR_CA_FILE, EMULATOR_PORTS } from '../config/example-file.js';
import { packageRoot } from '../core/package-meta.js';

/**
 * The README's "By hand" steps: the emulators in one shell, then setup, once and status against them
 * in another. The README shows them for a clone's root; the demo prints them for the folder it was
 * started from. Both come from here (a test compares the README with it), so what the demo prints is
 * what the README says works, and runs as printed: the AWS endpoint variables exported, the
 * emulators' app.config copied where the commands read it.
 */

export interface ByHandSteps {
  /** Started first, and left running. */
  emulate: string;
  /** Then, in another shell in the same folder, one command per line. */
  script: string[];
}

export function byHandSteps(paths: { cli: string; emulatorsConfig: string }): ByHandSteps {
  const cli = `node ${shellWord(paths.cli)}`;
  const aws = `http://127.0.0.1:${EMULATOR_PORTS.aws}`;
  return {
    emulate: `${cli} emulate --aws-port ${EMULATOR_PORTS.aws} --soar-port ${EMULATOR_PORTS.soar} --stomp-port ${EMULATOR_PORTS.stomp} ` +
      `--ca-file ${EMULATOR_CA_FILE} --sample-findings 20`,
    script: [
      `export ${['GUARDDUTY', 'EC2', 'STS'].map((service) => `AWS_ENDPOINT_URL_${service}=${aws}`).join(' ')}`,
      `cp ${shellWord(paths.emulatorsConfig)} app.config`,
      `${cli} setup && ${cli} once && ${cli} status`,
    ],
  };
}

/**
 * The steps as a shell started in `cwd` runs them: this program's CLI and its app.config.emulators
 * named from there (relative below `cwd`, absolute elsewhere), both files that outlive the demo.
 */
export function byHandStepsFrom(cwd: string): ByHandSteps & { emulatorsConfigExists: boolean } {
  const root = packageRoot();
  // The built CLI: the one `npm run build` writes and the package ships, whatever runs this module.
  const cli = path.join(root, 'dist', 'src', 'cli.js');
  const emulatorsConfig = path.join(root, 'app.config.emulators');
  const name = (file: string): string => {
    const relative = path.relative(cwd, file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  };
  return { ...byHandSteps({ cli: name(cli), emulatorsConfig: name(emulatorsConfig) }), emulatorsConfigExists: fs.existsSync(emulatorsConfig) };
}

/** A path as one shell word: as it is when it is plain, else single-quoted. */
function shellWord(text: string): string {
  return /^[\w./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
