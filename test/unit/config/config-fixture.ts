import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { AppConfig } from '../../../src/config/app-config.js';
import { loadConfig, type LoadConfigOptions } from '../../../src/config/load-config.js';
import { ConfigError, type ConfigProblem } from '../../../src/core/errors.js';

/** Temp folders for config tests: a working directory with the three templates and a secrets folder. */

export interface Sandbox {
  dir: string;
  templatesDir: string;
  secretsDir: string;
  write(name: string, content: string): string;
}

const sandboxes: string[] = [];

afterEach(() => {
  for (const dir of sandboxes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'gds-config-'));
  sandboxes.push(dir);
  const templatesDir = join(dir, 'templates');
  const secretsDir = join(dir, 'secrets');
  mkdirSync(templatesDir);
  mkdirSync(secretsDir);
  for (const file of ['create-incident.json.njk', 'update-incident.json.njk', 'close-incident.json.njk']) {
    writeFileSync(join(templatesDir, file), '{}\n');
  }
  const write = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  return { dir, templatesDir, secretsDir, write };
}

type Section = Record<string, string | null>;

export interface ConfigParts {
  resilient?: Section;
  integrations?: Section;
  fn?: Section;
  extra?: string;
}

const BASE_RESILIENT: Section = { host: 'soar.example.com', org: 'Example Org', api_key_id: 'key-id-1', api_key_secret: 'Sup3r-Secret-Key' };
const BASE_FN: Section = { aws_gd_master_region: 'us-east-1', aws_gd_regions: '^us-' };

/** A valid file, with keys overridden (`null` removes one). */
export function configText(parts: ConfigParts = {}): string {
  const render = (name: string, base: Section, over: Section | undefined): string => {
    const merged = { ...base, ...over };
    const lines = Object.entries(merged).filter((e): e is [string, string] => e[1] !== null).map(([k, v]) => `${k} = ${v}`);
    return [`[${name}]`, ...lines].join('\n');
  };
  const sections = [render('resilient', BASE_RESILIENT, parts.resilient)];
  if (parts.integrations) sections.push(render('integrations', {}, parts.integrations));
  sections.push(render('fn_aws_guardduty', BASE_FN, parts.fn));
  if (parts.extra) sections.push(parts.extra);
  return `${sections.join('\n\n')}\n`;
}

export function load(box: Sandbox, text: string, options: Partial<LoadConfigOptions> = {}): AppConfig {
  return loadConfig({
    path: box.write('app.config', text),
    env: {},
    secretsDir: box.secretsDir,
    cwd: box.dir,
    templatesDir: box.templatesDir,
    hostname: 'host-1',
    ...options,
  });
}

/** The ConfigError thrown by loading the text. */
export function configError(box: Sandbox, text: string, options: Partial<LoadConfigOptions> = {}): ConfigError {
  try {
    load(box, text, options);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

export function problemsOf(box: Sandbox, text: string, options: Partial<LoadConfigOptions> = {}): ConfigProblem[] {
  return configError(box, text, options).problems;
}

export function problemFor(box: Sandbox, text: string, key: string): ConfigProblem {
  const problems = problemsOf(box, text);
  const found = problems.find((p) => p.key === key);
  if (!found) throw new Error(`no problem for ${key}; got ${JSON.stringify(problems)}`);
  return found;
}
