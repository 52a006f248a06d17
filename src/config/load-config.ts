import { readFileSync, statSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { resolve } from 'node:path';
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import { DEFAULT_SEVERITY_MAP } from '../findings/severity.js';
import type { AppConfig } from './app-config.js';
import { buildAwsConfig, buildPollingConfig } from './build-aws.js';
import { buildFunctionsConfig, buildSoarConfig } from './build-soar.js';
import { buildSoarLimit } from './build-soar-limit.js';
import { findInvalidUtf8, parseIni, type IniDocument, type IniEntry } from './ini.js';
import type { KeyTable } from './key-spec.js';
import { FN_KEYS, FN_SECTION, SECTIONS, type SectionSpec } from './keys.js';
import { INTEGRATIONS_KEYS, RESILIENT_KEYS } from './keys-resilient.js';
import { readSection, type ReadContext } from './read-section.js';
import { DEFAULT_SECRETS_DIR } from './secrets.js';
import { closestName, unknownKeyWarning } from './suggest.js';

type Env = Readonly<Record<string, string | undefined>>;

type ChosenBy = '--config' | '$APP_CONFIG_FILE' | './app.config';

/**
 * The path of app.config, in IBM's order: `--config`, then `$APP_CONFIG_FILE`, then `./app.config`.
 * A missing file is a ConfigError naming the path and how it was chosen.
 */
export function locateConfigFile(args: { cliPath?: string | undefined; env: Env; cwd: string }): string {
  const fromEnv = args.env.APP_CONFIG_FILE;
  const [path, chosenBy]: [string, ChosenBy] = args.cliPath
    ? [resolve(args.cwd, args.cliPath), '--config']
    : fromEnv
      ? [resolve(args.cwd, fromEnv), '$APP_CONFIG_FILE']
      : [resolve(args.cwd, 'app.config'), './app.config'];
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    // Reported below, with how the path was chosen.
  }
  if (isFile) return path;
  throw new ConfigError([
    {
      key: chosenBy,
      value: path,
      expected: 'an existing app.config file',
      hint: `the path came from ${chosenBy}; pass --config PATH, set APP_CONFIG_FILE, or copy app.config.example to ${resolve(args.cwd, 'app.config')}`,
    },
  ]);
}

export interface LoadConfigOptions {
  path: string;
  env: Env;
  /** Where `$NAME` secrets are looked up first; `/etc/secrets` (App Host) by default. */
  secretsDir?: string;
  cwd: string;
  /** Folder of the bundled templates, the defaults of the template keys. */
  templatesDir: string;
  /** For the default STS session name; the machine's host name by default. */
  hostname?: string;
}

