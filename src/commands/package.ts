import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildAppPackage } from '../apphost/app-package.js';
import type { Io } from '../app/app.js';
import { EXIT_FAILURE, EXIT_OK } from '../app/exit-codes.js';

/**
 * Where the zip goes without `--out`: a folder of its own, which the repository's .gitignore lists, so
 * packaging in a clone never leaves an untracked zip beside the sources.
 */
export const DEFAULT_PACKAGE_DIR = 'apphost';

/**
 * `guardduty-soar package [--image REPO:TAG] [--out DIR]`: writes the App Host app package. Reads
 * no app.config and talks to nothing: the package is the same for every org. The zip is written
 * under a temporary name and renamed, so an interrupted run never leaves a truncated package.
 */
export function packageCommand(io: Io, options: { image?: string | undefined; out?: string | undefined }, now: Date = new Date()): number {
  const pkg = buildAppPackage({ image: options.image, now });
  const dir = resolve(io.cwd, options.out ?? DEFAULT_PACKAGE_DIR);
  const path = join(dir, pkg.fileName);
  const partial = `${path}.partial`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(partial, pkg.zip);
    renameSync(partial, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    io.stderr.write(`Cannot write the package to ${dir} (${code}): choose a writable folder with --out DIR.\n`);
    return EXIT_FAILURE;
  }
  const res = pkg.exportRes as Record<string, unknown[]>;
  const count = (key: string): number => res[key]?.length ?? 0;
  const out = (line: string): void => void io.stdout.write(`${line}\n`);
  out(`Wrote ${path}`);
  out(`  image: ${pkg.image} (App Host pulls it: push it to a registry App Host can reach, or pass --image)`);
  out(`  export.res: ${count('fields')} fields, ${count('types')} data tables, ${count('incident_artifact_types')} artifact types, ` +
    `${count('message_destinations')} message destination, ${count('functions')} functions, ${count('playbooks')} playbooks`);
  out('Install it in SOAR under Administrator Settings > Apps > Install (docs/operations.md, "App Host").');
  return EXIT_OK;
}
