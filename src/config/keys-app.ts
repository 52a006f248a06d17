import { join } from 'node:path';
import { key, type KeyTable } from './key-spec.js';
import { maskUrlPassword, optionalPort, proxyUrl, urlSecrets } from './net-parsers.js';
import { anyPath, readableFile } from './path-parsers.js';
import { bool, numberIn, ok, oneOf, type Parser } from './parsers.js';
import { FEEDBACK_MAP_DEFAULT, SEVERITY_MAP_DEFAULT, feedbackMap, severityMap } from './value-maps.js';

const template = (file: string, doc: string, group?: string) =>
  key({
    ...(group === undefined ? {} : { group }),
    doc,
    example: `/etc/rescircuits/templates/${file}`,
    defaultDoc: `the bundled templates/${file}`,
    computedDefault: (ctx) => join(ctx.templatesDir, file),
    parse: readableFile,
  });

const proxy = (scheme: string) =>
  key({
    doc: `Proxy for ${scheme}:// AWS endpoints (wins over [integrations]).`,
    example: 'http://proxy.example.com:3128',
    mask: maskUrlPassword,
    secretParts: urlSecrets,
    parse: proxyUrl,
  });

/** SOAR resolution names separated by ";" (a name may hold a comma), each once, compared without case later. */
const resolutionList: Parser<string[]> = (raw) => ok([...new Set(raw.split(';').map((s) => s.trim()).filter((s) => s !== ''))]);

