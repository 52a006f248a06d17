import { describeDefault, type KeySpec } from './key-spec.js';
import { TOLERATED_RESILIENT_KEYS, TOLERATED_RESILIENT_PREFIXES } from './keys-resilient.js';
import { SECTIONS, type SectionSpec } from './keys.js';

/**
 * `app.config.example`, written from the key tables so that it documents exactly what the loader
 * reads (a unit test fails when the committed file drifts from this output).
 */

const HEADER = `app.config for guardduty-soar, in the layout of IBM's fn_aws_guardduty app: an existing IBM
file works unchanged.

Lines starting with # or ; are comments (a # later in a line is part of the value). Remove the #
in front of a key to set it. Each key shows its default and an example.

The uncommented values are those of the local emulators, so that the file loads as it is: replace
them for a real deployment. To run against the emulators as they are, use app.config.emulators
instead (the README's "by hand" block): it also sets the port they listen on, static keys the AWS
emulator accepts, and turns sample findings on, none of which belongs in a real deployment.

Secrets: a value written $NAME or \${NAME} is read from the file /etc/secrets/NAME if it exists,
else from the environment variable NAME. $$ stays a literal "$$".

Only [resilient], [integrations] and [fn_aws_guardduty] are read; other apps' sections may stay.`;

const WIDTH = 100;

export function renderExampleConfig(): string {
  const blocks = [comment(HEADER)];
  for (const section of SECTIONS) blocks.push(renderSection(section));
  return `${blocks.join('\n\n')}\n`;
}

function renderSection(section: SectionSpec): string {
  const lines = [`[${section.name}]`, ...comment(section.intro).split('\n')];
  for (const [name, spec] of Object.entries(section.keys)) {
    if (spec.group) lines.push('', ...comment(`---- ${spec.group}`).split('\n'));
    lines.push('', ...renderKey(name, spec));
  }
  if (section.name === 'resilient') {
    const tolerated = [...TOLERATED_RESILIENT_KEYS, ...TOLERATED_RESILIENT_PREFIXES.map((p) => `${p}*`)].join(', ');
    const note = `Also accepted without a warning, and not used by guardduty-soar (resilient-circuits reads them): ${tolerated}.`;
    lines.push('', ...comment(note).split('\n'));
  }
  return lines.join('\n');
}

function renderKey(name: string, spec: KeySpec<unknown>): string[] {
  const fallback = spec.required ? 'none (required)' : (describeDefault(spec) ?? 'not set');
  const lines = comment(`${spec.doc} Default: ${fallback}. Example: ${spec.example}`).split('\n');
  lines.push(spec.sample === undefined ? `#${name} = ${spec.example}` : `${name} = ${spec.sample}`);
  return lines;
}

/** Word-wrapped `# ` comment lines; blank lines of the text stay (as a lone `#`). Also the App Host config_string's. */
export function comment(text: string): string {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '#';
    for (const word of paragraph.split(' ').filter((w) => w !== '')) {
      if (line !== '#' && line.length + word.length + 1 > WIDTH) {
        out.push(line);
        line = '#';
      }
      line += ` ${word}`;
    }
    out.push(line);
  }
  return out.join('\n');
}

/**
 * Where the README's "by hand" block starts the emulators (`emulate --aws-port … --soar-port …`).
 * Fixed ports, so that the block runs as written; below 32768, so the OS never hands them out itself.
 */
export const EMULATOR_PORTS = { aws: 8901, soar: 8902, stomp: 8903 } as const;

/**
 * Where the "by hand" emulate line writes its CA (`--ca-file`), for app.config.emulators' stomp_cafile:
 * verification stays on against the emulator, rather than `stomp_cafile = false`.
 */
export const EMULATOR_CA_FILE = 'data/emulator-ca.pem';

const EMULATOR_HEADER = `app.config for the local emulators, as the README's "by hand" block starts them:
guardduty-soar emulate --aws-port ${EMULATOR_PORTS.aws} --soar-port ${EMULATOR_PORTS.soar} --stomp-port ${EMULATOR_PORTS.stomp} --ca-file ${EMULATOR_CA_FILE}.
Not for a real deployment: start from app.config.example.

The AWS endpoint is not a key of app.config: point the AWS SDK at the emulator with its standard
variables AWS_ENDPOINT_URL_GUARDDUTY, AWS_ENDPOINT_URL_EC2 and AWS_ENDPOINT_URL_STS, each
http://127.0.0.1:${EMULATOR_PORTS.aws}.`;

/**
 * The values the emulators need, and only those. They live in their own file rather than in
 * app.config.example because each is wrong for a real deployment: static keys (a deployment should
 * use the default chain or a role), a port other than 443, and sample findings escalated.
 */
const EMULATOR_VALUES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  resilient: {
    host: 'http://127.0.0.1', port: String(EMULATOR_PORTS.soar), org: 'Demo Org', api_key_id: 'demo-key', api_key_secret: 'demo-secret',
    // The SOAR functions: the emulator's STOMP broker and the CA emulate --ca-file writes.
    stomp_port: String(EMULATOR_PORTS.stomp), stomp_cafile: `./${EMULATOR_CA_FILE}`,
  },
  fn_aws_guardduty: {
    // The AWS emulator accepts any AKIA… key and does not check the signature's secret.
    aws_gd_access_key_id: 'AKIAEMULATOR00000001',
    aws_gd_secret_access_key: 'emulator-secret-access-key',
    aws_gd_master_region: 'us-east-1',
    // The regions `emulate` gives a detector by default (its --regions); the others have none.
    aws_gd_regions: '^(us-east-1|us-east-2|us-west-2|eu-west-1)$',
    // `emulate --sample-findings` makes GuardDuty sample findings, which are skipped by default.
    aws_gd_include_sample_findings: 'true',
    aws_gd_db_path: './data/emulators.db',
  },
};

/** `app.config.emulators`: the emulator values above, each with its documentation from the key tables. */
export function renderEmulatorConfig(): string {
  const blocks = [comment(EMULATOR_HEADER)];
  for (const section of SECTIONS) {
    const values = EMULATOR_VALUES[section.name];
    if (!values) continue;
    const lines = [`[${section.name}]`];
    for (const [name, value] of Object.entries(values)) {
      const spec = section.keys[name];
      if (!spec) throw new Error(`app.config.emulators names ${section.name}.${name}, which is not a known key`);
      lines.push('', ...comment(spec.doc).split('\n'), `${name} = ${value}`);
    }
    blocks.push(lines.join('\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}