/** Reads, validates and resolves app.config; throws one ConfigError listing every problem. */
export function loadConfig(options: LoadConfigOptions): AppConfig {
  const doc = parseIni(readConfigText(options.path));
  const rc = readContext(doc, options);
  warnAboutSections(doc, rc);
  const resilient = readSection('resilient', RESILIENT_KEYS, sectionEntries(doc, SECTIONS[0], rc), rc);
  const integrations = readSection('integrations', INTEGRATIONS_KEYS, sectionEntries(doc, SECTIONS[1], rc), rc);
  const fn = readSection(FN_SECTION, FN_KEYS, sectionEntries(doc, SECTIONS[2], rc), rc);
  const v = fn.values;
  const soarLimit = buildSoarLimit(fn, rc);
  const config: AppConfig = {
    soar: buildSoarConfig(resilient, rc),
    functions: buildFunctionsConfig(resilient, v.aws_gd_functions ?? true, rc),
    aws: buildAwsConfig(fn, integrations, rc),
    polling: buildPollingConfig(fn, rc),
    sync: {
      archiveOnClose: v.aws_gd_archive_on_close ?? true,
      closeOnArchive: v.aws_gd_close_on_archive ?? true,
      onRecurrence: v.aws_gd_on_recurrence ?? 'reopen',
      onDeletedIncident: v.aws_gd_deleted_incident ?? 'recreate',
      sequenceMembers: v.aws_gd_sequence_members ?? 'link',
      closeSequenceMembers: v.aws_gd_sequence_close_members ?? false,
      feedbackMap: v.aws_gd_feedback_map ?? {},
      suppressOnResolution: v.aws_gd_suppress_on_resolution ?? [],
      suppressMode: v.aws_gd_suppress_mode ?? 'propose',
      suppressBy: v.aws_gd_suppress_by ?? 'resource',
    },
    templates: {
      create: v.aws_gd_create_incident_template ?? '',
      update: v.aws_gd_update_incident_template ?? '',
      close: v.aws_gd_close_incident_template ?? '',
    },
    severityMap: v.aws_gd_severity_map ?? { ...DEFAULT_SEVERITY_MAP },
    dbPath: v.aws_gd_db_path ?? '',
    soarConcurrency: soarLimit.max,
    soarConcurrencyMin: soarLimit.min,
    healthPort: v.aws_gd_health_port,
    shutdownTimeoutMs: (v.aws_gd_shutdown_timeout ?? 25) * 1000,
    logLevel: v.aws_gd_log_level ?? resilient.values.loglevel ?? 'info',
    logFormat: v.aws_gd_log_format === 'auto' ? undefined : v.aws_gd_log_format,
    secrets: [...rc.secrets].filter((s) => s !== ''),
    redacted: { resilient: resilient.redacted, integrations: integrations.redacted, [FN_SECTION]: fn.redacted },
    warnings: rc.warnings,
  };
  pointMissingKeysAtTypos(doc, rc.problems);
  if (config.polling.pollingIntervalMinutes === 0 && config.healthPort === undefined) {
    rc.warnings.push('aws_gd_polling_interval = 0 turns polling off and aws_gd_health_port is not set: `run` will poll nothing and serve nothing, ' +
      'it only waits for a signal. Set aws_gd_polling_interval (minutes, e.g. 10), or aws_gd_health_port, or use `once` for a single cycle.');
  }
  if (config.sync.closeSequenceMembers && config.sync.sequenceMembers !== 'fold') {
    rc.warnings.push(`aws_gd_sequence_close_members = true has no effect with aws_gd_sequence_members = ${config.sync.sequenceMembers}: ` +
      'only folded members (aws_gd_sequence_members = fold) are archived with their sequence; members with incidents of their own follow those incidents.');
  }
  if (rc.problems.length > 0) throw new ConfigError(rc.problems);
  showEffectiveValues(config);
  return config;
}

/**
 * A required key reported missing while the file has a misspelling of it (aws_gd_master_regoin):
 * the problem names the key written, since "missing" alone sends the operator looking elsewhere.
 */
function pointMissingKeysAtTypos(doc: IniDocument, problems: ConfigProblem[]): void {
  for (const problem of problems) {
    if (problem.value !== undefined) continue;
    const dot = problem.key.indexOf('.');
    const spec = SECTIONS.find((s) => s.name === problem.key.slice(0, dot));
    const name = problem.key.slice(dot + 1);
    if (!spec) continue;
    const known = Object.keys(spec.keys);
    for (const [written, entry] of doc.sections.get(spec.name)?.entries ?? []) {
      if (known.includes(written) || spec.tolerated(written) || closestName(written, known) !== name) continue;
      problem.hint = `did you mean ${name} for the key ${written} you wrote on line ${entry.line}? Rename it${problem.hint ? `, or ${problem.hint}` : '.'}`;
    }
  }
}

/**
 * Only `aws_gd_db_path`, for `status`, which reads SQLite and nothing else: it must work in a shell
 * that lacks the secrets the daemon needs (no $AWS_GD_SECRET_ACCESS_KEY, no SOAR key), so no other
 * key is resolved or validated.
 */
export function loadDbPath(options: Omit<LoadConfigOptions, 'templatesDir'>): string {
  const doc = parseIni(readConfigText(options.path));
  const rc = readContext(doc, { ...options, templatesDir: '' });
  // Misspelt filter keys are the daemon's business, not status's: it escalates nothing.
  const fn = readSection(FN_SECTION, { aws_gd_db_path: FN_KEYS.aws_gd_db_path }, sectionEntries(doc, SECTIONS[2], rc, { lenient: true }), rc);
  if (rc.problems.length > 0) throw new ConfigError(rc.problems);
  return fn.values.aws_gd_db_path ?? '';
}

function readContext(doc: IniDocument, options: LoadConfigOptions): ReadContext {
  return {
    parse: { cwd: options.cwd, templatesDir: options.templatesDir, hostname: options.hostname ?? osHostname() },
    sources: { env: options.env, secretsDir: options.secretsDir ?? DEFAULT_SECRETS_DIR },
    problems: doc.problems.map((p) => ({ key: p.key ?? `line ${p.line}`, expected: p.expected, hint: `line ${p.line}: ${p.hint}` })),
    secrets: new Set(),
    warnings: [],
  };
}