/** `[fn_aws_guardduty]`, second half: templates, synchronisation and the daemon's own settings. */
export const APP_KEYS = {
  aws_gd_close_incident_template: template(
    'close-incident.json.njk',
    'Template (Nunjucks, renders JSON) for closing incidents.',
    'Templates and synchronisation',
  ),
  aws_gd_create_incident_template: template('create-incident.json.njk', 'Template for creating incidents.'),
  aws_gd_update_incident_template: template('update-incident.json.njk', 'Template for updating incidents.'),
  aws_gd_archive_on_close: key({
    doc: 'Archive the finding when its incident is closed in SOAR.',
    example: 'false',
    default: 'true',
    parse: bool,
  }),
  aws_gd_close_on_archive: key({
    doc: 'Close the incident when its finding is archived in GuardDuty.',
    example: 'false',
    default: 'true',
    parse: bool,
  }),
  aws_gd_on_recurrence: key({
    doc: 'Finding updated after its incident was closed: reopen it, open a new one, or ignore.',
    example: 'new',
    default: 'reopen',
    parse: oneOf(['reopen', 'new', 'ignore'] as const),
  }),
  aws_gd_deleted_incident: key({
    doc:
      'A linked incident that no longer exists in SOAR (deleted, or the org restored from an older backup): recreate it ' +
      '(a new incident whose note names the deleted one), or forget the finding.',
    example: 'forget',
    default: 'recreate',
    parse: oneOf(['recreate', 'forget'] as const),
  }),
  aws_gd_sequence_members: key({
    doc:
      'The findings an attack sequence is made of: link (each keeps its incident; both incidents point at each other), ' +
      "fold (a member reported while the sequence's incident is open gets no incident; its rows and a note go into the " +
      "sequence's), or separate (no links).",
    example: 'fold',
    default: 'link',
    parse: oneOf(['link', 'fold', 'separate'] as const),
  }),
  aws_gd_sequence_close_members: key({
    doc: "With aws_gd_sequence_members = fold: archive the folded members too when the sequence's incident is closed and its finding archived.",
    example: 'true',
    default: 'false',
    parse: bool,
  }),
  aws_gd_severity_map: key({
    doc: 'GuardDuty severity band -> SOAR severity name, as Band=Name pairs separated by ";" (unnamed bands keep their default).',
    example: 'Critical=Critical',
    default: SEVERITY_MAP_DEFAULT,
    parse: severityMap,
  }),
  aws_gd_feedback_map: key({
    doc:
      'SOAR resolution -> GuardDuty feedback, as Resolution=USEFUL|NOT_USEFUL|NONE pairs separated by ";" ' +
      '(NONE drops a default).',
    example: 'Duplicate=NONE; False Positive=NOT_USEFUL',
    default: FEEDBACK_MAP_DEFAULT,
    parse: feedbackMap,
  }),
  aws_gd_suppress_on_resolution: key({
    doc:
      'Closing an incident with one of these SOAR resolutions (separated by ";") proposes a GuardDuty suppression rule built ' +
      'from its finding, or creates it (aws_gd_suppress_mode); empty: never.',
    example: 'Not an Issue',
    defaultDoc: 'none',
    parse: resolutionList,
  }),
  aws_gd_suppress_mode: key({
    doc: 'What aws_gd_suppress_on_resolution does: propose the rule in a note on the incident, or create it.',
    example: 'create',
    default: 'propose',
    parse: oneOf(['propose', 'create'] as const),
  }),
  aws_gd_suppress_by: key({
    doc: 'What such a rule names besides the finding type and account: the resource (EC2 instance or access key), the remote IP, or nothing more (type).',
    example: 'remote_ip',
    default: 'resource',
    parse: oneOf(['resource', 'remote_ip', 'type'] as const),
  }),
  aws_gd_db_path: key({
    group: 'The daemon',
    doc: 'SQLite file holding links, cursors and pending operations.',
    example: '/var/lib/guardduty-soar/state.db',
    default: './data/guardduty-soar.db',
    parse: anyPath,
  }),
  aws_gd_soar_concurrency: key({
    doc:
      'The most SOAR requests at once (1-64), all regions and SOAR functions together. The daemon starts at 4 and adapts: ' +
      'it adds one while SOAR answers promptly, up to this ceiling, halves at once on 429/503 (honouring Retry-After), and ' +
      'falls when answers take much longer than they recently did.',
    example: '8',
    default: '16',
    parse: numberIn({ integer: true, min: 1, max: 64 }),
  }),
  aws_gd_soar_concurrency_min: key({
    doc: 'The fewest SOAR requests at once the adaptation may fall to (1-64). Equal to aws_gd_soar_concurrency: a fixed concurrency.',
    example: '2',
    default: '1',
    parse: numberIn({ integer: true, min: 1, max: 64 }),
  }),
  aws_gd_health_port: key({
    doc: 'Port for /healthz, /readyz and /metrics; off or 0: no health server.',
    example: '9102',
    default: 'off',
    parse: optionalPort,
  }),
  aws_gd_shutdown_timeout: key({
    doc:
      'Seconds SIGTERM waits for the findings in flight to finish (no new one is started) before abandoning them ' +
      "between two API calls; keep it below the orchestrator's grace period (Kubernetes: 30 s; docker stop: 10 s unless --stop-timeout).",
    example: '8',
    default: '25',
    parse: numberIn({ min: 0, max: 3600, unit: 'seconds' }),
  }),
  aws_gd_log_level: key({
    doc: 'error, warn, info or debug.',
    example: 'debug',
    defaultDoc: 'info, or [resilient] loglevel when set',
    parse: oneOf(['error', 'warn', 'info', 'debug'] as const),
  }),
  aws_gd_log_format: key({
    doc: 'json, text, or auto (text on a terminal, JSON lines otherwise).',
    example: 'json',
    default: 'auto',
    parse: oneOf(['json', 'text', 'auto'] as const),
  }),
  http_proxy: proxy('http'),
  https_proxy: proxy('https'),
  timeout: key({
    doc: 'Seconds to wait for one AWS request (wins over [integrations]).',
    example: '30',
    defaultDoc: '[integrations] timeout',
    parse: numberIn({ min: 1, unit: 'seconds' }),
  }),
} satisfies KeyTable;
