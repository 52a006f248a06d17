import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { byHandSteps } from '../../../src/commands/by-hand.js';
import { EMULATOR_CA_FILE, EMULATOR_PORTS, renderEmulatorConfig } from '../../../src/config/example-file.js';
import { CLI, runCli } from '../../helpers/harness.js';

/**
 * The README's "By hand" section, run as a newcomer would on a fresh clone: its commands are read
 * from README.md itself, so the section cannot drift from what works. Two liberties, both forced by
 * running next to other tests: the emulators listen on OS-assigned ports (the README's fixed ports are
 * swapped for them in the commands and in app.config.emulators), and `npm ci && npm run build` is not
 * re-run (the suite runs after the build, as CI does).
 */

const ROOT = path.resolve(path.dirname(CLI), '../..');
const EMULATORS_CONFIG = path.join(ROOT, 'app.config.emulators');

interface ByHand {
  /** The first block: the install line, then the `emulate` line. */
  install: string;
  emulate: string;
  /** The second block, run in "another shell". */
  script: string;
}

function readByHand(): ByHand {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n### By hand\n');
  expect(start, 'README.md has a "### By hand" section').toBeGreaterThan(0);
  const rest = readme.slice(start + 1);
  const section = rest.slice(0, rest.slice(1).search(/\n#{1,3} /) + 1);
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  expect(blocks).toHaveLength(2);
  const [first = '', second = ''] = blocks;
  const lines = first.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
  expect(lines).toHaveLength(2);
  return { install: lines[0] ?? '', emulate: lines[1] ?? '', script: second };
}

function portOf(line: string, flag: string): number {
  const match = new RegExp(`${flag} (\\d+)`).exec(line);
  expect(match, `${flag} in "${line}"`).not.toBeNull();
  return Number(match?.[1]);
}

/** The environment of a newcomer's shell: no AWS settings or proxies of their own. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (/^(AWS_|APP_CONFIG_FILE|HTTPS?_PROXY|NO_PROXY)/i.test(key)) delete env[key];
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return env;
}

let emulator: ChildProcessByStdio<null, Readable, Readable> | undefined;
let dir: string | undefined;
afterEach(async () => {
  if (emulator && emulator.exitCode === null) {
    const exited = new Promise((resolve) => emulator?.once('exit', resolve));
    emulator.kill('SIGTERM');
    await exited;
  }
  emulator = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the README\'s "By hand" block', () => {
  it('app.config.emulators is what the key tables render (regenerate: UPDATE_EXAMPLE_CONFIG=1 npx vitest run test/e2e/cli/readme-by-hand.test.ts)', () => {
    const rendered = renderEmulatorConfig();
    if (process.env.UPDATE_EXAMPLE_CONFIG) fs.writeFileSync(EMULATORS_CONFIG, rendered);
    expect(fs.readFileSync(EMULATORS_CONFIG, 'utf8')).toBe(rendered);
  });

  it('is the steps the demo prints, from the same source', () => {
    const block = readByHand();
    const steps = byHandSteps({ cli: 'dist/src/cli.js', emulatorsConfig: 'app.config.emulators' });
    expect(block.emulate).toBe(steps.emulate);
    expect(block.script.trim().split('\n')).toEqual(steps.script);
  });

  it('works as written: the emulators, then setup, once and status escalate every sample finding', async () => {
    const block = readByHand();
    expect(block.install).toBe('npm ci && npm run build');
    // "Another shell in the same folder": a fresh folder holding what a clone has there.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-by-hand-'));
    fs.symlinkSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'));
    fs.copyFileSync(EMULATORS_CONFIG, path.join(dir, 'app.config.emulators'));
    await runAsPrinted(block.emulate, block.script, dir);
  });
});

describe('the demo\'s closing hint', () => {
  it('runs as printed in the folder the demo ran in, and names no file the demo removed on exit', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-hint-'));
    const demo = await runCli(['demo', '--findings', '5'], { cwd: dir, env: cleanEnv() });
    expect(demo.code, demo.stderr).toBe(0);
    const tail = demo.stdout.slice(demo.stdout.indexOf('Run it yourself'));
    const commands = tail.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim());
    expect(commands).toHaveLength(4);
    const [emulate = '', ...script] = commands;
    // The README's steps, the CLI and app.config.emulators named from that folder (outside the clone: absolute).
    expect({ emulate, script }).toEqual(byHandSteps({ cli: CLI, emulatorsConfig: EMULATORS_CONFIG }));
    // Every path the demo printed under the temp folder or the clone still exists: none was temporary.
    const printed = demo.stdout.match(/\/[\w.@%+=,:-]+(?:\/[\w.@%+=,:-]+)+/g) ?? [];
    const ours = printed.filter((p) => p.startsWith(os.tmpdir()) || p.startsWith(ROOT));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.filter((p) => !fs.existsSync(p))).toEqual([]);
    // Valid shell, then run as printed.
    const syntax = spawnSync('bash', ['-n', '-c', script.join('\n')], { encoding: 'utf8' });
    expect(syntax.status, syntax.stderr).toBe(0);
    await runAsPrinted(emulate, script.join('\n'), dir);
  });
});

/**
 * Runs the emulate line in `cwd` and leaves it running, then the script in a shell in `cwd`, as a
 * newcomer would; then checks that every sample finding became one incident. The one liberty: the
 * emulators listen on OS-assigned ports, swapped in for the fixed ones in the commands and in the copy
 * of app.config.emulators the script makes.
 */
async function runAsPrinted(emulateLine: string, script: string, cwd: string): Promise<void> {
  const ports = { aws: portOf(emulateLine, '--aws-port'), soar: portOf(emulateLine, '--soar-port'), stomp: portOf(emulateLine, '--stomp-port') };
  expect(ports).toEqual(EMULATOR_PORTS);
  const sampleFindings = portOf(emulateLine, '--sample-findings');
  expect(emulateLine).toContain(`--ca-file ${EMULATOR_CA_FILE}`);
  const emulateArgs = emulateLine
    .replace(`--aws-port ${ports.aws}`, '--aws-port 0').replace(`--soar-port ${ports.soar}`, '--soar-port 0').replace(`--stomp-port ${ports.stomp}`, '--stomp-port 0')
    .split(/\s+/);
  expect(emulateArgs[0]).toBe('node');
  emulator = spawn(process.execPath, emulateArgs.slice(1), { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const where = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: emulator!.stdout }).once('line', resolve))) as { aws: string; soar: string; stomp: number };
  const actual = { aws: Number(new URL(where.aws).port), soar: Number(new URL(where.soar).port) };

  // The script's copy of app.config.emulators, with the emulators' real ports.
  const copied = /^cp (\S+) app\.config$/m.exec(script)?.[1] ?? '';
  const config = fs.readFileSync(path.resolve(cwd, copied), 'utf8');
  expect(config.match(new RegExp(`^port = ${ports.soar}$`, 'gm'))).toHaveLength(1);
  expect(config.match(new RegExp(`^stomp_port = ${ports.stomp}$`, 'gm'))).toHaveLength(1);
  const patched = path.join(cwd, 'app.config.emulators.ports');
  fs.writeFileSync(patched, config.replace(`\nport = ${ports.soar}`, `\nport = ${actual.soar}`).replace(`stomp_port = ${ports.stomp}`, `stomp_port = ${where.stomp}`));
  expect(script).toContain(`127.0.0.1:${ports.aws}`);
  const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const shell = script.replaceAll(`127.0.0.1:${ports.aws}`, `127.0.0.1:${actual.aws}`).replace(`cp ${copied} app.config`, `cp ${patched} app.config`);
    const child = spawn('bash', ['-e', '-c', shell], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
  expect(run.stderr).not.toMatch(/CredentialsProviderError|problem/i);
  expect(run.code, run.stderr).toBe(0);

  const incidents = (await (await fetch(`${where.soar}/__admin/incidents`)).json()) as { properties: Record<string, unknown> }[];
  expect(incidents).toHaveLength(sampleFindings);
  expect(new Set(incidents.map((i) => i.properties.aws_guardduty_finding_id)).size).toBe(sampleFindings);
  // status, the script's last command, reports the links the cycle made.
  expect(run.stdout).toMatch(new RegExp(`Links: ${sampleFindings}\\b`));
  // Only the regions the emulator gives a detector, each polled.
  const regionRows = run.stdout.split('\n').filter((l) => /^\s+\d{12}\s/.test(l));
  expect(regionRows.map((l) => l.trim().split(/\s+/)[1]).sort()).toEqual(['eu-west-1', 'us-east-1', 'us-east-2', 'us-west-2']);
  expect(fs.existsSync(path.join(cwd, 'data', 'emulators.db'))).toBe(true);
  expect(fs.existsSync(path.join(cwd, EMULATOR_CA_FILE))).toBe(true);
}