/** Keys whose effective value comes from another key or from the host URL show that value. */
function showEffectiveValues(config: AppConfig): void {
  const { resilient, [FN_SECTION]: fn } = config.redacted;
  if (resilient && !resilient.port) resilient.port = /:(\d+)$/.exec(config.soar.baseUrl)?.[1] ?? '';
  if (fn && !fn.aws_gd_log_level) fn.aws_gd_log_level = config.logLevel;
  if (fn && !fn.timeout) fn.timeout = String(config.aws.timeoutMs / 1000);
}

/** The file as text; not UTF-8 is refused as Python refuses it, rather than read with U+FFFD in a password. */
function readConfigText(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const problem: ConfigProblem = {
      key: 'app.config',
      value: path,
      expected: 'a readable app.config file',
      hint: `reading it failed (${(err as NodeJS.ErrnoException).code ?? 'unknown error'}); check the path and the file's permissions`,
    };
    throw new ConfigError([problem]);
  }
  const fault = findInvalidUtf8(bytes);
  if (fault) {
    throw new ConfigError([{
      key: `app.config line ${fault.line}`,
      value: `byte 0x${fault.byte.toString(16).padStart(2, '0')} at byte offset ${fault.offset}`,
      expected: 'a file encoded as UTF-8, as Python reads app.config (the line is not shown: it may hold a password)',
      hint: `save ${path} as UTF-8 (the byte is often a Latin-1 or Windows-1252 character such as é; iconv -f latin1 -t utf-8 converts the file)`,
    }]);
  }
  return bytes.toString('utf8');
}

/**
 * The section's entries over `[DEFAULT]`'s (configparser semantics). An unknown own key is a warning,
 * unless it stands for a key that narrows what is escalated (then a problem, see below).
 */
function sectionEntries(doc: IniDocument, spec: SectionSpec, rc: ReadContext, options: { lenient?: boolean } = {}): Map<string, IniEntry> {
  const own = doc.sections.get(spec.name)?.entries ?? new Map<string, IniEntry>();
  for (const [name, entry] of own) {
    if (Object.hasOwn(spec.keys, name) || spec.tolerated(name)) continue;
    const problem = options.lenient ? undefined : escalationTypo(doc, spec, name, entry);
    if (problem) rc.problems.push(problem);
    else rc.warnings.push(unknownKeyWarning(spec, name, SECTIONS));
  }
  return new Map([...doc.defaults, ...own]);
}

/**
 * An unknown key standing for a filter key (aws_gd_severity_treshold, or aws_gd_severity_threshold
 * under [resilient]) while the file does not set that key where it is read. The filter is then not in
 * force, and the daemon would escalate what the operator meant to leave out: SOAR filling with
 * incidents nobody can un-create is worse than a daemon that refuses to start until the line is
 * renamed. A misspelling beside the real key changes nothing and stays a warning.
 */
function escalationTypo(doc: IniDocument, spec: SectionSpec, written: string, entry: IniEntry): ConfigProblem | undefined {
  const keys: KeyTable = FN_KEYS;
  const misplaced = spec.name !== FN_SECTION && Object.hasOwn(keys, written);
  const meant = misplaced ? written : spec.name === FN_SECTION ? closestName(written, Object.keys(keys)) : undefined;
  const escalates = meant === undefined ? undefined : keys[meant]?.unsetEscalates;
  if (meant === undefined || escalates === undefined) return undefined;
  if (doc.sections.get(FN_SECTION)?.entries.has(meant) || doc.defaults.has(meant)) return undefined;
  if (misplaced) {
    return {
      key: `${spec.name}.${written}`, value: entry.value,
      expected: `${written} under [${FN_SECTION}], where it is read; here it is ignored, so ${escalates} would be escalated`,
      hint: `move line ${entry.line} into the [${FN_SECTION}] section.`,
    };
  }
  return {
    key: `${FN_SECTION}.${written}`, value: entry.value,
    expected: `a key guardduty-soar reads; ${written} is not one, so ${meant} is not set and ${escalates} would be escalated`,
    hint: `did you mean ${meant}? Rename the key on line ${entry.line}.`,
  };
}

/** Section names are case-sensitive in configparser: `[Resilient]` is another app's section. */
function warnAboutSections(doc: IniDocument, rc: ReadContext): void {
  for (const name of doc.sections.keys()) {
    const known = SECTIONS.find((s) => s.name !== name && s.name === name.toLowerCase().trim());
    if (known && !doc.sections.has(known.name)) {
      rc.warnings.push(`Section [${name}] is ignored: section names are case-sensitive; did you mean [${known.name}]?`);
    }
  }
}
