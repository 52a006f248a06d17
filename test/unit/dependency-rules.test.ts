import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The import-graph check (`npm run lint:deps`, dependency-cruiser with .dependency-cruiser.mjs) as
 * CI runs it: it passes on src/, and the same rules catch a planted cycle, an upward import and the
 * other knots in a small tree built here.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.mjs');
const DEPCRUISE = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

const trees: string[] = [];
afterAll(() => {
  for (const dir of trees) fs.rmSync(dir, { recursive: true, force: true });
});

/** A project holding `files` (path → source), with a tsconfig like ours. */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardduty-soar-deps-'));
  trees.push(dir);
  const all = { ...files, 'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }) };
  for (const [file, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** Our rules on the tree's src/: the violations found, and how many of them are errors. */
function cruise(dir: string): { errors: number; violations: Violation[] } {
  const run = spawnSync(process.execPath, [DEPCRUISE, 'src', '--config', CONFIG, '--output-type', 'json'], { cwd: dir, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const { summary } = JSON.parse(run.stdout) as { summary: { error: number; violations: Violation[] } };
  return { errors: summary.error, violations: summary.violations };
}

const errorsOf = (violations: Violation[], name: string): string[] =>
  violations.filter((v) => v.rule.name === name && v.rule.severity === 'error').map((v) => `${v.from} -> ${v.to}`);

describe('the import-graph check', () => {
  it('passes on src/ as npm test runs it', () => {
    const run = spawnSync('npm', ['run', '-s', 'lint:deps'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
  });

  it('is part of npm test, before the tests run', () => {
    const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const test = scripts.test ?? '';
    expect(test).toContain('npm run lint:deps');
    expect(test.indexOf('npm run lint:deps')).toBeLessThan(test.indexOf('vitest'));
  });

  it('passes a tree whose imports only go down', () => {
    const dir = tree({
      'src/core/clock.ts': 'export const now = (): number => 0;\n',
      'src/util/wait.ts': "import { now } from '../core/clock.js';\nexport const later = (): number => now() + 1;\n",
      'src/commands/run.ts': "import { later } from '../util/wait.js';\nexport const run = (): number => later();\n",
      'src/cli.ts': "import { run } from './commands/run.js';\nrun();\n",
    });
    expect(cruise(dir)).toEqual({ errors: 0, violations: [] });
  });

  it('fails on a planted cycle between two files of one folder', () => {
    const dir = tree({
      'src/sync/create.ts': "import { update } from './update.js';\nexport const create = (): number => update();\n",
      'src/sync/update.ts': "import { create } from './create.js';\nexport const update = (): number => create();\n",
    });
    const { errors, violations } = cruise(dir);
    expect(errors).toBeGreaterThan(0);
    expect(errorsOf(violations, 'no-circular')).toEqual(expect.arrayContaining(['src/sync/create.ts -> src/sync/update.ts']));
  });

  it('fails on a cycle between folders, and names the import that goes up', () => {
    const dir = tree({
      'src/incidents/note.ts': "import { rows } from '../datatables/rows.js';\nexport const note = (): number => rows();\n",
      'src/datatables/rows.ts': "export const rows = (): number => 1;\n",
      'src/datatables/cells.ts': "import { note } from '../incidents/note.js';\nexport const cells = (): number => note();\n",
    });
    const { violations } = cruise(dir);
    expect(errorsOf(violations, 'no-folder-cycle')).not.toHaveLength(0);
    expect(errorsOf(violations, 'floor-datatables')).toEqual(['src/datatables/cells.ts -> src/incidents/note.ts']);
    expect(errorsOf(violations, 'no-circular')).toEqual([]);
  });

  it('fails on an upward import, a command importing another, an unknown folder, the entry or the emulators imported', () => {
    const dir = tree({
      'src/config/load.ts': "import { open } from '../store/db.js';\nexport const load = (): number => open();\n",
      'src/store/db.ts': 'export const open = (): number => 1;\n',
      'src/commands/run.ts': 'export const listener = (): number => 1;\n',
      'src/commands/demo-functions.ts': "import { listener } from './run.js';\nexport const story = (): number => listener();\n",
      'src/widgets/thing.ts': 'export const thing = 1;\n',
      'src/app/build.ts': "import { thing } from '../widgets/thing.js';\nimport { main } from '../cli.js';\nimport { start } from '../../emulators/index.js';\nexport const build = (): number => thing + main + start;\n",
      'src/cli.ts': 'export const main = 1;\n',
      'emulators/index.ts': 'export const start = 1;\n',
    });
    const { violations } = cruise(dir);
    expect(errorsOf(violations, 'floor-config')).toEqual(['src/config/load.ts -> src/store/db.ts']);
    expect(errorsOf(violations, 'no-command-imports-a-command')).toEqual(['src/commands/demo-functions.ts -> src/commands/run.ts']);
    expect(errorsOf(violations, 'floor-unknown')).toEqual(['src/app/build.ts -> src/widgets/thing.ts']);
    expect(errorsOf(violations, 'no-import-of-the-entry')).toEqual(['src/app/build.ts -> src/cli.ts']);
    expect(errorsOf(violations, 'emulators-only-in-commands')).toEqual(['src/app/build.ts -> emulators/index.ts']);
  });
});
