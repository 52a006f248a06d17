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

The uncommented values are those of the local emulators: \`guardduty-soar emulate\` prints the SOAR
emulator's port (set it as port below) and the AWS emulator's endpoint (set it in the SDK's
AWS_ENDPOINT_URL_* environment variables). Replace them for a real deployment.

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

/** Word-wrapped `# ` comment lines; blank lines of the text stay (as a lone `#`). */
function comment(text: string): string {
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
