import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nunjucks from 'nunjucks';
import type { TemplatePaths } from '../config/app-config.js';
import { ConfigError, errorMessage, type ConfigProblem } from '../core/errors.js';
import { excerptAt, jsonErrorOffset, lineAndColumn } from './json-error.js';
import { SAMPLE_FINDING } from './sample-finding.js';
import { buildTemplateContext, type TemplateContext } from './template-context.js';
import { TEMPLATE_FILTERS } from './template-filters.js';
import { DEFAULT_SEVERITY_MAP } from '../findings/severity.js';

/** The three incident templates, compiled once at start; each render returns the parsed JSON object. */
export interface Templates {
  /** The files in use, for messages that tell the operator which file to edit. */
  readonly paths: TemplatePaths;
  /** A hash of the three templates' text: tells a restart whether the operator changed one. */
  readonly digest: string;
  renderCreate(context: TemplateContext): Record<string, unknown>;
  renderUpdate(context: TemplateContext): Record<string, unknown>;
  renderClose(context: TemplateContext): Record<string, unknown>;
}

type Kind = keyof TemplatePaths;

/** The `app.config` key that chooses each template, named in every error about it. */
export const TEMPLATE_KEYS: Readonly<Record<Kind, string>> = {
  create: 'fn_aws_guardduty.aws_gd_create_incident_template',
  update: 'fn_aws_guardduty.aws_gd_update_incident_template',
  close: 'fn_aws_guardduty.aws_gd_close_incident_template',
};

interface Compiled {
  kind: Kind;
  path: string;
  source: string;
  template: nunjucks.Template;
}

/**
 * Reads and compiles the templates, then renders each once with a sample finding, so that a missing
 * file, a syntax error or a template that cannot produce JSON stops the start with a ConfigError
 * (every problem at once) instead of failing on the first real finding.
 */
export function loadTemplates(paths: TemplatePaths): Templates {
  const env = createEnvironment();
  const problems: ConfigProblem[] = [];
  const compiled: Partial<Record<Kind, Compiled>> = {};
  for (const kind of ['create', 'update', 'close'] as const) {
    const result = compile(env, kind, paths[kind]);
    if ('problem' in result) problems.push(result.problem);
    else compiled[kind] = result;
  }
  problems.push(...tryRender(Object.values(compiled)));
  if (problems.length > 0 || !compiled.create || !compiled.update || !compiled.close) throw new ConfigError(problems);
  const { create, update, close } = compiled;
  const digest = createHash('sha256');
  for (const t of [create, update, close]) digest.update(`${t.kind}\0${t.source}\0`);
  return {
    paths: { ...paths },
    digest: digest.digest('hex'),
    renderCreate: (context) => render(create, context),
    renderUpdate: (context) => render(update, context),
    renderClose: (context) => render(close, context),
  };
}

function createEnvironment(): nunjucks.Environment {
  // autoescape is off because the output is JSON, not HTML: `| json` does the escaping.
  const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true });
  for (const [name, filter] of Object.entries(TEMPLATE_FILTERS)) env.addFilter(name, filter);
  return env;
}

function compile(env: nunjucks.Environment, kind: Kind, path: string): Compiled | { problem: ConfigProblem } {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    return { problem: { key: TEMPLATE_KEYS[kind], value: path, expected: 'a readable template file',
      hint: `${errorMessage(err)}. Point the key at an existing file, or remove it to use the bundled template.` } };
  }
  try {
    return { kind, path, source, template: new nunjucks.Template(source, env, path, true) };
  } catch (err) {
    return { problem: { key: TEMPLATE_KEYS[kind], value: path, expected: 'a Nunjucks (Jinja) template that compiles',
      hint: `${syntaxErrorText(err, path)}. See the comment at the top of the bundled templates for the syntax.` } };
  }
}

/** Nunjucks reports `(path) [Line 3, Column 13]\n  unexpected token: %}`; keep the part a person needs. */
function syntaxErrorText(err: unknown, path: string): string {
  const message = errorMessage(err);
  const where = /\[Line (\d+), Column (\d+)\]/.exec(message);
  const detail = message.split('\n').slice(1).join(' ').trim() || message;
  return where ? `${path} line ${where[1]}, column ${where[2]}: ${detail}` : `${path}: ${detail}`;
}

function tryRender(templates: Compiled[]): ConfigProblem[] {
  const context = buildTemplateContext(SAMPLE_FINDING, {
    region: SAMPLE_FINDING.Region, detectorId: '0123456789abcdef0123456789abcdef', severityMap: DEFAULT_SEVERITY_MAP, now: 0,
  });
  const problems: ConfigProblem[] = [];
  for (const t of templates) {
    try {
      render(t, context);
    } catch (err) {
      problems.push({ key: TEMPLATE_KEYS[t.kind], value: t.path, expected: 'a template that renders a JSON object',
        hint: `rendering it for a sample finding failed: ${errorMessage(err)}` });
    }
  }
  return problems;
}

function render(t: Compiled, context: TemplateContext): Record<string, unknown> {
  let text: string;
  try {
    text = t.template.render(context);
  } catch (err) {
    throw new Error(`The ${t.kind} template ${t.path} failed to render: ${errorMessage(err)}`, { cause: err });
  }
  return parseRendered(t, text);
}

function parseRendered(t: Compiled, text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(invalidJsonMessage(t, text, errorMessage(err)), { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`The ${t.kind} template ${t.path} rendered ${Array.isArray(parsed) ? 'an array' : String(parsed)}, not a JSON object.`);
  }
  return parsed as Record<string, unknown>;
}

function invalidJsonMessage(t: Compiled, text: string, parseError: string): string {
  const found = jsonErrorOffset(text);
  const offset = found < 0 ? 0 : found;
  const { line, column } = lineAndColumn(text, offset);
  return [
    `The ${t.kind} template ${t.path} rendered invalid JSON at line ${line}, column ${column} of its output (${parseError}):`,
    `  ${excerptAt(text, offset)}`,
    'Likely cause: a value not passed through "| json" (write {{ finding.Title | json }}, not "{{ finding.Title }}"),',
    'or a missing or extra comma.',
  ].join('\n');
}
